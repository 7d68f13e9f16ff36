import { describe, expect, it, vi } from 'vitest';
import type Stripe from 'stripe';
import { endpointOf, PacedHttpClient } from '../../electron/services/stripe/paced-http-client';
import { RateLimiter } from '../../electron/services/stripe/rate-limiter';

// The paced HTTP layer under the Stripe SDK: a plain 429 is the rate limit, so the whole account
// pauses; a 429 lock_timeout is one object held by another request, so only that request waits;
// Stripe-Should-Retry decides either way. Endpoints are named as Stripe counts them.

type Res = Awaited<ReturnType<Stripe.HttpClient['makeRequest']>>;

function response(status: number, body: unknown, headers: Record<string, string> = {}): Res {
  return {
    getStatusCode: () => status,
    getHeaders: () => headers,
    getRawResponse: () => ({ resume: () => undefined }),
    toStream: () => undefined,
    toJSON: async () => body,
  } as unknown as Res;
}

function client(answers: Res[]) {
  const limiter = new RateLimiter({ ratePerSecond: Infinity, maxConcurrent: 4 });
  const pause = vi.spyOn(limiter, 'pauseUntil');
  const sleeps: number[] = [];
  const inner = { makeRequest: vi.fn(async () => answers.shift()!), getClientName: () => 'fake' } as unknown as Stripe.HttpClient;
  const http = new PacedHttpClient({ limiter, inner, retryBaseMs: 1, sleep: async (ms) => void sleeps.push(ms) });
  const call = () => http.makeRequest('h', '1', '/v1/customers/cus_Abc123/payment_methods', 'GET', {}, '', 'http', 1000);
  return { call, pause, sleeps, inner };
}

describe('paced HTTP client', () => {
  it('a 429 lock_timeout retries that request only; the account is not paused', async () => {
    const c = client([response(429, { error: { code: 'lock_timeout' } }, { 'stripe-should-retry': 'true' }), response(200, {})]);
    const res = await c.call();
    expect(res.getStatusCode()).toBe(200);
    expect(c.pause).not.toHaveBeenCalled();
    expect(c.sleeps.length).toBe(1);
  });

  it('a plain 429 pauses every request of the account (Retry-After honoured)', async () => {
    const c = client([response(429, { error: { code: 'rate_limit' } }, { 'retry-after': '1' }), response(200, {})]);
    const before = Date.now();
    await c.call();
    expect(c.pause).toHaveBeenCalledTimes(1);
    expect(c.pause.mock.calls[0][0]).toBeGreaterThanOrEqual(before + 1_000);
    expect(c.sleeps).toEqual([]);
  });

  it('Stripe-Should-Retry: false is final, true retries even a status that would not be', async () => {
    const no = client([response(429, { error: {} }, { 'stripe-should-retry': 'false' })]);
    expect((await no.call()).getStatusCode()).toBe(429);
    const yes = client([response(400, { error: {} }, { 'stripe-should-retry': 'true' }), response(200, {})]);
    expect((await yes.call()).getStatusCode()).toBe(200);
  });

  it('names endpoints as Stripe counts them: one per operation, whatever the object id', () => {
    expect(endpointOf('get', '/v1/customers/cus_NffrFeUfNV2Hib/payment_methods?limit=100')).toBe('GET /v1/customers/:id/payment_methods');
    expect(endpointOf('GET', '/v1/invoice_payments')).toBe('GET /v1/invoice_payments');
    expect(endpointOf('POST', '/v1/invoices/in_1MtHbELkdIwHu7ixl4OzzPMv/pay')).toBe('POST /v1/invoices/:id/pay');
    expect(endpointOf('GET', '/v1/billing_portal/configurations')).toBe('GET /v1/billing_portal/configurations');
  });
});
