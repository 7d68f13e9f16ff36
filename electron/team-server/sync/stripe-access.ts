import type Stripe from 'stripe';
import { isLiveKey } from '../../services/stripe/api-base';
import { createStripeClient } from '../../services/stripe/client';
import { PacedHttpClient } from '../../services/stripe/paced-http-client';
import { ConcurrencyGauge, DEFAULT_MAX_IN_FLIGHT } from '../../services/stripe/concurrency';
import { DEFAULT_LIVE_RATE, DEFAULT_TEST_RATE, RateLimiter } from '../../services/stripe/rate-limiter';

// The team server's Stripe client for one account: the desk's pacing (rate limiter + paced HTTP
// layer that retries 429/5xx) so the server, the only caller of Stripe in team mode, keeps the
// account's budget. `requests` counts attempts, for the bench and healthz.

export interface ServerStripeOptions {
  key: string;
  apiBase?: string;
  ratePerSecond?: number;
  maxConcurrent?: number;
  retryBaseMs?: number;
}

export interface ServerStripe {
  client: Stripe;
  limiter: RateLimiter;
  stats: { requests: number };
  close(): void;
}

export function serverStripe(o: ServerStripeOptions): ServerStripe {
  const live = isLiveKey(o.key);
  const ratePerSecond = o.ratePerSecond ?? (live ? DEFAULT_LIVE_RATE : DEFAULT_TEST_RATE);
  // The desk's fixed concurrency default is gone (main: the in-flight cap follows latency); the
  // server starts where a desk starts. Merge fix on work/desk: team-sync may follow the latency too.
  const limiter = new RateLimiter({ ratePerSecond, maxConcurrent: o.maxConcurrent ?? new ConcurrencyGauge(DEFAULT_MAX_IN_FLIGHT).target(ratePerSecond) });
  const stats = { requests: 0 };
  const http = new PacedHttpClient({ limiter, retryBaseMs: o.retryBaseMs, onAttempt: () => void stats.requests++ });
  // Retries happen in the paced layer; the SDK's own are off so they do not multiply.
  const client = createStripeClient(o.key, { apiBase: o.apiBase, httpClient: http, maxNetworkRetries: 0 });
  return { client, limiter, stats, close: () => limiter.close(new Error('The team server is stopping.')) };
}
