import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { createServices } from '../../electron/services';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { tempDir } from '../helpers/services';

/** A strict RFC 4180 reader: the test's own, so it checks the writer rather than trusting it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  row.push(field);
  rows.push(row);
  return rows;
}

describe('billing-console dunning', () => {
  const { dir, cleanup } = tempDir();
  const db = path.join(dir, 'cli.db');
  const nowS = Math.floor(Date.now() / 1000);
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli([...args, '--db', db], { out: (t) => out.push(t), err: (t) => err.push(t), env: {} });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    const s = await createServices({ dbPath: db, env: {}, skipDemoSeed: true });
    const rows = new StripeRows(s.ctx.db, 'demo', nowS);
    rows.customer('cus_one', { email: 'one@example.com' });
    rows.customer('cus_two', { email: null });
    rows.invoice('in_one', { customer: 'cus_one', amountDue: 4_999, currency: 'usd', nextPaymentAttempt: nowS + 2 * DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - DAY }] });
    rows.invoice('in_two', { customer: 'cus_two', amountDue: 12_000, currency: 'jpy', failures: [{ declineCode: 'stolen_card', created: nowS - 3 * DAY }] });
    reconcileDunning(s.ctx, 'demo');
    const id = (s.ctx.db.prepare("SELECT id FROM dunning_cases WHERE invoice_id = 'in_one'").get() as { id: number }).id;
    const r = await s.table.dispatch('dunning.assign', { caseIds: [id], assignee: 'Smith, "J"' }, { actor: 'test' });
    expect(r.ok).toBe(true);
    await s.close();
  });
  afterAll(() => cleanup());

  it('--json prints an array of cases with exactly the documented fields', async () => {
    const r = await cli('dunning', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([
      { invoice: 'in_two', customer: 'cus_two', email: null, amount_due: 12_000, currency: 'jpy', attempt_count: 1, next_payment_attempt: null, decline_code: 'stolen_card', category: 'hard', stage: 'new', assignee: null },
      { invoice: 'in_one', customer: 'cus_one', email: 'one@example.com', amount_due: 4_999, currency: 'usd', attempt_count: 1, next_payment_attempt: nowS + 2 * DAY, decline_code: 'insufficient_funds', category: 'insufficient_funds', stage: 'new', assignee: 'Smith, "J"' },
    ]);
  });

  it('--csv prints the same cases as CSV with a header row and proper quoting', async () => {
    const r = await cli('dunning', '--csv');
    expect(r.code).toBe(0);
    const table = parseCsv(r.out);
    expect(table[0]).toEqual(['invoice', 'customer', 'email', 'amount_due', 'currency', 'attempt_count', 'next_payment_attempt', 'decline_code', 'category', 'stage', 'assignee']);
    expect(table.slice(1)).toEqual([
      ['in_two', 'cus_two', '', '12000', 'jpy', '1', '', 'stolen_card', 'hard', 'new', ''],
      ['in_one', 'cus_one', 'one@example.com', '4999', 'usd', '1', String(nowS + 2 * DAY), 'insufficient_funds', 'insufficient_funds', 'new', 'Smith, "J"'],
    ]);
    expect(r.out).toContain('"Smith, ""J"""');
  });

  it('filters by category and prints a readable table by default', async () => {
    const json = await cli('dunning', '--json', '--category', 'hard');
    expect(JSON.parse(json.out).map((c: { invoice: string }) => c.invoice)).toEqual(['in_two']);
    const text = await cli('dunning');
    expect(text.out).toMatch(/in_two\s+¥12,000\s+hard\s+stolen_card/);
    expect(text.out).toMatch(/2 cases$/);
  });

  it('answers bad usage with exit code 2 and the reason', async () => {
    const r = await cli('dunning', '--stage', 'paid');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown stage "paid"/);
    expect((await cli('dunning', '--json', '--csv')).code).toBe(2);
    const cur = await cli('dunning', '--currency', 'dollars');
    expect(cur.code).toBe(2);
    expect(cur.err).toMatch(/three-letter/);
  });
});
