import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { createServices } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { tempDir } from '../helpers/services';
import { customer, invoice, paymentMethod, seed, subscription, T0 } from '../helpers/customer-fixtures';

// `search <query> --json` and `customer <id> --json` over a cache file, as a script would use them.

let dir: { dir: string; cleanup: () => void };
let db: string;

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (t) => out.push(t), err: (t) => err.push(t), env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir.dir, 'cli.db');
  const services = await createServices({ dbPath: db, env: {}, skipDemoSeed: true }, { logger: createLogger(new Redactor(), () => undefined, 'error') });
  seed(services.ctx.db, 'demo', [
    customer({ id: 'cus_ann1', name: 'Ann Lee', email: 'ann@lee.dev', created: T0 - 10, defaultPaymentMethod: 'pm_ann' }),
    customer({ id: 'cus_ann2', name: 'Ann Lee (old account)', email: 'ANN@lee.dev', created: T0 - 20 }),
    customer({ id: 'cus_bo', name: 'Bo Annsson', email: 'bo@example.com' }),
    paymentMethod({ id: 'pm_ann', customer: 'cus_ann1', last4: '4444', expMonth: 1, expYear: 2040 }),
    subscription({ id: 'sub_ann', customer: 'cus_ann1', status: 'past_due', items: [{ id: 'si_ann', unitAmount: 2000, interval: 'month' }] }),
    invoice({
      id: 'in_ann',
      customer: 'cus_ann1',
      number: 'LEE-0007',
      status: 'open',
      currency: 'bhd',
      amountDue: 12345,
      attemptCount: 1,
      subscription: 'sub_ann',
      attempts: [{ id: 'inpay_ann', status: 'failed', amount: 12345, declineCode: 'expired_card' }],
    }),
  ]);
  await services.close();
});
afterAll(() => dir.cleanup());

describe('cli: search', () => {
  it('prints an array, best match first, with id, name and email', async () => {
    const r = await run('search', 'ann@LEE.dev', '--json');
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(hits.map((h) => h.id)).toEqual(['cus_ann1', 'cus_ann2']);
    expect(hits[0]).toMatchObject({ id: 'cus_ann1', name: 'Ann Lee', email: 'ann@lee.dev', match_kind: 'email', same_email_count: 2, card_last4: '4444', subscription_summary: 'past_due' });
  });

  it('joins several words into one query and resolves ids and invoice numbers', async () => {
    expect(JSON.parse((await run('search', 'ann', 'lee', '--json')).out).map((h: { id: string }) => h.id).slice(0, 2).sort()).toEqual(['cus_ann1', 'cus_ann2']);
    expect(JSON.parse((await run('search', 'in_ann', '--json')).out)[0]).toMatchObject({ id: 'cus_ann1', matched: 'invoice in_ann' });
    expect(JSON.parse((await run('search', 'lee-0007', '--json')).out)[0]).toMatchObject({ id: 'cus_ann1', match_kind: 'invoice_number' });
  });

  it('prints an empty array when nothing matches, and a readable line without --json', async () => {
    expect(JSON.parse((await run('search', 'zzzzqqq', '--json')).out)).toEqual([]);
    const text = await run('search', 'ann@lee.dev');
    expect(text.code).toBe(0);
    expect(text.out).toContain('1 of 2 with this email');
  });

  it('exits 2 with the reason for a missing query or a bad limit', async () => {
    const missing = await run('search', '--json');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/what should I look for/);
    const badLimit = await run('search', 'ann', '--limit', 'lots');
    expect(badLimit.code).toBe(2);
    expect(badLimit.err).toMatch(/--limit/);
  });
});

describe('cli: customer', () => {
  it('prints the customer with subscriptions, invoices (snake_case), payment methods and dunning', async () => {
    const r = await run('customer', 'cus_ann1', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    expect(c).toMatchObject({ id: 'cus_ann1', name: 'Ann Lee', email: 'ann@lee.dev' });
    // The failed open invoice put the customer in dunning (the dunning service opens the case).
    expect(c.dunning).toMatchObject({ state: 'new', open_cases: 1, cases: [expect.objectContaining({ invoice_id: 'in_ann', amount_at_risk: 12345, currency: 'bhd' })] });
    expect(c.subscriptions).toEqual([expect.objectContaining({ id: 'sub_ann', status: 'past_due', monthly_amount: 2000 })]);
    expect(c.invoices).toEqual([
      expect.objectContaining({ id: 'in_ann', number: 'LEE-0007', status: 'open', amount_due: 12345, currency: 'bhd', attempt_count: 1, decline_code: 'expired_card' }),
    ]);
    expect(c.invoices[0].attempts[0]).toMatchObject({ decline_code: 'expired_card', explanation: 'The card has expired.' });
    expect(c.payment_methods).toEqual([expect.objectContaining({ id: 'pm_ann', last4: '4444', is_default: true })]);
  });

  it('formats three-decimal amounts right in text mode', async () => {
    const r = await run('customer', 'cus_ann1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/BHD\s?12\.345/);
  });

  it('reports no dunning for a customer without failed payments', async () => {
    expect(JSON.parse((await run('customer', 'cus_bo', '--json')).out).dunning).toEqual({ state: 'none', open_cases: 0, cases: [] });
  });

  it('exits 2 with the reason for a malformed or unknown id', async () => {
    const bad = await run('customer', 'ann', '--json');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/cus_/);
    const unknown = await run('customer', 'cus_nobody', '--json');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('cus_nobody');
    expect(unknown.out).toBe('');
    const none = await run('customer');
    expect(none.code).toBe(2);
  });
});
