import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../electron/team-server/db';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { PgMirrorTx } from '../../electron/team-server/stores/stripe-mirror';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { buildScenario, deliveryPlan, SCENARIOS, type Scenario } from '../helpers/sync-scenarios';
import { deliverToMirror } from '../helpers/memory-mirror';
import { diffEntriesWithServer, feedEntries, mirrorEntries } from '../helpers/team-mirror';

// Property (acceptance, webhooks) on the PostgreSQL store itself: the unit property runs the
// rules over Maps; this one runs them through PgMirrorTx (bulk reads with row locks, writes
// buffered to one statement, payments of an invoice seen through the buffer, feed entries in the
// same transaction). Shuffled, duplicated, batched deliveries interleaved with stale pages, each
// batch its own transactions as on the server: the mirror and a replay of its feed equal the
// truth, and every event is recorded once.

let pgs: TestPostgres;
let pool: pg.Pool;
let feed: PgFeedStore;
let run = 0;
const scenarios: Scenario[] = Array.from({ length: SCENARIOS }, (_, i) => buildScenario(i));

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  feed = new PgFeedStore(pool);
  await migrateTeamDb(pool);
});
afterAll(async () => {
  await pool?.end();
  await pgs?.close();
});

async function deliver(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }): Promise<string[]> {
  const account = `acct_1PgProperty${String(++run).padStart(4, '0')}`;
  await pool.query('INSERT INTO stripe_accounts (id) VALUES ($1)', [account]);
  const tx = <T>(fn: (m: PgMirrorTx) => Promise<T>) =>
    inTransaction(pool, async (c) => {
      const m = new PgMirrorTx(c, account, feed);
      const out = await fn(m);
      await m.flush();
      return out;
    });
  await deliverToMirror(s, plan, tx);
  const diff = [
    ...diffEntriesWithServer(s.store, account, await mirrorEntries(pool, account)).map((d) => `mirror: ${d}`),
    ...diffEntriesWithServer(s.store, account, await feedEntries(pool, account)).map((d) => `feed: ${d}`),
  ];
  const applied = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stripe_applied_events WHERE account_id = $1', [account])).rows[0].n;
  if (applied !== new Set(s.events.map((e) => e.id)).size) diff.push(`applied ${applied} events for ${s.events.length} distinct`);
  return diff;
}

describe('team mirror on PostgreSQL: delivery order and duplicates do not matter', () => {
  it('gives the server state whatever the delivery (25 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveryPlan,
        async (plan) => {
          expect(await deliver(scenarios[plan.scenario], plan)).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
  }, 300_000);
});
