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
  /** Observes every attempt's outcome (request counts and rates for progress; connectivity, by when it was sent). */
  onAttempt?: (info: { status: number | null; error: string | null; retried: boolean; startedMs: number }) => void;
}

const RETRYABLE_ERROR = /ETIMEDOUT|ECONNRESET|ECONNREFUSED|EPIPE|EAI_AGAIN|ENOTFOUND|ENETUNREACH|EHOSTUNREACH|socket hang up|timeout/i;

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
    for (let attempt = 0; ; attempt++) {
      const permit = await this.opts.limiter.acquire();
      let res: Response;
      const startedMs = Date.now();
      try {
        res = await this.inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
      } catch (err) {
        permit.release();
        const message = err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : String(err);
        const retry = attempt < this.maxRetries && RETRYABLE_ERROR.test(message);
        this.opts.onAttempt?.({ status: null, error: message.trim(), retried: retry, startedMs });
        if (!retry) throw err;
        await this.sleep(this.backoff(attempt));
        continue;
      }
      permit.release();
      const status = res.getStatusCode();
      const responseHeaders = res.getHeaders() as Record<string, string | undefined>;
      const shouldRetryHeader = responseHeaders['stripe-should-retry'];
      const retryable = status === 429 || status === 409 || status >= 500;
      const retry = retryable && shouldRetryHeader !== 'false' && attempt < this.maxRetries;
      this.opts.onAttempt?.({ status, error: null, retried: retry, startedMs });
      if (!retry) return res;
      discard(res);
      const wait = this.backoff(attempt);
      if (status === 429) {
        // Over budget means every request of this account is: pause them all.
        const retryAfter = Number(responseHeaders['retry-after']);
        const pause = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : wait;
        this.opts.limiter.pauseUntil(Date.now() + pause);
        continue;
      }
      await this.sleep(wait);
    }
  }
}
