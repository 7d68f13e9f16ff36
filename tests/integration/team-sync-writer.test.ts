import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { PgWebhookInbox } from '../../electron/team-server/stores/webhook-inbox';
import { AccountSync } from '../../electron/team-server/sync/account-sync';
import { serverStripe, type ServerStripe } from '../../electron/team-server/sync/stripe-access';
import { receiveStripeWebhook } from '../../electron/team-server/webhooks/receive';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { diffMirrorWithServer } from '../helpers/team-mirror';
import { eventsOf, registerAccount, repeatedPages, signedDelivery, testLogger, waitFor } from '../helpers/team-sync';

// Acceptance, in one process (the kill -9 takeover is team-sync-kill.test.ts): two team server
// instances on one database sync one account - exactly one talks to Stripe and no page is
// requested twice; the mirror ends equal to the server. Then webhooks: a signed delivery is
// applied by the writer, the same event delivered twice is applied once, and an event Stripe
// never delivered is applied by the slow events poll. A stopped writer's lease passes on.

const ACCOUNT = 'acct_1TeamWriterTest01';
const KEY = 'sk_test_teamWriter0001';
const SECRET = 'whsec_teamWriterTest000000000001';
let pgs: TestPostgres;
let pool: pg.Pool;
let server: StripeServer;
const syncs: AccountSync[] = [];
const clients: ServerStripe[] = [];

/** The events poll's interval here (60 s by default on a real server). */
const POLL_MS = 1_500;

function instance(name: string) {
  const stripe = serverStripe({ key: KEY, apiBase: server.url, ratePerSecond: 1_000, retryBaseMs: 5 });
  clients.push(stripe);
  const sync = new AccountSync({ pool, feed: new PgFeedStore(pool), connectionString: pgs.url, accountId: ACCOUNT, instanceId: name, client: stripe.client, log: testLogger().log, leaseRetryMs: 200, pollIntervalMs: POLL_MS });
  syncs.push(sync);
  return { sync, stripe };
}

const receiver = () => ({ endpointSecret: async (a: string) => (a === ACCOUNT ? SECRET : null), inbox: new PgWebhookInbox(pool) });
const mirrored = async (id: string) => (await pool.query('SELECT data FROM stripe_objects WHERE account_id = $1 AND id = $2', [ACCOUNT, id])).rows[0]?.data;

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 8 });
  await registerAccount(pool, ACCOUNT);
  server = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(server.store, { customers: 150, seed: 3 });
});
afterAll(async () => {
  await Promise.all(syncs.map((s) => s.stop()));
  for (const c of clients) c.close();
  await server?.close();
  await pool?.end();
  await pgs?.close();
});

