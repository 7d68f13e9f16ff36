import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { PgWebhookInbox } from '../../electron/team-server/stores/webhook-inbox';
import { AccountSync } from '../../electron/team-server/sync/account-sync';
import { serverStripe, type ServerStripe } from '../../electron/team-server/sync/stripe-access';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { eventsOf, registerAccount, testLogger, waitFor } from '../helpers/team-sync';

// A delivery answered 2xx but never applied - the instance that stored it died before the writer
// got to it, or the writer itself died in between - waits in the inbox. Whoever holds the writer
// lease next applies it (before its first events poll, which here is far away, so the poll
// cannot be what applied it), and the inbox ends empty.

const ACCOUNT = 'acct_1TeamInboxOrphan01';
let pgs: TestPostgres;
let pool: pg.Pool;
let stripe: StripeServer;
const syncs: AccountSync[] = [];
const clients: ServerStripe[] = [];

function instance(name: string): AccountSync {
  const s = serverStripe({ key: 'sk_test_teamInbox0001', apiBase: stripe.url, ratePerSecond: 1_000, retryBaseMs: 5 });
  clients.push(s);
  const sync = new AccountSync({ pool, feed: new PgFeedStore(pool), connectionString: pgs.url, accountId: ACCOUNT, instanceId: name, client: s.client, log: testLogger().log, leaseRetryMs: 200, pollIntervalMs: 600_000 });
  syncs.push(sync);
  return sync;
}

const mirrored = async (id: string) => (await pool.query('SELECT data FROM stripe_objects WHERE account_id = $1 AND id = $2', [ACCOUNT, id])).rows[0]?.data;
const waiting = async () => (await pool.query('SELECT count(*)::int AS n FROM stripe_webhook_inbox WHERE account_id = $1', [ACCOUNT])).rows[0].n as number;

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 6 });
  await registerAccount(pool, ACCOUNT);
  stripe = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers: 20, seed: 5 });
});
afterAll(async () => {
  await Promise.all(syncs.map((s) => s.stop()));
  for (const c of clients) c.close();
  await stripe?.close();
  await pool?.end();
  await pgs?.close();
});

describe('team webhook inbox', () => {
  it('a delivery left in the inbox while no writer ran is applied by the next writer', async () => {
    const first = instance('first');
    first.start();
    await waitFor('the backfill', async () => (await pool.query('SELECT backfill_complete FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0]?.backfill_complete);
    await first.stop();

    const customer = stripe.store.all('customer')[0];
    const [event] = eventsOf(stripe, () => stripe.store.updateCustomer(customer.id, { name: 'Stored, Never Applied' }));
    // What the receiver did before its instance died: verified, queued, answered 200.
    expect(await new PgWebhookInbox(pool).record(ACCOUNT, event)).toBe('queued');
    expect(await waiting()).toBe(1);

    const next = instance('next');
    next.start();
    await waitFor('the orphan applied', async () => (await mirrored(customer.id))?.name === 'Stored, Never Applied');
    await waitFor('the inbox emptied', async () => (await waiting()) === 0);
    expect(next.webhookEventsApplied).toBe(1);
    expect(next.pollEventsApplied).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM stripe_applied_events WHERE event_id = $1', [event.id])).rows[0].n).toBe(1);
  });
});
