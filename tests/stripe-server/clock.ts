/**
 * The test server's notion of "now". Stripe timestamps are unix seconds; tests move time forward
 * (to age events past the 30-day retention, or to reach a subscription's renewal) with advance().
 * Time never moves backwards, so `created` stays monotonic for objects made through the API.
 */
export class ServerClock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  nowMs(): number {
    return this.base() + this.offsetMs;
  }

  /** Unix seconds, as Stripe sends `created`. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    if (!(seconds >= 0)) throw new Error(`clock.advance: seconds must be >= 0, got ${seconds}`);
    this.offsetMs += seconds * 1000;
  }
}
