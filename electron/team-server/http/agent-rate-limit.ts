// Per-agent request limits (a token bucket per agent, per instance): one desk stuck in a loop
// cannot starve the team. A refused request is told when to try again.

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export class AgentRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the request may go now, else the seconds to wait. */
  take(agentId: string): number {
    const t = this.now();
    const b = this.buckets.get(agentId) ?? { tokens: this.limit.burst, at: t };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((t - b.at) / 1000) * this.limit.perSecond);
    b.at = t;
    this.buckets.set(agentId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.limit.perSecond));
  }
}
