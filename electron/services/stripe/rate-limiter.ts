// Client-side pacing for Stripe. Stripe allows 100 req/s live and 25 req/s in sandboxes; going over
// earns a 429 that stripe-node does not retry. The limiter hands out permits so that no window of
// one second ever holds more than `ratePerSecond` request starts (a token bucket whose burst equals
// its rate, measured as a sliding window so the guarantee holds for every window, not just
// aligned ones), and at most `maxConcurrent` requests are in flight. A short guard is added to the
// window so that requests granted at the edge of a window still arrive inside the budget after
// the trip through the network stack.

export interface RateLimiterOptions {
  /** Request starts per second; Infinity lifts the limit (bench: local ingest speed). */
  ratePerSecond: number;
  maxConcurrent: number;
  /** Extra milliseconds on the one-second window (default 20). */
  guardMs?: number;
  now?: () => number;
}

export interface Permit {
  release(): void;
}

interface Waiter {
  resolve: (p: Permit) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export const DEFAULT_TEST_RATE = 25;
export const DEFAULT_LIVE_RATE = 100;
export const DEFAULT_MAX_CONCURRENT = 8;

export class RateLimiter {
  private rate: number;
  private readonly maxConcurrent: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Start times of the last `rate` grants (ring buffer). */
  private grants: number[] = [];
  private head = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** All permits ever granted (the request count). */
  granted = 0;

  constructor(opts: RateLimiterOptions) {
    if (!(opts.ratePerSecond > 0)) throw new Error(`RateLimiter: ratePerSecond must be > 0, got ${opts.ratePerSecond}`);
    if (!(opts.maxConcurrent >= 1)) throw new Error(`RateLimiter: maxConcurrent must be >= 1, got ${opts.maxConcurrent}`);
    this.rate = opts.ratePerSecond;
    this.maxConcurrent = Math.floor(opts.maxConcurrent);
    this.windowMs = 1000 + (opts.guardMs ?? 20);
    this.now = opts.now ?? Date.now;
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  get concurrencyCap(): number {
    return this.maxConcurrent;
  }

  get active(): number {
    return this.inFlight;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Changes the rate (e.g. the key turned out to be live). */
  setRate(ratePerSecond: number): void {
    if (!(ratePerSecond > 0)) throw new Error(`RateLimiter: ratePerSecond must be > 0, got ${ratePerSecond}`);
    // Keep the newest grants (oldest first): forgetting them would let a full second's budget
    // start again at once, on top of the requests just sent.
    const chronological = [...this.grants.slice(this.head), ...this.grants.slice(0, this.head)];
    const cap = Number.isFinite(ratePerSecond) ? Math.max(1, Math.floor(ratePerSecond)) : 0;
    this.rate = ratePerSecond;
    this.grants = cap ? chronological.slice(-cap) : [];
    this.head = 0;
    this.pump();
  }

  /** Nobody starts before `untilMs` (after a 429 the whole account backs off, not one request). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
    this.pump();
  }

  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal.reason ?? new Error('aborted'));
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.pump();
    });
  }

  /** Milliseconds until a grant is allowed by rate and pause (0: now). */
  private waitMs(t: number): number {
    let wait = Math.max(0, this.pausedUntil - t);
    if (Number.isFinite(this.rate)) {
      const cap = Math.max(1, Math.floor(this.rate));
      if (this.grants.length >= cap) {
        const oldest = this.grants[this.head];
        wait = Math.max(wait, oldest + this.windowMs - t);
      }
    }
    return wait;
  }

  private record(t: number): void {
    if (!Number.isFinite(this.rate)) return;
    const cap = Math.max(1, Math.floor(this.rate));
    if (this.grants.length < cap) this.grants.push(t);
    else {
      this.grants[this.head] = t;
      this.head = (this.head + 1) % cap;
    }
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.maxConcurrent) {
      const t = this.now();
      const wait = this.waitMs(t);
      if (wait > 0) {
        if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, Math.ceil(wait));
        }
        return;
      }
      const w = this.queue.shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.record(t);
      this.inFlight++;
      this.granted++;
      let released = false;
      w.resolve({
        release: () => {
          if (released) return;
          released = true;
          this.inFlight--;
          this.pump();
        },
      });
    }
  }

  /** Stops the timer and refuses everyone still waiting (shutdown). */
  close(reason: Error = new Error('rate limiter closed')): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.queue.splice(0)) w.reject(reason);
  }
}
