import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfill } from '../../electron/services/sync/backfill';
import { pollEvents } from '../../electron/services/sync/events-poller';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { ensureSyncState, LeaseLostError, PgSyncSink } from '../../electron/team-server/sync/pg-sink';
import { serverStripe } from '../../electron/team-server/sync/stripe-access';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { randomMutation } from '../stripe-server/mutations';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { diffMirrorWithServer } from '../helpers/team-mirror';
import { eventsOf } from '../helpers/team-sync';
import { PgWebhookInbox } from '../../electron/team-server/stores/webhook-inbox';

// The desk's sync engine (runBackfill, pollEvents) writing through the PostgreSQL sink: after a
// backfill with changes during it and hundreds of random mutations, the mirror - and a desk that
// replays the feed from its start - equals the Stripe server in every column the product reads.

const ACCOUNT = 'acct_1TeamSinkTest0001';
let pgs: TestPostgres;
let pool: pg.Pool;
let server: StripeServer;

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  await migrateTeamDb(pool);
  await pool.query('INSERT INTO stripe_accounts (id, name) VALUES ($1, $2)', [ACCOUNT, 'Sink test']);
  await ensureSyncState(pool, ACCOUNT);
  server = await startStripeServer({ accountId: ACCOUNT });
});
afterAll(async () => {
  await server?.close();
  await pool?.end();
  await pgs?.close();
});

describe('PostgreSQL sync sink', () => {
  it('backfill + events into the mirror: equals the server, and so does a replay of the feed', async () => {
    seedAccount(server.store, { customers: 60, seed: 5 });
    const stripe = serverStripe({ key: 'sk_test_teamSink00001', apiBase: server.url, ratePerSecond: 2_000, retryBaseMs: 5 });
    const sink = new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT);
    let seed = 1;
    const mutate = (n: number) => {
      for (let i = 0; i < n; i++) randomMutation(server.store, seed++);
    };
    let done = false;
    const backfill = runBackfill(sink, stripe.client).finally(() => (done = true));
    while (!done) {
      mutate(2);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await backfill).ran).toBe(true);
    expect((await sink.readState()).backfillComplete).toBe(true);
    while (seed < 400) {
      mutate(40);
      if (seed % 3 === 0) server.clock.advance(3600);
      await pollEvents(sink, stripe.client);
    }
    await pollEvents(sink, stripe.client);
    stripe.close();
    const diff = await diffMirrorWithServer(pool, server.store, ACCOUNT);
    expect(diff.snapshot).toEqual([]);
    expect(diff.feed).toEqual([]);
    // Every event the server emitted is recorded once.
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM stripe_applied_events WHERE account_id = $1', [ACCOUNT]);
    expect(rows[0].n).toBeGreaterThan(300);
  });

  it('an event the poll applies before the writer reaches its webhook delivery leaves the inbox in the same transaction', async () => {
    const stripe = serverStripe({ key: 'sk_test_teamSink00001', apiBase: server.url, ratePerSecond: 2_000, retryBaseMs: 5 });
    const sink = new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT);
    const inbox = new PgWebhookInbox(pool);
    const customer = server.store.all('customer')[0]!;
    const [event] = eventsOf(server, () => server.store.updateCustomer(customer.id, { name: 'Renamed While Queued' }));
    expect(await inbox.record(ACCOUNT, event!)).toBe('queued');
    await pollEvents(sink, stripe.client);
    stripe.close();
    expect((await pool.query('SELECT 1 FROM stripe_applied_events WHERE account_id = $1 AND event_id = $2', [ACCOUNT, event!.id])).rows).toHaveLength(1);
    // Nothing left announcing work that is done (the writer would otherwise wake for it), and a
    // later delivery of the same event is a duplicate.
    expect(await inbox.waiting(ACCOUNT)).toBe(0);
    expect(await inbox.record(ACCOUNT, event!)).toBe('duplicate');
  });

  it('a sink whose writer epoch is no longer the current one cannot commit (fencing)', async () => {
    await pool.query('UPDATE stripe_sync_state SET writer_epoch = 7 WHERE account_id = $1', [ACCOUNT]);
    const stale = new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, 6);
    const before = (await pool.query('SELECT backfill FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0];
    await expect(stale.commitPage({ resource: 'customers', items: [{ id: 'cus_ghost', object: 'customer', created: 1 }], ts: 9_999_999_999, checkpoint: { version: 1, startedAt: 1, eventsCursorAtStart: null, eventsCursorCreatedAtStart: null, full: false, resources: {} } })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await pool.query("SELECT count(*)::int AS n FROM stripe_objects WHERE id = 'cus_ghost'")).rows[0].n).toBe(0);
    expect((await pool.query('SELECT backfill FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0]).toEqual(before);
    await new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, 7).markSynced(1);
  });
});
