import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/services/db/migrate';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { ProductNames } from '../../electron/services/stripe/product-names';
import { applyEventPayloads, applyRefetched, finishEvents } from '../../electron/services/sync/apply-events';
import { ingestPage } from '../../electron/services/sync/backfill';
import { SDK_API_VERSION } from '../../electron/services/sync/clients';
import { ACCOUNT, buildScenario, deliveryOrder, deliveryPlan, fetchFinal, SCENARIOS, type Scenario } from '../helpers/sync-scenarios';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Property (acceptance): the same changes, delivered as events shuffled, duplicated, cut into
// batches of any size and interleaved with backfill pages (snapshots taken at different times),
// always leave the cache identical to the server. No HTTP: the apply functions are called
// directly on an in-memory database; a re-fetch is answered from the server's final state, as a
// real fetch made after the event would be.

let template: Buffer | null = null;
function freshDb(): Database.Database {
  if (!template) {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    ensureAccount(db, { id: ACCOUNT, name: 'Property', livemode: false, isDemo: false });
    template = db.serialize();
    db.close();
  }
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  return db;
}

const scenarios: Scenario[] = Array.from({ length: SCENARIOS }, (_, i) => buildScenario(i));

function deliver(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }): string[] {
  const db = freshDb();
  try {
    const productNames = new ProductNames(db, ACCOUNT);
    for (const p of s.store.all('product')) productNames.set(p.id, p.name);
    const units = deliveryOrder(s, plan);
    for (const u of units) {
      if (u.kind === 'page') {
        db.transaction(() => ingestPage(db, ACCOUNT, u.resource, u.items, u.ts, productNames))();
        continue;
      }
      let outcome!: ReturnType<typeof applyEventPayloads>;
      db.transaction(() => {
        outcome = applyEventPayloads(db, ACCOUNT, u.events, { apiVersion: SDK_API_VERSION, productNames });
      })();
      const fetched = outcome.refetch.map((r) => fetchFinal(s.store, r, s.finalTs));
      db.transaction(() => {
        applyRefetched(db, ACCOUNT, fetched, productNames);
        finishEvents(db, ACCOUNT, outcome.fresh, 0);
      })();
    }
    const actual = cachedMirror(db, ACCOUNT);
    const diff = mirrorDiff(expectedMirror(s.store, new Set(Object.keys(actual.paymentMethods))), actual, 5);
    for (const id of actual.deletedCustomers) if (!s.store.collection('customer').isDeleted(id)) diff.push(`customers: ${id} wrongly deleted`);
    const applied = (db.prepare('SELECT COUNT(*) AS n FROM applied_events WHERE account_id = ?').get(ACCOUNT) as { n: number }).n;
    if (applied !== s.events.length) diff.push(`applied_events: ${applied} rows for ${s.events.length} distinct events`);
    return diff;
  } finally {
    db.close();
  }
}

describe('sync property: order, duplicates and interleaving do not matter', () => {
  it('scenarios are rich: same-second events, old api versions, deletions, declines', () => {
    const all = scenarios.flatMap((s) => s.events);
    expect(all.length).toBeGreaterThan(SCENARIOS * 30);
    expect(all.some((e) => e.api_version !== SDK_API_VERSION)).toBe(true);
    for (const t of ['customer.deleted', 'invoice.payment_failed', 'payment_method.detached', 'invoice.deleted', 'customer.subscription.updated']) expect(all.some((e) => e.type === t)).toBe(true);
    const sameSecond = scenarios.some((s) => s.events.some((e, i) => i > 0 && e.created === s.events[i - 1].created && (e.data.object as { id: string }).id === (s.events[i - 1].data.object as { id: string }).id));
    expect(sameSecond).toBe(true);
  });

  it('gives the server state whatever the delivery (1,000 runs)', () => {
    fc.assert(
      fc.property(
        deliveryPlan,
        (plan) => {
          expect(deliver(scenarios[plan.scenario], plan)).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
    // 1,000 deliveries take ~8 s alone and over a minute beside other suites on a loaded machine.
  }, 300_000);
});