describe('team sync writer', () => {
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;

  it('two instances on one database: exactly one syncs, no page requested twice, mirror equals the server', async () => {
    a = instance('a');
    b = instance('b');
    a.sync.start();
    b.sync.start();
    await waitFor('the backfill', async () => (await pool.query('SELECT backfill_complete FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0]?.backfill_complete);
    const leaders = [a, b].filter((x) => x.sync.leader);
    expect(leaders).toHaveLength(1);
    const follower = a.sync.leader ? b : a;
    expect(follower.stripe.stats.requests).toBe(0);
    expect(leaders[0].stripe.stats.requests).toBeGreaterThan(10);
    expect(repeatedPages(server.requests)).toEqual([]);
    const diff = await diffMirrorWithServer(pool, server.store, ACCOUNT);
    expect(diff.snapshot).toEqual([]);
    expect(diff.feed).toEqual([]);
  });

  it('a webhook delivery is applied by the writer; the same event twice is applied once', async () => {
    const customer = server.store.all('customer')[0];
    const events = eventsOf(server, () => server.store.updateCustomer(customer.id, { name: 'Renamed By Webhook' }));
    expect(events).toHaveLength(1);
    const feedBefore = (await pool.query("SELECT count(*)::int AS n FROM feed_entries WHERE entity_id = $1", [customer.id])).rows[0].n;
    const delivery = signedDelivery(events[0], SECRET);
    const first = await receiveStripeWebhook(receiver(), ACCOUNT, delivery.body, delivery.signature);
    expect(first.status).toBe(200);
    await waitFor('the webhook applied', async () => (await mirrored(customer.id))?.name === 'Renamed By Webhook');
    // Recorded once its second step committed (the object is written in the first).
    await waitFor('the event recorded', async () => (await pool.query('SELECT 1 FROM stripe_applied_events WHERE event_id = $1', [events[0].id])).rows.length > 0);
    const again = await receiveStripeWebhook(receiver(), ACCOUNT, delivery.body, delivery.signature);
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true } });
    // Once: one feed entry for the change, one applied-event row, nothing left in the inbox.
    expect((await pool.query("SELECT count(*)::int AS n FROM feed_entries WHERE entity_id = $1", [customer.id])).rows[0].n).toBe(feedBefore + 1);
    expect((await pool.query('SELECT count(*)::int AS n FROM stripe_applied_events WHERE event_id = $1', [events[0].id])).rows[0].n).toBe(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM stripe_webhook_inbox')).rows[0].n).toBe(0);
  });

  it('a delivery rendered in another API version is not trusted: the writer re-fetches the object', async () => {
    const customer = server.store.all('customer')[3];
    const current = server.store.eventApiVersion;
    server.store.eventApiVersion = '2024-06-20';
    const events = eventsOf(server, () => server.store.updateCustomer(customer.id, { name: 'Older Shape Event' }));
    server.store.eventApiVersion = current;
    expect(events[0].api_version).toBe('2024-06-20');
    const fetchesBefore = server.requests.filter((r) => r.method === 'GET' && r.path === `/v1/customers/${customer.id}`).length;
    const delivery = signedDelivery(events[0], SECRET);
    expect((await receiveStripeWebhook(receiver(), ACCOUNT, delivery.body, delivery.signature)).status).toBe(200);
    await waitFor('the re-fetched customer', async () => (await mirrored(customer.id))?.name === 'Older Shape Event');
    // Fetched again (the events poll may also have read the event before the webhook's was recorded).
    expect(server.requests.filter((r) => r.method === 'GET' && r.path === `/v1/customers/${customer.id}`).length).toBeGreaterThan(fetchesBefore);
  });

  it('a forged delivery changes nothing', async () => {
    const customer = server.store.all('customer')[1];
    const forged = { id: 'evt_forged1', object: 'event', type: 'customer.updated', created: Math.floor(Date.now() / 1000), data: { object: { ...customer, name: 'Forged' } } };
    const delivery = signedDelivery(forged, 'whsec_notTheSecret');
    expect((await receiveStripeWebhook(receiver(), ACCOUNT, delivery.body, delivery.signature)).status).toBe(400);
    expect((await pool.query('SELECT count(*)::int AS n FROM stripe_webhook_inbox')).rows[0].n).toBe(0);
    expect((await mirrored(customer.id))?.name).toBe(customer.name);
  });

  it('when the writer stops, the other instance takes the lease and the events poll applies an event never delivered', async () => {
    const leader = a.sync.leader ? a : b;
    const other = leader === a ? b : a;
    await leader.sync.stop();
    await waitFor('the takeover', async () => other.sync.leader);
    const customer = server.store.all('customer')[2];
    server.clock.advance(5);
    server.store.updateCustomer(customer.id, { name: 'Never Delivered' });
    const webhookApplied = other.sync.webhookEventsApplied;
    const changedAt = Date.now();
    await waitFor('the poll', async () => (await mirrored(customer.id))?.name === 'Never Delivered');
    console.info(`team-sync: an undelivered event reached the mirror through the poll after ${Date.now() - changedAt} ms (interval ${POLL_MS} ms)`);
    expect(other.sync.pollEventsApplied).toBeGreaterThan(0);
    expect(other.sync.webhookEventsApplied).toBe(webhookApplied);
    const diff = await diffMirrorWithServer(pool, server.store, ACCOUNT);
    expect(diff.snapshot).toEqual([]);
  });
});
