import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeServer, type RequestLogEntry, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { testServices, type TestServices } from '../helpers/services';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Issue 11: at internet latency one request at a time cannot fill the rate budget, so the backfill
// keeps several in flight: each list in created-time slices paged side by side, payment methods of
// several customers at once. Against a server that answers after ~150 ms (+-30%), with the
// sandbox's default pacing (25 req/s, 25 per endpoint, concurrency from the observed latency), the
// server sees requests overlap and sliced list pages, and the cache still mirrors it.

const ACCOUNT = 'acct_1LatencyTest000001';

let server: StripeServer;
let s: TestServices;

beforeEach(async () => {
  server = await startStripeServer({ accountId: ACCOUNT, latency: { ms: 150, jitter: 0.3 } });
  seedAccount(server.store, { customers: 60, seed: 9 });
  s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_latencyTest001', BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
});
afterEach(async () => {
  await s.dispose();
  await server.close();
});

/** The most requests the server was working on at one time. */
function mostAtOnce(log: RequestLogEntry[]): number {
  const edges = log.flatMap((r) => [{ t: r.t, d: 1 }, { t: r.t + r.durationMs, d: -1 }]).sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

describe('backfill at latency', () => {
  it('keeps several requests in flight (sliced lists, payment methods side by side) and mirrors the server', async () => {
    const from = server.requests.length;
    const r = await s.ctx.registries.sync.engine(ACCOUNT).syncOnce();
    expect(r.backfill?.ran).toBe(true);
    const log = server.requests.slice(from);
    const paymentMethods = log.filter((q) => /\/v1\/customers\/[^/]+\/payment_methods$/.test(q.path));
    expect(paymentMethods.length).toBe(60);
    expect(mostAtOnce(paymentMethods)).toBeGreaterThanOrEqual(3);
    const customerSlices = new Set(log.filter((q) => q.path === '/v1/customers' && q.query.includes('created')).map((q) => new URLSearchParams(q.query).get('created[lt]')));
    expect(customerSlices.size).toBeGreaterThanOrEqual(2);
    expect(mostAtOnce(log)).toBeGreaterThanOrEqual(4);

    const actual = cachedMirror(s.ctx.db, ACCOUNT);
    expect(mirrorDiff(expectedMirror(server.store, new Set(Object.keys(actual.paymentMethods))), actual)).toEqual([]);
  });
});
