import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheFromEntries, deliverToMirror, MemoryMirror } from '../helpers/memory-mirror';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';
import { ACCOUNT, buildScenario, deliveryPlan, SCENARIOS, type Scenario } from '../helpers/sync-scenarios';

// Property (acceptance, webhooks): Stripe delivers at least once and in no guaranteed order. The
// same changes delivered shuffled, duplicated, in batches of any size and interleaved with list
// pages taken at different times leave the team server's mirror equal to the truth - checked by
// replaying the mirror into a desk cache and comparing every column the product reads - and each
// event applied once. Both a snapshot of the mirror and a follower of its feed end equal.

const scenarios: Scenario[] = Array.from({ length: SCENARIOS }, (_, i) => buildScenario(i));

async function deliver(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }): Promise<string[]> {
  const mirror = new MemoryMirror();
  await deliverToMirror(s, plan, (fn) => fn(mirror));
  const diff: string[] = [];
  for (const [label, entries] of [['snapshot', mirror.entries()], ['feed', mirror.feed]] as const) {
    const db = cacheFromEntries(ACCOUNT, entries);
    try {
      const actual = cachedMirror(db, ACCOUNT);
      for (const d of mirrorDiff(expectedMirror(s.store, new Set(Object.keys(actual.paymentMethods))), actual, 5)) diff.push(`${label}: ${d}`);
      for (const id of actual.deletedCustomers) if (!s.store.collection('customer').isDeleted(id)) diff.push(`${label}: customer ${id} wrongly deleted`);
    } finally {
      db.close();
    }
  }
  if (mirror.applied.size !== new Set(s.events.map((e) => e.id)).size) diff.push(`applied ${mirror.applied.size} events for ${s.events.length} distinct`);
  return diff;
}

describe('team mirror: delivery order and duplicates do not matter', () => {
  it('gives the server state whatever the delivery (300 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveryPlan,
        async (plan) => {
          expect(await deliver(scenarios[plan.scenario], plan)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
    // A loaded CI machine runs 300 deliveries slowly; the property, not the speed, is under test.
  }, 300_000);
});
