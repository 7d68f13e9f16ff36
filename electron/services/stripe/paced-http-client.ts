import type { IncomingMessage } from 'node:http';
import Stripe from 'stripe';
import type { RateLimiter } from './rate-limiter';

// The HTTP layer under the Stripe SDK for every client the console builds: each attempt (the
// first try and every retry) takes a permit from the account's rate limiter, so pacing covers the
// sync, the on-demand refresh and user actions (portal links, payment retries) alike. It also
// retries what stripe-node would not: a plain 429 backs off (the whole account pauses, honouring
// Retry-After) and is tried again. 409, 5xx, timeouts and dropped connections are retried here
// too, with exponential backoff and jitter, unless Stripe says Stripe-Should-Retry: false. POSTs
// are safe to repeat because the SDK puts an Idempotency-Key on every POST.

type HttpClientInterface = Stripe.HttpClient;
type Response = Awaited<ReturnType<HttpClientInterface['makeRequest']>>;

export interface PacedHttpClientOptions {
  limiter: RateLimiter;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** First backoff in ms (default 250); doubles each retry, capped at maxBackoffMs. */
  retryBaseMs?: number;
  maxBackoffMs?: number;
  inner?: HttpClientInterface;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Observes every attempt's outcome: request counts and rates for progress, latency for the
   * concurrency, connectivity by when it was sent.
   */
  onAttempt?: (info: { status: number | null; error: string | null; retried: boolean; startedMs: number; durationMs: number; endpoint: string }) => void;
}

const RETRYABLE_ERROR = /ETIMEDOUT|ECONNRESET|ECONNREFUSED|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|socket hang up|timeout/i;

/**
 * The endpoint a request counts against in Stripe's per-endpoint limits: the method and the path
 * with object ids replaced (`GET /v1/customers/:id/payment_methods`). An id segment is one that
 * carries a digit or a capital (`cus_NffrFeUfNV2Hib`); resource names never do.
 */
export function endpointOf(method: string, path: string): string {
  const bare = path.split('?')[0];
  return `${method.toUpperCase()} ${bare.split('/').map((seg) => (/[0-9A-Z]/.test(seg) && seg !== 'v1' && seg !== 'v2' ? ':id' : seg)).join('/')}`;
}

/** The `error.code` of a 429's body (`lock_timeout`: another request holds the object, not a rate limit). */
async function errorCode(res: Response): Promise<string | null> {
  try {
    const body = (await res.toJSON()) as { error?: { code?: string } } | null;
    return body?.error?.code ?? null;
  } catch {
    return null;
  }
}

function discard(res: Response): void {
  if (res.dispose) res.dispose();
  else (res.getRawResponse() as IncomingMessage | undefined)?.resume?.();
}

export class PacedHttpClient implements HttpClientInterface {
  private readonly inner: HttpClientInterface;
  private readonly maxRetries: number;
  private readonly base: number;
  private readonly cap: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: PacedHttpClientOptions) {
    this.inner = opts.inner ?? Stripe.createNodeHttpClient();
    this.maxRetries = opts.maxRetries ?? 6;
    this.base = opts.retryBaseMs ?? 250;
    this.cap = opts.maxBackoffMs ?? 8_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  getClientName(): string {
    return 'paced-node';
  }

  private backoff(attempt: number): number {
    const ms = Math.min(this.cap, this.base * 2 ** attempt);
    return ms / 2 + Math.random() * (ms / 2);
  }

  async makeRequest(host: string, port: string, path: string, method: string, headers: Parameters<HttpClientInterface['makeRequest']>[4], requestData: string, protocol: string, timeout: number): Promise<Response> {
    const endpoint = endpointOf(method, path);
    for (let attempt = 0; ; attempt++) {
      const permit = await this.opts.limiter.acquire(undefined, endpoint);
      const startedMs = Date.now();
      let res: Response;
      try {
        res = await this.inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
      } catch (err) {
        permit.release();
        const message = err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err);
        const retry = attempt < this.maxRetries && RETRYABLE_ERROR.test(message);
        this.opts.onAttempt?.({ status: null, error: message.trim(), retried: retry, startedMs, durationMs: Date.now() - startedMs, endpoint });
        if (!retry) throw err;
        await this.sleep(this.backoff(attempt));
        continue;
      }
      permit.release();
      const durationMs = Date.now() - startedMs;
      const status = res.getStatusCode();
      const responseHeaders = res.getHeaders() as Record<string, string | undefined>;
      // Stripe-Should-Retry overrides the status either way (as stripe-node reads it).
      const shouldRetryHeader = responseHeaders['stripe-should-retry'];
      const retryable = shouldRetryHeader === 'true' || (shouldRetryHeader !== 'false' && (status === 429 || status === 409 || status >= 500));
      const retry = retryable && status >= 400 && attempt < this.maxRetries;
      this.opts.onAttempt?.({ status, error: null, retried: retry, startedMs, durationMs, endpoint });
      if (!retry) return res;
      const wait = this.backoff(attempt);
      if (status === 429) {
        // lock_timeout: another request holds the same object; only this request waits. Anything
        // else is the rate limit, which every request of this account is over: pause them all.
        const code = await errorCode(res);
        if (code === 'lock_timeout') {
          await this.sleep(wait);
          continue;
        }
        const retryAfter = Number(responseHeaders['retry-after']);
        const pause = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : wait;
        this.opts.limiter.pauseUntil(Date.now() + pause);
        continue;
      }
      discard(res);
      await this.sleep(wait);
    }
  }
}
