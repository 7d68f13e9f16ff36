// How many requests to keep in flight so the rate budget is spent whatever the latency: by
// Little's law a rate of R req/s with requests taking L s each needs R x L of them in flight. The
// latency is measured (a moving average of recent requests, weighted towards the slow ones so a
// jittery link does not starve the budget), and a little headroom is kept for the spread. With
// no rate limit (the bench's lifted run) the ceiling is the answer.

export const DEFAULT_MAX_IN_FLIGHT = 48;
const MIN_IN_FLIGHT = 4;
const HEADROOM = 1.3;
/** Weight of each new sample in the moving averages. */
const ALPHA = 0.1;

export class ConcurrencyGauge {
  private meanMs: number | null = null;
  private deviationMs = 0;

  constructor(private readonly ceiling: number = DEFAULT_MAX_IN_FLIGHT) {}

  /** One request's duration (network + server), in ms. */
  observe(durationMs: number): void {
    if (!(durationMs >= 0)) return;
    if (this.meanMs === null) {
      this.meanMs = durationMs;
      this.deviationMs = durationMs / 4;
      return;
    }
    this.deviationMs += ALPHA * (Math.abs(durationMs - this.meanMs) - this.deviationMs);
    this.meanMs += ALPHA * (durationMs - this.meanMs);
  }

  /** The latency planned for: the mean plus the usual spread (ms; null before any sample). */
  get latencyMs(): number | null {
    return this.meanMs === null ? null : this.meanMs + this.deviationMs;
  }

  /** Requests to keep in flight at `ratePerSecond`. */
  target(ratePerSecond: number): number {
    if (!Number.isFinite(ratePerSecond)) return this.ceiling;
    const latencyS = (this.latencyMs ?? 250) / 1000;
    const wanted = Math.ceil(ratePerSecond * latencyS * HEADROOM) + 2;
    return Math.max(Math.min(MIN_IN_FLIGHT, this.ceiling), Math.min(this.ceiling, wanted));
  }
}
