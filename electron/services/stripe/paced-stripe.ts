import type Stripe from 'stripe';
import { createStripeClient } from './client';
import { ConcurrencyGauge, DEFAULT_MAX_IN_FLIGHT } from './concurrency';
import { PacedHttpClient } from './paced-http-client';
import { DEFAULT_ENDPOINT_RATE, DEFAULT_LIVE_RATE, DEFAULT_TEST_RATE, RateLimiter } from './rate-limiter';

// A Stripe SDK client that keeps an account's budget: the rate limiter (account and per-endpoint
// rates), requests in flight following the observed latency, retries in the paced HTTP layer (the
// SDK's own are off so they do not multiply). Built the same way for a desk's account
// (sync/clients.ts) and for the team server's (team-server/sync/stripe-access.ts).

export interface PacedStripeOptions {
  key: string;
  apiBase?: string;
  livemode: boolean;
  /** Requests per second; default 25 for test keys, 100 for live keys. */
  ratePerSecond?: number;
  /** The most requests in flight; below it the number follows the observed latency (default 48). */
  maxConcurrent?: number;
  /** Per endpoint (Stripe's: 25); default 25 unless ratePerSecond is chosen (then the whole budget). */
  endpointRatePerSecond?: number;
  /** HTTP-level retries after the first attempt. */
  maxRetries?: number;
  retryBaseMs?: number;
  timeoutMs?: number;
  /** Extra milliseconds on the limiter's one-second window, for the trip to the server (default 20). */
  guardMs?: number;
  /** Every attempt, after the pacing has learnt from it. */
  onAttempt?: (info: { status: number | null; error: string | null; startedMs: number; durationMs: number }) => void;
}

export interface PacedStripe {
  client: Stripe;
  limiter: RateLimiter;
  /** Observed latency -> how many requests to keep in flight (the limiter's cap follows it). */
  gauge: ConcurrencyGauge;
  /** Requests worth keeping in flight now (the backfill plans its parallel work from it). */
  parallelism(): number;
}

export function buildPacedStripe(o: PacedStripeOptions): PacedStripe {
  const ratePerSecond = o.ratePerSecond ?? (o.livemode ? DEFAULT_LIVE_RATE : DEFAULT_TEST_RATE);
  const gauge = new ConcurrencyGauge(o.maxConcurrent ?? DEFAULT_MAX_IN_FLIGHT);
  const limiter = new RateLimiter({
    ratePerSecond,
    maxConcurrent: gauge.target(ratePerSecond),
    // Stripe's limits: 25 req/s per endpoint under the account's 25 or 100. A rate chosen by hand
    // (a raised limit, a local server) is the whole budget unless an endpoint rate is named too.
    endpointRatePerSecond: o.endpointRatePerSecond ?? (o.ratePerSecond === undefined ? DEFAULT_ENDPOINT_RATE : Infinity),
    guardMs: o.guardMs,
  });
  const http = new PacedHttpClient({
    limiter,
    maxRetries: o.maxRetries,
    retryBaseMs: o.retryBaseMs,
    onAttempt: (info) => {
      gauge.observe(info.durationMs);
      const wanted = gauge.target(limiter.ratePerSecond);
      if (wanted !== limiter.concurrencyCap) limiter.setConcurrency(wanted);
      o.onAttempt?.(info);
    },
  });
  const client = createStripeClient(o.key, { apiBase: o.apiBase, httpClient: http, maxNetworkRetries: 0, timeoutMs: o.timeoutMs ?? 30_000 });
  return { client, limiter, gauge, parallelism: () => gauge.target(limiter.ratePerSecond) };
}
