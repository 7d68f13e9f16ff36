import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { startTeamServer, type TeamServer } from '../../electron/team-server/app';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { diffMirrorWithServer, feedEntries } from '../helpers/team-mirror';
import { cacheFromEntries } from '../helpers/memory-mirror';
import { eventsOf, signedDelivery, waitFor } from '../helpers/team-sync';

// The team server with its Stripe side: STRIPE_SECRET_KEY adds the account at start (keys sealed
// with BSC_TEAM_SECRET, never in a log), /healthz reports the leader and the backfill, the
// webhook endpoint over HTTP (signed: applied and in the feed; forged: 400), and --demo seeds the
// demo data set into the mirror.

const ACCOUNT = 'acct_1TeamServerSync01';
const KEY = 'sk_test_teamServerSync01';
const WHSEC = 'whsec_teamServerSyncSecret00000001';
const TEAM_SECRET = 'team-secret-for-tests-0123456789';
let pgs: TestPostgres;
let stripe: StripeServer;
const running: TeamServer[] = [];
const pools: pg.Pool[] = [];

beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers: 40, seed: 8 });
});
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});
afterAll(async () => {
  for (const p of pools) await p.end();
  await stripe?.close();
  await pgs?.close();
});

async function start(url: string, env: NodeJS.ProcessEnv, opts: { demo?: boolean } = {}) {
  const lines: string[] = [];
  const redactor = new Redactor();
  const s = await startTeamServer({ env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: TEAM_SECRET, ...env }, databaseUrl: url, log: createLogger(redactor, (l) => lines.push(l), 'debug'), redactor, demo: opts.demo });
  running.push(s);
  return { s, lines };
}

function poolFor(url: string): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(p);
  return p;
}

describe('team server: Stripe sync, webhooks, demo', () => {
  it('syncs the account named by STRIPE_SECRET_KEY; healthz says leader and backfill; webhooks over HTTP; keys never in clear', async () => {
    const url = await pgs.newDatabase();
    const pool = poolFor(url);
    const { s, lines } = await start(url, { STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: stripe.url, STRIPE_WEBHOOK_SECRET: WHSEC, BSC_STRIPE_RATE: '1000' });
    const health = await waitFor('backfill in healthz', async () => {
      const h = (await (await fetch(`${s.url}/healthz`)).json()) as { accounts: Array<{ id: string; backfill_complete: boolean; leader: boolean }> };
      return h.accounts[0]?.backfill_complete ? h : null;
    });
    expect(health).toEqual({ ok: true, accounts: [{ id: ACCOUNT, backfill_complete: true, leader: true }] });
    expect((await diffMirrorWithServer(pool, stripe.store, ACCOUNT)).feed).toEqual([]);

    const customer = stripe.store.all('customer')[0];
    const events = eventsOf(stripe, () => stripe.store.updateCustomer(customer.id, { email: 'webhook@example.com' }));
    const good = signedDelivery(events[0], WHSEC);
    const res = await fetch(`${s.url}/stripe/webhook/${ACCOUNT}`, { method: 'POST', headers: { 'stripe-signature': good.signature, 'content-type': 'application/json' }, body: good.body });
    expect(res.status).toBe(200);
    await waitFor('the webhook in the feed', async () => (await feedEntries(pool, ACCOUNT)).some((e) => e.id === customer.id && e.object?.email === 'webhook@example.com'));

    const forged = signedDelivery({ ...events[0], id: 'evt_forged2', data: { object: { ...customer, email: 'evil@example.com' } } }, 'whsec_wrong');
    const bad = await fetch(`${s.url}/stripe/webhook/${ACCOUNT}`, { method: 'POST', headers: { 'stripe-signature': forged.signature }, body: forged.body });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/does not match this endpoint secret/);
    expect((await fetch(`${s.url}/stripe/webhook/acct_1Unknown`, { method: 'POST', headers: { 'stripe-signature': good.signature }, body: good.body })).status).toBe(404);

    const stored = (await pool.query('SELECT secret_key_ciphertext AS k, webhook_secret_ciphertext AS w FROM stripe_accounts WHERE id = $1', [ACCOUNT])).rows[0];
    expect(stored.k).toMatch(/^v1\./);
    expect(`${stored.k}${stored.w}`).not.toContain(KEY);
    expect(`${stored.k}${stored.w}`).not.toContain(WHSEC);
    const everything = lines.join('\n') + JSON.stringify(health);
    for (const secret of [KEY, WHSEC, TEAM_SECRET]) expect(everything).not.toContain(secret);
  });

  it('a Stripe key without BSC_TEAM_SECRET is refused in words (keys are stored only encrypted)', async () => {
    const url = await pgs.newDatabase();
    await expect(startTeamServer({ env: { BSC_TEAM_LISTEN: '127.0.0.1:0', STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: stripe.url }, databaseUrl: url, log: createLogger(new Redactor(), () => {}, 'error') })).rejects.toThrow(
      /BSC_TEAM_SECRET is not set: the team server stores Stripe keys only encrypted/,
    );
  });

  it('--demo seeds the demo data set into the mirror (a desk replaying the feed has its customers); again is a no-op', async () => {
    const url = await pgs.newDatabase();
    const pool = poolFor(url);
    const { s } = await start(url, { BSC_DEMO_CUSTOMERS: '30' }, { demo: true });
    const h = (await (await fetch(`${s.url}/healthz`)).json()) as { accounts: unknown[] };
    expect(h.accounts).toEqual([{ id: 'demo', backfill_complete: true, leader: false }]);
    const entries = await feedEntries(pool, 'demo');
    const desk = cacheFromEntries('demo', entries);
    try {
      expect((desk.prepare("SELECT COUNT(*) AS n FROM customers WHERE account_id = 'demo'").get() as { n: number }).n).toBe(30);
      expect((desk.prepare("SELECT COUNT(*) AS n FROM invoices WHERE account_id = 'demo'").get() as { n: number }).n).toBeGreaterThan(30);
      expect((desk.prepare("SELECT COUNT(*) AS n FROM subscription_items WHERE account_id = 'demo' AND product_name IS NOT NULL").get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      desk.close();
    }
    await s.stop();
    running.splice(running.indexOf(s), 1);
    await start(url, { BSC_DEMO_CUSTOMERS: '30' }, { demo: true });
    expect((await feedEntries(pool, 'demo')).length).toBe(entries.length);
  });
});
