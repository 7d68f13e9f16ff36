import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount, seedBulk } from '../stripe-server/seed';

// The loopback Stripe-compatible server, driven through the real stripe SDK: if the SDK's own
// pagination, error classes and retry rules behave against it, the sync code tested on it will
// behave against Stripe.

let server: StripeServer;
let stripe: Stripe;

function client(s: StripeServer, extra: Partial<Stripe.StripeConfig> = {}): Stripe {
  return new Stripe('sk_test_server', { host: '127.0.0.1', port: s.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false, ...extra });
}

beforeEach(async () => {
  server = await startStripeServer();
  stripe = client(server);
});
afterEach(async () => {
  await server.close();
});

describe('pagination', () => {
  it('walks newest-first with starting_after and oldest-first with ending_before, like Stripe', async () => {
    for (let i = 0; i < 23; i++) server.store.createCustomer({ email: `c${i}@example.com` });
    const expected = server.store.all('customer').map((c) => c.id);

    const forward: string[] = [];
    await stripe.customers.list({ limit: 5 }).autoPagingEach((c) => {
      forward.push(c.id);
    });
    expect(forward).toEqual(expected);
    expect(server.requests.filter((r) => r.path === '/v1/customers')).toHaveLength(5);

    // From the oldest forward in time (how the events poller walks): ending_before + auto-paging.
    const oldest = expected[expected.length - 1];
    const backward: string[] = [];
    await stripe.customers.list({ limit: 4, ending_before: oldest }).autoPagingEach((c) => {
      backward.push(c.id);
    });
    expect(backward).toEqual(expected.slice(0, -1).reverse());

    const page = await stripe.customers.list({ limit: 3, ending_before: expected[10] });
    expect(page.data.map((c) => c.id)).toEqual(expected.slice(7, 10));
    expect(page.has_more).toBe(true);
    expect(page.url).toBe('/v1/customers');
  });

  it('refuses a limit outside 1..100 and an unknown cursor with Stripe errors', async () => {
    await expect(stripe.customers.list({ limit: 101 })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'limit' });
    await expect(stripe.customers.list({ starting_after: 'cus_nope' })).rejects.toMatchObject({ code: 'resource_missing', statusCode: 404 });
  });

  it('filters subscriptions: canceled ones only with status=all', async () => {
    seedAccount(server.store, { customers: 25, seed: 3 });
    const all = server.store.all('subscription');
    const canceled = all.filter((s) => s.status === 'canceled').length;
    expect(canceled).toBeGreaterThan(0);
    const every = await stripe.subscriptions.list({ status: 'all', limit: 100 });
    const dflt = await stripe.subscriptions.list({ limit: 100 });
    expect(every.data).toHaveLength(all.length);
    expect(dflt.data).toHaveLength(all.length - canceled);
  });
});

describe('expand', () => {
  it('expands list items with data., invoice payments down to the PaymentIntent, and refuses a fifth level', async () => {
    const c = server.store.createCustomer({ email: 'x@example.com', paymentMethod: 'pm_card_visa' });
    const inv = server.store.createInvoice({ customer: c.id, amount: 2500, autoAdvance: true });
    server.store.setNextPayOutcome(inv.id, { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' });
    await expect(stripe.invoices.pay(inv.id)).rejects.toMatchObject({ type: 'StripeCardError', decline_code: 'insufficient_funds', statusCode: 402 });

    const customers = await stripe.customers.list({ expand: ['data.invoice_settings.default_payment_method'] });
    const pm = customers.data[0].invoice_settings.default_payment_method as Stripe.PaymentMethod;
    expect(pm.card?.last4).toBe('4242');

    const full = await stripe.invoices.retrieve(inv.id, { expand: ['payments.data.payment.payment_intent'] });
    const pi = full.payments!.data[0].payment.payment_intent as Stripe.PaymentIntent;
    expect(pi.last_payment_error?.decline_code).toBe('insufficient_funds');
    expect(pi.last_payment_error?.advice_code).toBe('try_again_later');

    const viaList = await stripe.invoicePayments.list({ invoice: inv.id, expand: ['data.payment.payment_intent.latest_charge'] });
    const charge = (viaList.data[0].payment.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge.outcome?.reason).toBe('insufficient_funds');
    expect(charge.failure_code).toBe('card_declined');

    await expect(stripe.invoices.list({ expand: ['data.payments.data.payment.payment_intent'] })).rejects.toThrow(/more than 4 levels/);
  });

  it('refuses unknown parameters instead of ignoring them', async () => {
    await expect(stripe.customers.create({ emial: 'typo@example.com' } as never)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'emial' });
    expect(server.store.all('customer')).toHaveLength(0);
  });
});

describe('idempotency', () => {
  it('replays the first response for the same key without a second effect', async () => {
    const a = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'key-1' });
    const eventsAfterFirst = server.store.all('event').length;
    const b = await stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'key-1' });
    expect(b.id).toBe(a.id);
    expect(server.store.all('customer')).toHaveLength(1);
    expect(server.store.all('event')).toHaveLength(eventsAfterFirst);
    expect(server.requests.at(-1)?.idempotentReplay).toBe(true);
    await expect(stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'key-1' })).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
  });

  it('replays a decline: a retried pay with the same key records one attempt, not two', async () => {
    const c = server.store.createCustomer({ paymentMethod: 'pm_card_visa' });
    const inv = server.store.createInvoice({ customer: c.id, amount: 900, autoAdvance: true });
    server.store.setCustomerDecline(c.id, { declineCode: 'do_not_honor' });
    for (let i = 0; i < 2; i++) await expect(stripe.invoices.pay(inv.id, {}, { idempotencyKey: 'pay-1' })).rejects.toMatchObject({ decline_code: 'do_not_honor' });
    expect(server.store.invoiceById(inv.id).attempt_count).toBe(1);
  });
});

