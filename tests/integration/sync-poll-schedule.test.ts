import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLL_SCHEDULE, nextPollDelay, type PassOutcome } from '../../electron/services/sync/poll-schedule';
import type { SyncPassResult } from '../../electron/services/sync/engine';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { testServices, type TestServices } from '../helpers/services';

// The default poll: a change shows within 2 s (the longest wait between passes is 1.5 s, leaving
// the pass itself half a second), polling backs off while the account is quiet and further while
// Stripe cannot be reached, and a quiet pass costs one request. No timing is asserted: the
// schedule itself is (the delays the watch asks for), under fake timers.

const ACCOUNT = 'acct_1PollSchedule0001';

function delays(outcomes: PassOutcome[]): number[] {
  let d = DEFAULT_POLL_SCHEDULE.activeIntervalMs;
  return outcomes.map((o) => (d = nextPollDelay(d, o)));
}

describe('poll schedule', () => {
  it('polls again 250 ms after a change and backs off by half each idle pass, to at most 1.5 s', () => {
    expect(delays(['changed', 'idle', 'idle', 'idle', 'idle', 'idle', 'idle', 'idle'])).toEqual([250, 375, 563, 845, 1268, 1500, 1500, 1500]);
    // A change during the back-off brings the short interval straight back.
    expect(delays(['idle', 'idle', 'idle', 'changed', 'idle'])).toEqual([375, 563, 845, 250, 375]);
    // Longest wait + one events request fits in the 2 s promise.
    expect(DEFAULT_POLL_SCHEDULE.idleMaxIntervalMs).toBeLessThanOrEqual(1_500);
  });

  it('backs off further while Stripe cannot be reached (1 s doubling to 30 s) and recovers on the first good pass', () => {
    expect(delays(['failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed'])).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(delays(['failed', 'failed', 'idle', 'changed'])).toEqual([1_000, 2_000, 1_500, 250]);
  });
});

describe('the watch over the loopback server', () => {
  let server: StripeServer;
  let s: TestServices;

  beforeEach(async () => {
    server = await startStripeServer({ accountId: ACCOUNT });
    seedAccount(server.store, { customers: 5, seed: 3 });
    s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_pollSchedule01', BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 500, maxConcurrent: 4 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    await s.dispose();
    await server.close();
  });

  it('a quiet pass costs one request, and a change is applied by the next pass', async () => {
    const engine = s.ctx.registries.sync.engine(ACCOUNT);
    await engine.syncOnce();
    const before = server.requests.length;
    expect((await engine.syncOnce()).eventsApplied).toBe(0);
    expect(server.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/events']);

    const customer = server.store.all('customer')[0];
    server.store.updateCustomer(customer.id, { email: 'moved@example.com' });
    expect((await engine.syncOnce()).eventsApplied).toBe(1);
    expect(s.ctx.db.prepare('SELECT email FROM customers WHERE id = ?').get(customer.id)).toEqual({ email: 'moved@example.com' });
  });

  it('asks for the delays of the schedule after each pass', async () => {
    const engine = s.ctx.registries.sync.engine(ACCOUNT);
    const script: PassOutcome[] = ['changed', 'idle', 'idle', 'idle', 'idle', 'idle', 'idle', 'failed', 'failed', 'failed', 'changed', 'idle'];
    let pass = 0;
    vi.spyOn(engine, 'syncOnce').mockImplementation(async (): Promise<SyncPassResult> => {
      const outcome = script[pass++] ?? 'idle';
      if (outcome === 'failed') throw Object.assign(new Error('connect ECONNREFUSED'), { type: 'StripeConnectionError' });
      return { backfill: null, eventsApplied: outcome === 'changed' ? 2 : 0, resynced: false, missingPermissions: [] };
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    engine.watch();
    while (pass < script.length) await vi.advanceTimersToNextTimerAsync();
    await vi.advanceTimersToNextTimerAsync(); // the delay after the last scripted pass is asked for
    await engine.stop();
    const asked = timers.mock.calls.map((c) => c[1]);
    // The first pass starts at once; then one delay per pass.
    expect(asked.slice(0, script.length + 1)).toEqual([0, ...delays(script)]);
    expect(asked.slice(1, script.length + 1)).toEqual([250, 375, 563, 845, 1268, 1500, 1500, 3_000, 6_000, 12_000, 250, 375]);
  });
});
