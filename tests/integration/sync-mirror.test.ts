import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { randomMutation, type MutationKind } from '../stripe-server/mutations';
import { seedAccount } from '../stripe-server/seed';
import { testServices, type TestServices } from '../helpers/services';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Acceptance: after a backfill and a random sequence of ≥ 500 mutations on the test server
// (through its own API, so each emits the events Stripe would), the cache equals the server in
// every column the product reads. Mutations also happen WHILE the backfill runs.

let server: StripeServer;
let s: TestServices;

beforeEach(async () => {
  server = await startStripeServer({ accountId: 'acct_1MirrorTest00001' });
  s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_mirrorTest0001', BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
  s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 2_000, maxConcurrent: 8, retryBaseMs: 5 });
});
afterEach(async () => {
  await s.dispose();
  await server.close();
});

function compare(): string[] {
  const actual = cachedMirror(s.ctx.db, 'acct_1MirrorTest00001');
  const expected = expectedMirror(server.store, new Set(Object.keys(actual.paymentMethods)));
  const diff = mirrorDiff(expected, actual);
  for (const id of actual.deletedCustomers) if (!server.store.collection('customer').isDeleted(id)) diff.push(`customers: ${id} deleted in the cache but not on the server`);
  return diff;
}

describe('sync mirrors the server', () => {
  it('after a backfill (with changes during it) and 600 random mutations', async () => {
    seedAccount(server.store, { customers: 80, seed: 11 });
    const engine = s.ctx.registries.sync.engine(s.ctx.workspace.current().id);
    expect(s.ctx.workspace.current().id).toBe('acct_1MirrorTest00001');

    // Backfill while the account keeps changing.
    const kinds = new Map<MutationKind, number>();
    let seed = 1;
    const mutate = (n: number) => {
      for (let i = 0; i < n; i++) {
        const k = randomMutation(server.store, seed++);
        if (k) kinds.set(k, (kinds.get(k) ?? 0) + 1);
      }
    };
    let backfillDone = false;
    const backfill = engine.syncOnce().finally(() => (backfillDone = true));
    while (!backfillDone) {
      mutate(3);
      await new Promise((r) => setTimeout(r, 5));
    }
    const first = await backfill;
    expect(first.backfill?.ran).toBe(true);

    // Then batches of mutations with an events pass after each (some in the same second).
    while (seed < 620) {
      mutate(40);
      if (seed % 3 === 0) server.clock.advance(3600);
      await engine.syncOnce();
    }
    const last = await engine.syncOnce();
    expect(last.backfill).toBeNull();
    expect(seed).toBeGreaterThanOrEqual(600);
    // The mix really exercised declines, deletions, detaches, pauses and renewals.
    for (const k of ['pay_with_decline', 'delete_customer', 'detach_pm', 'pause', 'renew', 'draft_then_delete', 'void_invoice'] as MutationKind[]) expect(kinds.get(k) ?? 0).toBeGreaterThan(0);
    expect(compare()).toEqual([]);
    // The data can tell the money columns apart (a mapper mixing them up would show): partly and
    // fully paid invoices, failed attempts with a decline code, subscriptions with a period.
    const expected = expectedMirror(server.store, new Set());
    const invoices = Object.values(expected.invoices);
    expect(invoices.filter((i) => i.amount_remaining !== i.amount_due).length).toBeGreaterThan(5);
    expect(invoices.filter((i) => i.amount_paid !== i.amount_due).length).toBeGreaterThan(5);
    expect(invoices.filter((i) => i.next_payment_attempt != null).length).toBeGreaterThan(0);
    expect(new Set(invoices.map((i) => i.status)).size).toBeGreaterThanOrEqual(3);
    expect(Object.values(expected.attempts).filter((a) => a.status === 'failed' && a.decline_code != null).length).toBeGreaterThan(5);
    expect(Object.values(expected.subscriptions).filter((x) => x.current_period_end != null).length).toBeGreaterThan(10);

    const attempts = s.ctx.db.prepare("SELECT COUNT(*) AS n FROM payment_attempts WHERE status = 'failed' AND decline_code IS NOT NULL").get() as { n: number };
    expect(attempts.n).toBeGreaterThan(5);
    const timeline = s.ctx.db.prepare("SELECT COUNT(*) AS n FROM timeline_events WHERE type = 'invoice.payment_failed' AND summary LIKE '%failed: %'").get() as { n: number };
    expect(timeline.n).toBeGreaterThan(0);
  });
});