describe('fault injection', () => {
  it('a 429 reaches the SDK as a rate-limit error and stripe-node does not retry it', async () => {
    stripe = client(server, { maxNetworkRetries: 3 });
    server.inject({ kind: '429', count: 1 });
    await expect(stripe.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ status: 429, injected: '429' });
  });

  it('a 500 is retried by stripe-node (and succeeds on the retry)', async () => {
    stripe = client(server, { maxNetworkRetries: 2 });
    server.inject({ kind: '500', count: 1 });
    const list = await stripe.customers.list();
    expect(list.object).toBe('list');
    expect(server.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('a timeout is never answered: the SDK gives up with a connection error', async () => {
    stripe = client(server, { timeout: 200 });
    server.inject({ kind: 'timeout', count: 1 });
    await expect(stripe.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
  });

  it('an injected decline on pay is a 402 card_error, a failed attempt with the decline, and invoice.payment_failed', async () => {
    const c = server.store.createCustomer({ paymentMethod: 'pm_card_visa' });
    const inv = server.store.createInvoice({ customer: c.id, amount: 4200, autoAdvance: true });
    server.inject({ kind: 'decline', declineCode: 'card_velocity_exceeded', adviceCode: 'try_again_later', count: 1 });
    const err = await stripe.invoices.pay(inv.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ code: 'card_declined', decline_code: 'card_velocity_exceeded', statusCode: 402 });
    expect((err as { raw: { advice_code: string } }).raw.advice_code).toBe('try_again_later');

    const after = await stripe.invoices.retrieve(inv.id);
    expect(after).toMatchObject({ status: 'open', attempt_count: 1, attempted: true });
    expect(after.next_payment_attempt).toBeGreaterThan(0);
    const failed = await stripe.events.list({ type: 'invoice.payment_failed' });
    expect(failed.data).toHaveLength(1);
    expect((failed.data[0].data.object as Stripe.Invoice).id).toBe(inv.id);
    const customer = await stripe.customers.retrieve(c.id);
    expect((customer as Stripe.Customer).delinquent).toBe(true);

    // The rule was used once: the next pay goes through.
    const paid = await stripe.invoices.pay(inv.id);
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 2, amount_remaining: 0 });
    const payments = await stripe.invoicePayments.list({ invoice: inv.id });
    expect(payments.data.map((p) => p.status)).toEqual(['paid', 'canceled']);
  });
});

describe('events', () => {
  it('emits an event per change with previous_attributes, and drops events past 30 days', async () => {
    const c = await stripe.customers.create({ email: 'a@example.com' });
    await stripe.customers.update(c.id, { email: 'b@example.com' });
    const events = await stripe.events.list();
    expect(events.data.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
    expect(events.data[0].data.previous_attributes).toEqual({ email: 'a@example.com' });
    expect(events.data[0].api_version).toBe('2026-10-28.endive');
    const cursor = events.data[1].id;

    server.clock.advance(31 * 86_400);
    await stripe.customers.del(c.id);
    const later = await stripe.events.list();
    expect(later.data.map((e) => e.type)).toEqual(['customer.deleted']);
    await expect(stripe.events.list({ ending_before: cursor })).rejects.toMatchObject({ code: 'resource_missing' });
    const gone = await stripe.customers.retrieve(c.id);
    expect(gone.deleted).toBe(true);
  });
});

describe('bulk seeding', () => {
  it('serves lazily built objects in full shape and lets them change like any other', async () => {
    seedBulk(server.store, { customers: 300, invoices: 900 });
    const page = await stripe.invoices.list({ limit: 100 });
    expect(page.data).toHaveLength(100);
    expect(page.has_more).toBe(true);
    const inv = page.data.find((i) => i.status === 'open') ?? page.data[0];
    expect(inv.lines.data[0].amount).toBe(inv.total);
    const byCustomer = await stripe.invoices.list({ customer: inv.customer as string, limit: 100 });
    expect(byCustomer.data.map((i) => i.id)).toContain(inv.id);
    const updated = await stripe.customers.update(inv.customer as string, { name: 'Changed' });
    expect(updated.name).toBe('Changed');
    expect((await stripe.customers.retrieve(updated.id) as Stripe.Customer).name).toBe('Changed');
  });
});

describe('routes are pluggable', () => {
  it('serves an extra route module', async () => {
    const s2 = await startStripeServer({ extraRoutes: [{ name: 'ping', routes: [{ method: 'GET', path: '/v1/ping', handle: () => ({ object: 'ping', ok: true }) }] }] });
    try {
      const res = await fetch(`${s2.url}/v1/ping`, { headers: { Authorization: 'Bearer sk_test_x' } });
      expect(await res.json()).toEqual({ object: 'ping', ok: true });
    } finally {
      await s2.close();
    }
  });
});
