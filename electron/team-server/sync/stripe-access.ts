import type Stripe from 'stripe';
import { isLiveKey } from '../../services/stripe/api-base';
import { buildPacedStripe } from '../../services/stripe/paced-stripe';
import type { RateLimiter } from '../../services/stripe/rate-limiter';

// The team server's Stripe client for one account, paced like a desk's (stripe/paced-stripe.ts)
// so the server, the only caller of Stripe in team mode, keeps the account's budget. `requests`
// counts attempts, for the bench; `parallelism` is what the backfill plans its work from.

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
  parallelism(): number;
  stats: { requests: number };
  close(): void;
}

export function serverStripe(o: ServerStripeOptions): ServerStripe {
  const stats = { requests: 0 };
  const paced = buildPacedStripe({ key: o.key, apiBase: o.apiBase, livemode: isLiveKey(o.key), ratePerSecond: o.ratePerSecond, maxConcurrent: o.maxConcurrent, retryBaseMs: o.retryBaseMs, onAttempt: () => void stats.requests++ });
  return { client: paced.client, limiter: paced.limiter, parallelism: paced.parallelism, stats, close: () => paced.limiter.close(new Error('The team server is stopping.')) };
}
