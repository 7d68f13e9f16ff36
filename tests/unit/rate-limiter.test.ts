import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { RateLimiter } from '../../electron/services/stripe/rate-limiter';

// The limiter's promise: no window of one second (plus its guard) ever holds more than `rate`
// request starts, and never more than `maxConcurrent` in flight — whatever the request durations.

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function peakInWindow(starts: number[], windowMs: number): number {
  let peak = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= windowMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

async function run(limiter: RateLimiter, durations: number[], onStart: (t: number, active: number) => void): Promise<void> {
  await Promise.all(
    durations.map(async (ms) => {
      const permit = await limiter.acquire();
      onStart(Date.now(), limiter.active);
      await new Promise((r) => setTimeout(r, ms));
      permit.release();
    }),
  );
}

describe('rate limiter', () => {
  it('never starts more than the rate in any one-second window, nor more than the cap at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 120 }), async (rate, cap, durations) => {
        const limiter = new RateLimiter({ ratePerSecond: rate, maxConcurrent: cap, guardMs: 0 });
        const starts: number[] = [];
        let maxActive = 0;
        const done = run(limiter, durations, (t, active) => {
          starts.push(t);
          maxActive = Math.max(maxActive, active);
        });
        await vi.runAllTimersAsync();
        await done;
        expect(starts.length).toBe(durations.length);
        expect(peakInWindow(starts, 1000)).toBeLessThanOrEqual(rate);
        expect(maxActive).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every endpoint under its own cap while the others use the rest of the budget (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4, max: 40 }), fc.integer({ min: 1, max: 10 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 })), { minLength: 1, maxLength: 100 }), async (rate, endpointRate, calls) => {
        const limiter = new RateLimiter({ ratePerSecond: rate, maxConcurrent: 64, endpointRatePerSecond: endpointRate, guardMs: 0 });
        const starts: Array<{ t: number; e: number }> = [];
        const done = Promise.all(
          calls.map(async ([e, ms]) => {
            const permit = await limiter.acquire(undefined, `GET /v1/e${e}`);
            starts.push({ t: Date.now(), e });
            await new Promise((r) => setTimeout(r, ms));
            permit.release();
          }),
        );
        await vi.runAllTimersAsync();
        await done;
        expect(starts.length).toBe(calls.length);
        expect(peakInWindow(starts.map((x) => x.t), 1000)).toBeLessThanOrEqual(rate);
        for (let e = 0; e < 4; e++) expect(peakInWindow(starts.filter((x) => x.e === e).map((x) => x.t), 1000)).toBeLessThanOrEqual(Math.min(rate, endpointRate));
      }),
      { numRuns: 60 },
    );
  });

  it('lets a request to another endpoint go first when the one ahead of it is at its cap', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 100, maxConcurrent: 100, endpointRatePerSecond: 2, guardMs: 0 });
    const order: string[] = [];
    const take = (e: string) => limiter.acquire(undefined, e).then((p) => (order.push(`${e}@${Date.now()}`), p.release()));
    const all = Promise.all([take('A'), take('A'), take('A'), take('B')]);
    await vi.runAllTimersAsync();
    await all;
    // The third A waits for A's window; B does not wait behind it.
    expect(order.indexOf(order.find((o) => o.startsWith('B'))!)).toBeLessThan(3);
    expect(Number(order.filter((o) => o.startsWith('A'))[2].split('@')[1])).toBeGreaterThanOrEqual(1000);
  });

  it('follows a new concurrency cap', async () => {
    const limiter = new RateLimiter({ ratePerSecond: Infinity, maxConcurrent: 1 });
    const first = await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBe(false);
    limiter.setConcurrency(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(second).toBe(true);
    first.release();
  });

  it('keeps the recent starts when the rate changes, so a new budget does not start on top of them', async () => {
    const limiter = new RateLimiter({ ratePerSecond: 10, maxConcurrent: 100, guardMs: 0 });
    const starts: number[] = [];
    const first = run(limiter, Array(10).fill(0), (t) => starts.push(t));
    await vi.runAllTimersAsync();
    await first;
    limiter.setRate(5);
    const second = run(limiter, Array(5).fill(0), (t) => starts.push(t));
    await vi.runAllTimersAsync();
    await second;
    // The 10 starts at t=0 still count: the next 5 wait for the window to pass.
    expect(starts.slice(10).every((t) => t >= 1000)).toBe(true);
  });
});
