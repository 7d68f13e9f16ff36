import Stripe from 'stripe';
import { assertKeyMayUseBase } from './api-base';

export interface StripeClientOptions {
  /** Base URL of a Stripe-compatible server, e.g. http://127.0.0.1:12111 (STRIPE_API_BASE). Real API when unset. */
  apiBase?: string;
  timeoutMs?: number;
  maxNetworkRetries?: number;
  /** The HTTP layer (the sync's paced client: rate limit and retries). */
  httpClient?: Stripe.HttpClient;
}

/** The one place a Stripe SDK client is built: the API version is the one the installed SDK pins. */
export function createStripeClient(key: string, options: StripeClientOptions = {}): Stripe {
  // Every client is built here, so no path (sync, refresh, a pasted key) can send a live key to a test server.
  assertKeyMayUseBase(key, options.apiBase);
  const config: Stripe.StripeConfig = {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    appInfo: { name: 'billing-support-console', version: '0.1.0' },
    telemetry: false,
  };
  if (options.httpClient) config.httpClient = options.httpClient;
  if (options.apiBase) {
    const url = new URL(options.apiBase);
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    config.protocol = url.protocol === 'https:' ? 'https' : 'http';
  }
  return new Stripe(key, config);
}
