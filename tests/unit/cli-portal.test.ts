import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { createServices } from '../../electron/services';
import { tempDir } from '../helpers/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';

const quiet = () => ({ logger: createLogger(new Redactor(), () => undefined, 'error') });
import { seedCustomer, seedSubscription } from '../helpers/portal-fixtures';

// `portal <customer> [--flow F] [--subscription S] [--return-url U] --json` over a demo cache.

let dir: { dir: string; cleanup: () => void };
let db: string;

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (t) => out.push(t), err: (t) => err.push(t), env: { USER: 'cli-tester' } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(async () => {
  dir = tempDir();
  db = path.join(dir.dir, 'cli.db');
  const services = await createServices({ dbPath: db, env: {}, skipDemoSeed: true }, quiet());
  seedCustomer(services.ctx.db, 'demo', 'cus_cli1');
  seedSubscription(services.ctx.db, 'demo', 'sub_cli1', 'cus_cli1', 'active');
  seedSubscription(services.ctx.db, 'demo', 'sub_cliOld', 'cus_cli1', 'canceled');
  await services.close();
});
afterEach(() => dir.cleanup());

describe('cli: portal', () => {
  it('defaults to the portal home page and prints {url, flow, customer, subscription, created}', async () => {
    const r = await run('portal', 'cus_cli1', '--json');
    expect(r.code).toBe(0);
    const value = JSON.parse(r.out);
    expect(value).toEqual({ url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/session\/demo_/), flow: 'home', customer: 'cus_cli1', subscription: null, created: expect.any(Number), simulated: true });
    expect(Math.abs(value.created - Date.now() / 1000)).toBeLessThan(3600);
  });

  it('creates a subscription deep link with a given return URL, recorded with the CLI user as author', async () => {
    const r = await run('portal', 'cus_cli1', '--flow', 'subscription_cancel', '--subscription', 'sub_cli1', '--return-url', 'https://acme.test/back', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ flow: 'subscription_cancel', subscription: 'sub_cli1' });
    const services = await createServices({ dbPath: db, env: {}, skipDemoSeed: true }, quiet());
    try {
      expect(services.ctx.db.prepare('SELECT flow, subscription_id, return_url, created_by, simulated FROM portal_links').all()).toEqual([
        { flow: 'subscription_cancel', subscription_id: 'sub_cli1', return_url: 'https://acme.test/back', created_by: 'cli-tester', simulated: 1 },
      ]);
    } finally {
      await services.close();
    }
  });

  it('prints the link and says it is simulated without --json', async () => {
    const r = await run('portal', 'cus_cli1', '--flow', 'payment_method_update');
    expect(r.code).toBe(0);
    // The first line says which account the link is for (every command does), then the link.
    expect(r.out).toMatch(/^Account: Demo workspace .*\nhttps:\/\/billing\.stripe\.com\/p\/session\/demo_\w+\nUpdate payment method for cus_cli1 — simulated/);
  });

  it('exits 2 with the reason for a bad flow, a malformed id, an unknown customer or a missing customer', async () => {
    const badFlow = await run('portal', 'cus_cli1', '--flow', 'refund');
    expect(badFlow.code).toBe(2);
    expect(badFlow.err).toContain('unknown flow "refund". Flows: home, payment_method_update');
    const badId = await run('portal', 'sub_cli1');
    expect(badId.code).toBe(2);
    expect(badId.err).toContain('A customer id looks like cus_');
    const badSub = await run('portal', 'cus_cli1', '--flow', 'subscription_update', '--subscription', 'nope');
    expect(badSub.code).toBe(2);
    expect(badSub.err).toContain('A subscription id looks like sub_');
    const unknown = await run('portal', 'cus_nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no customer cus_nobody');
    const none = await run('portal');
    expect(none.code).toBe(2);
    expect(none.err).toContain('which customer?');
  });

  it('exits 1 and explains a canceled subscription; no link is stored', async () => {
    const r = await run('portal', 'cus_cli1', '--flow', 'subscription_update', '--subscription', 'sub_cliOld');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Subscription sub_cliOld is canceled');
    expect(r.out).toBe('');
  });
});
