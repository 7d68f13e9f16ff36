// Client-side pacing for Stripe. Stripe allows 100 req/s live and 25 req/s in sandboxes; going over
// earns a 429 that stripe-node does not retry. The limiter hands out permits so that no window of
// one second ever holds more than `ratePerSecond` request starts (a token bucket whose burst equals
// its rate, measured as a sliding window so the guarantee holds for every window, not just
// aligned ones), and at most `maxConcurrent` requests are in flight. A short guard is added to the
// window so that requests granted at the edge of a window still arrive inside the budget after
// the trip through the network stack.
//
// Within the window the starts are also spread evenly (one every window/rate ms, with a burst of
// 20 ms worth at high rates): a window that let its whole budget start at once would open again
// all at once one window later, and a burst delayed on its way out (the event loop busy with a
// page's transaction) then lands in the same server-side second as the next burst. Measured
// against the loopback server in its own thread: 29 arrivals in one second at a 25 req/s cap with
// bursts, at most the cap with the spreading.

export interface RateLimiterOptions {
  /** Request starts per second; Infinity lifts the limit (bench: local ingest speed). */
  ratePerSecond: number;
  maxConcurrent: number;
  /**
   * Request starts per second to any one endpoint (Stripe counts each named operation, e.g.
   * `GET /v1/invoices`, separately: 25 by default, whatever the account's global limit). Infinity
   * (default) or >= ratePerSecond: no separate cap.
   */
  endpointRatePerSecond?: number;
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
  endpoint: string | null;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export const DEFAULT_TEST_RATE = 25;
export const DEFAULT_LIVE_RATE = 100;
/** Stripe's default per-endpoint limit (docs.stripe.com/rate-limits). */
export const DEFAULT_ENDPOINT_RATE = 25;

/** Start times within the last window, oldest first (a ring would save little at these sizes). */
class StartWindow {
  private starts: number[] = [];

  constructor(private cap: number) {}

  setCap(cap: number): void {
    this.cap = cap;
    if (this.starts.length > cap) this.starts = this.starts.slice(-cap);
  }

  /** Milliseconds until one more start fits (0: now). */
  waitMs(t: number, windowMs: number): number {
    if (!Number.isFinite(this.cap)) return 0;
    const cap = Math.max(1, Math.floor(this.cap));
    if (this.starts.length < cap) return 0;
    return Math.max(0, this.starts[this.starts.length - cap] + windowMs - t);
  }

  record(t: number): void {
    if (!Number.isFinite(this.cap)) return;
    this.starts.push(t);
    const cap = Math.max(1, Math.floor(this.cap));
    if (this.starts.length > cap) this.starts.splice(0, this.starts.length - cap);
  }

  get size(): number {
    return this.starts.length;
  }
}

export class RateLimiter {
  private rate: number;
  private maxConcurrent: number;
  private readonly endpointRate: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** The last `rate` grants, account-wide. */
  private readonly grants: StartWindow;
  /** The last `endpointRate` grants per endpoint. */
  private readonly byEndpoint = new Map<string, StartWindow>();
  private inFlight = 0;
  private pausedUntil = 0;
  /** Spreading: the earliest time the next start is due (GCRA's theoretical arrival time). */
  private nextDue = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** All permits ever granted (the request count). */
  granted = 0;

  constructor(opts: RateLimiterOptions) {
    if (!(opts.ratePerSecond > 0)) throw new Error(`RateLimiter: ratePerSecond must be > 0, got ${opts.ratePerSecond}`);
    if (!(opts.maxConcurrent >= 1)) throw new Error(`RateLimiter: maxConcurrent must be >= 1, got ${opts.maxConcurrent}`);
    if (opts.endpointRatePerSecond !== undefined && !(opts.endpointRatePerSecond > 0)) throw new Error(`RateLimiter: endpointRatePerSecond must be > 0, got ${opts.endpointRatePerSecond}`);
    this.rate = opts.ratePerSecond;
    this.maxConcurrent = Math.floor(opts.maxConcurrent);
    this.endpointRate = opts.endpointRatePerSecond ?? Infinity;
    this.windowMs = 1000 + (opts.guardMs ?? 20);
    this.now = opts.now ?? Date.now;
    this.grants = new StartWindow(this.rate);
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** The per-endpoint cap in force (Infinity: none beyond the global rate). */
  get endpointRatePerSecond(): number {
    return Math.min(this.endpointRate, this.rate);
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
    // Keep the newest grants: forgetting them would let a full second's budget start again at
    // once, on top of the requests just sent.
    this.rate = ratePerSecond;
    this.grants.setCap(ratePerSecond);
    this.pump();
  }

  /** Changes how many requests may be in flight (it follows the observed latency). */
  setConcurrency(maxConcurrent: number): void {
    if (!(maxConcurrent >= 1)) throw new Error(`RateLimiter: maxConcurrent must be >= 1, got ${maxConcurrent}`);
    this.maxConcurrent = Math.floor(maxConcurrent);
    this.pump();
  }

  /** Nobody starts before `untilMs` (after a 429 the whole account backs off, not one request). */
  pauseUntil(untilMs: number): void {
    if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
    this.pump();
  }

  /** `endpoint`: the operation the request is for (`GET /v1/invoices`), for the per-endpoint cap. */
  acquire(signal?: AbortSignal, endpoint: string | null = null): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal, endpoint };
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

  private endpointWindow(endpoint: string): StartWindow {
    let w = this.byEndpoint.get(endpoint);
    if (!w) this.byEndpoint.set(endpoint, (w = new StartWindow(this.endpointRate)));
    return w;
  }

  private endpointWait(w: Waiter, t: number): number {
    if (!w.endpoint || !Number.isFinite(this.endpointRate) || this.endpointRate >= this.rate) return 0;
    return this.endpointWindow(w.endpoint).waitMs(t, this.windowMs);
  }

  /** Milliseconds until the spreading allows the next start. */
  private spreadWait(t: number): number {
    if (!Number.isFinite(this.rate)) return 0;
    const spacing = this.windowMs / this.rate;
    const burst = Math.max(1, Math.floor(this.rate / 50));
    return Math.max(0, this.nextDue - (burst - 1) * spacing - t);
  }

  private schedule(wait: number): void {
    const at = this.now() + wait;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.ceil(wait));
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.maxConcurrent) {
      const t = this.now();
      const globalWait = Math.max(0, this.pausedUntil - t, this.grants.waitMs(t, this.windowMs), this.spreadWait(t));
      if (globalWait > 0) return this.schedule(globalWait);
      // First come, first served, except that a waiter whose endpoint is at its cap lets the
      // requests to other endpoints go first.
      let pick = -1;
      let soonest = Infinity;
      for (let i = 0; i < this.queue.length; i++) {
        const wait = this.endpointWait(this.queue[i], t);
        if (wait === 0) {
          pick = i;
          break;
        }
        soonest = Math.min(soonest, wait);
      }
      if (pick < 0) return this.schedule(soonest);
      const [w] = this.queue.splice(pick, 1);
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      this.grants.record(t);
      if (Number.isFinite(this.rate)) this.nextDue = Math.max(this.nextDue, t) + this.windowMs / this.rate;
      if (w.endpoint && Number.isFinite(this.endpointRate) && this.endpointRate < this.rate) this.endpointWindow(w.endpoint).record(t);
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
    this.timerAt = Infinity;
    for (const w of this.queue.splice(0)) w.reject(reason);
  }
}
