import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type Stripe from 'stripe';
import fc from 'fast-check';
import { DEFAULT_DEMO_ANCHOR_MS, generateDemoObjects, iterateDemoCustomers, type DemoObjects } from '../../electron/services/demo/generate';
import { ALL_SUBSCRIPTION_STATUSES } from '../../electron/services/demo/plan-types';
import { isKnownDeclineCode, NON_RETRYABLE_DECLINE_CODES, classifyDecline } from '../../shared/domain/decline-codes';
import { minorUnitExponent } from '../../shared/domain/money';

// The demo data set as a support agent and the dunning queue will meet it: every status, real
// decline codes, amounts right for each currency's minor unit, and facts that agree with each
// other (a card that declined as expired had expired; a retry scheduled only when Stripe would).

const ANCHOR = Math.floor(DEFAULT_DEMO_ANCHOR_MS / 1000);

function paymentIntentOf(p: Stripe.InvoicePayment): Stripe.PaymentIntent {
  const pi = p.payment.payment_intent;
  if (!pi || typeof pi === 'string') throw new Error(`payment ${p.id} has no expanded PaymentIntent`);
  return pi;
}

function chargeOf(pi: Stripe.PaymentIntent): Stripe.Charge {
  const ch = pi.latest_charge;
  if (!ch || typeof ch === 'string') throw new Error(`PaymentIntent ${pi.id} has no expanded latest_charge`);
  return ch;
}

function failedPayments(invoices: Stripe.Invoice[]): Array<{ invoice: Stripe.Invoice; payment: Stripe.InvoicePayment; error: Stripe.PaymentIntent.LastPaymentError }> {
  const out = [];
  for (const invoice of invoices) {
    for (const payment of invoice.payments!.data) {
      const error = paymentIntentOf(payment).last_payment_error;
      if (error) out.push({ invoice, payment, error });
    }
  }
  return out;
}

/** Month index (year*12 + month-1) of a unix-seconds time, for card expiry comparisons. */
function monthOf(sec: number): number {
  const d = new Date(sec * 1000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

describe('demo data set: determinism', () => {
  afterEach(() => vi.useRealTimers());

  it('the same seed gives byte-identical objects whatever the time of day it runs', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-01T03:00:00Z'));
    const morning = JSON.stringify(generateDemoObjects({ seed: 11, customers: 150 }));
    vi.setSystemTime(new Date('2031-12-24T23:59:59Z'));
    const later = JSON.stringify(generateDemoObjects({ seed: 11, customers: 150 }));
    expect(later).toBe(morning);
  });

  it('a different seed gives a different data set; a different anchor moves every timestamp', () => {
    const a = generateDemoObjects({ seed: 11, customers: 60 });
    const b = generateDemoObjects({ seed: 12, customers: 60 });
    expect(b.customers.map((c) => c.email)).not.toEqual(a.customers.map((c) => c.email));
    expect(b.invoices.map((i) => i.id)).not.toEqual(a.invoices.map((i) => i.id));
    const moved = generateDemoObjects({ seed: 11, customers: 60, anchor: DEFAULT_DEMO_ANCHOR_MS + 86_400_000 });
    expect(moved.customers.map((c) => c.created)).not.toEqual(a.customers.map((c) => c.created));
  });

  it('customer N is the same whether 50 or 400 customers are generated (streams per customer)', () => {
    const small = generateDemoObjects({ seed: 5, customers: 50 });
    const large = [...iterateDemoCustomers({ seed: 5, customers: 400 })].slice(0, 50);
    expect(JSON.stringify(large.map((b) => b.customer))).toBe(JSON.stringify(small.customers));
    expect(JSON.stringify(large.flatMap((b) => b.invoices))).toBe(JSON.stringify(small.invoices));
  });

  it('refuses a negative, fractional or absurd customer count and a bad anchor with a clear error', () => {
    expect(() => generateDemoObjects({ customers: -1 })).toThrow(/customer count/);
    expect(() => generateDemoObjects({ customers: 2.5 })).toThrow(/customer count/);
    expect(() => generateDemoObjects({ customers: 10_000_000 })).toThrow(/customer count/);
    expect(() => generateDemoObjects({ seed: -3 })).toThrow(/seed/);
    expect(() => generateDemoObjects({ anchor: Number.NaN })).toThrow(/anchor/);
    expect(generateDemoObjects({ customers: 0 }).customers).toEqual([]);
  });
});

describe('demo data set: default size and coverage', () => {
  let data: DemoObjects;
  beforeAll(() => {
    data = generateDemoObjects();
  });

  it('has at least 2,000 customers and 6,000 invoices, with unique ids across every object', () => {
    expect(data.customers.length).toBe(2000);
    expect(data.invoices.length).toBeGreaterThanOrEqual(6000);
    const ids = [
      ...data.customers.map((c) => c.id),
      ...data.paymentMethods.map((p) => p.id),
      ...data.subscriptions.map((s) => s.id),
      ...data.subscriptions.flatMap((s) => s.items.data.map((i) => i.id)),
      ...data.invoices.map((i) => i.id),
      ...data.invoices.flatMap((i) => i.lines.data.map((l) => l.id)),
      ...data.invoices.flatMap((i) => i.payments!.data.flatMap((p) => [p.id, paymentIntentOf(p).id, chargeOf(paymentIntentOf(p)).id])),
      ...data.timeline.map((t) => t.id),
      ...data.products.map((p) => p.id),
      ...data.prices.map((p) => p.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has subscriptions in every status, each several times', () => {
    for (const status of ALL_SUBSCRIPTION_STATUSES) {
      expect(data.subscriptions.filter((s) => s.status === status).length, status).toBeGreaterThanOrEqual(10);
    }
  });

  it('has invoices in every status, and both collection methods', () => {
    for (const status of ['paid', 'open', 'void', 'uncollectible', 'draft']) {
      expect(data.invoices.filter((i) => i.status === status).length, status).toBeGreaterThanOrEqual(10);
    }
    expect(data.invoices.some((i) => i.collection_method === 'send_invoice')).toBe(true);
  });

  it('has at least 150 failing payments, all with decline codes from Stripe\'s list, in every dunning category', () => {
    const failures = failedPayments(data.invoices);
    expect(failures.length).toBeGreaterThanOrEqual(150);
    for (const f of failures) {
      expect(isKnownDeclineCode(f.error.decline_code!), f.error.decline_code).toBe(true);
      expect(f.error.type).toBe('card_error');
      expect(f.error.message).toBeTruthy();
      expect(f.error.payment_method?.card?.last4).toMatch(/^\d{4}$/);
      const charge = chargeOf(paymentIntentOf(f.payment));
      expect(charge.status).toBe('failed');
      expect(charge.failure_code).toBe(f.error.code);
      expect(charge.outcome?.reason).toBe(f.error.decline_code);
    }
    const categories = new Set(failures.map((f) => classifyDecline(f.error.decline_code)));
    expect([...categories].sort()).toEqual(['authentication', 'expired_card', 'hard', 'insufficient_funds', 'soft']);
    // Realistic weighting: insufficient funds is the most common decline, stolen cards are rare.
    const count = (code: string) => failures.filter((f) => f.error.decline_code === code).length;
    expect(count('insufficient_funds')).toBeGreaterThan(count('stolen_card') * 5);
    expect(count('insufficient_funds')).toBe(Math.max(...[...new Set(failures.map((f) => f.error.decline_code!))].map(count)));
  });

  it('open invoices with failed attempts exist for the dunning queue, including recoveries (a decline then a payment)', () => {
    const openFailing = data.invoices.filter((i) => i.status === 'open' && failedPayments([i]).length > 0);
    expect(openFailing.length).toBeGreaterThanOrEqual(100);
    const recovered = data.invoices.filter((i) => i.status === 'paid' && failedPayments([i]).length > 0);
    expect(recovered.length).toBeGreaterThanOrEqual(30);
    for (const inv of recovered) {
      const payments = inv.payments!.data;
      expect(payments[payments.length - 1].status).toBe('paid');
      expect(payments[0].created).toBeLessThanOrEqual(payments[payments.length - 1].created);
    }
    // Smart Retries success also shows as one PaymentIntent retried: attempt_count > 1, no error left.
    expect(data.invoices.some((i) => i.status === 'paid' && i.attempt_count > 1 && i.payments!.data.length === 1)).toBe(true);
  });

  it('bills USD, EUR, GBP, JPY and KWD with amounts right for each minor unit', () => {
    // Rough value of one major unit in USD: a price 100x off (¥28 instead of ¥2,800) fails here.
    const usdPerMajor: Record<string, number> = { usd: 1, eur: 1.08, gbp: 1.27, jpy: 0.0067, kwd: 3.25 };
    const currencies = new Set(data.invoices.map((i) => i.currency));
    for (const c of ['usd', 'eur', 'gbp', 'jpy', 'kwd']) expect(currencies, c).toContain(c);
    for (const price of data.prices) {
      const usd = (price.unit_amount! / 10 ** minorUnitExponent(price.currency)) * usdPerMajor[price.currency];
      const usdPrice = data.prices.find((p) => p.product === price.product && p.currency === 'usd' && p.recurring!.interval === price.recurring!.interval)!;
      expect(usd / (usdPrice.unit_amount! / 100), `${price.lookup_key}`).toBeGreaterThan(0.75);
      expect(usd / (usdPrice.unit_amount! / 100), `${price.lookup_key}`).toBeLessThan(1.3);
      expect(Number.isInteger(price.unit_amount)).toBe(true);
    }
    for (const inv of data.invoices) {
      expect(Number.isInteger(inv.total)).toBe(true);
      // Stripe charges three-decimal currencies in multiples of 10 minor units.
      if (inv.currency === 'kwd') expect(inv.total % 10).toBe(0);
      expect(inv.lines.data.reduce((s, l) => s + l.amount, 0)).toBe(inv.total);
      expect(inv.amount_remaining).toBe(inv.amount_due - inv.amount_paid);
      expect(inv.amount_paid).toBe(inv.status === 'paid' ? inv.total : 0);
    }
  });

  it('gives search realistic material: shared e-mails, non-Latin and accented names, phones, metadata, invoice numbers', () => {
    const byEmail = new Map<string, number>();
    for (const c of data.customers) if (c.email) byEmail.set(c.email.toLowerCase(), (byEmail.get(c.email.toLowerCase()) ?? 0) + 1);
    const shared = [...byEmail.entries()].filter(([, n]) => n > 1);
    expect(shared.length).toBeGreaterThanOrEqual(10);
    // The second account's address is typed differently: only a case-insensitive match finds both.
    const pair = data.customers.filter((c) => c.email?.toLowerCase() === shared[0][0]);
    expect(new Set(pair.map((c) => c.email)).size).toBe(2);
    const names = data.customers.map((c) => c.name ?? '');
    expect(names.some((n) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(n))).toBe(true); // Japanese
    expect(names.some((n) => /[\u0400-\u04ff]/.test(n))).toBe(true); // Cyrillic
    expect(names.some((n) => /[\u0370-\u03ff]/.test(n))).toBe(true); // Greek
    expect(names.some((n) => /[\u0600-\u06ff]/.test(n))).toBe(true); // Arabic
    expect(names.some((n) => /[À-ÿ]/.test(n))).toBe(true); // accented Latin
    expect(data.customers.filter((c) => c.phone).length).toBeGreaterThan(1000);
    for (const c of data.customers) {
      expect(c.email).toMatch(/^[\x21-\x7e]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/);
      for (const v of Object.values(c.metadata)) expect(typeof v).toBe('string');
    }
    for (const key of ['company', 'plan_tier', 'external_id']) expect(data.customers.filter((c) => key in c.metadata).length, key).toBeGreaterThan(100);
    const numbers = data.invoices.filter((i) => i.number).map((i) => i.number!);
    for (const n of numbers) expect(n).toMatch(/^[A-Z]{4}\d{4}-\d{4}$/);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(data.invoices.filter((i) => i.status === 'draft').every((i) => i.number === null)).toBe(true);
  });
});

// Consistency rules, checked on one large data set and on many small ones (random seeds and
// anchors: month ends and leap days are where calendar arithmetic goes wrong).

function expectNothingAfterAnchor(data: DemoObjects, anchor: number): void {
  const past: Array<[string, number | null | undefined]> = [];
  for (const c of data.customers) past.push([c.id, c.created]);
  for (const p of data.paymentMethods) past.push([p.id, p.created]);
  for (const s of data.subscriptions) past.push([s.id, s.created], [s.id, s.canceled_at], [s.id, s.ended_at], [s.id, s.start_date]);
  for (const i of data.invoices) {
    past.push([i.id, i.created], [i.id, i.status_transitions.finalized_at], [i.id, i.status_transitions.paid_at], [i.id, i.status_transitions.voided_at], [i.id, i.status_transitions.marked_uncollectible_at]);
    for (const p of i.payments!.data) past.push([p.id, p.created], [p.id, chargeOf(paymentIntentOf(p)).created]);
  }
  for (const t of data.timeline) past.push([t.id, t.created]);
  expect(past.filter(([, t]) => t != null && t > anchor)).toEqual([]);
  for (const i of data.invoices) if (i.next_payment_attempt != null && i.status === 'open') expect(i.next_payment_attempt).toBeGreaterThan(anchor);
}

/** Returns how many open invoices have a retry scheduled. */
function expectRetriesOnlyWhenStripeWould(data: DemoObjects): number {
  const nonRetryable = new Set<string>(NON_RETRYABLE_DECLINE_CODES);
  let scheduled = 0;
  for (const inv of data.invoices) {
    expect(inv.attempt_count).toBeGreaterThanOrEqual(inv.payments!.data.length);
    expect(inv.attempted).toBe(inv.attempt_count > 0);
    if (inv.collection_method === 'send_invoice') expect(inv.next_payment_attempt, inv.id).toBeNull();
    const failures = failedPayments([inv]);
    const last = failures[failures.length - 1];
    if (inv.status === 'open' && last && inv.next_payment_attempt != null) {
      scheduled++;
      expect(nonRetryable.has(last.error.decline_code!), `${inv.id} ${last.error.decline_code}`).toBe(false);
      expect(inv.attempt_count).toBeLessThan(8);
    }
    if (last && nonRetryable.has(last.error.decline_code!)) expect(inv.next_payment_attempt, inv.id).toBeNull();
    if (inv.status === 'paid' || inv.status === 'void' || inv.status === 'uncollectible') expect(inv.next_payment_attempt).toBeNull();
  }
  return scheduled;
}

function invoicesBySubscription(data: DemoObjects): Map<string, Stripe.Invoice[]> {
  const map = new Map<string, Stripe.Invoice[]>();
  for (const inv of data.invoices) {
    const sub = inv.parent?.subscription_details?.subscription as string | undefined;
    if (sub) map.set(sub, [...(map.get(sub) ?? []), inv]);
  }
  return map;
}

function expectSubscriptionLinks(data: DemoObjects): void {
  const subIds = new Set(data.subscriptions.map((s) => s.id));
  for (const inv of data.invoices) {
    expect(inv).not.toHaveProperty('subscription');
    expect(inv).not.toHaveProperty('payment_intent');
    expect(inv).not.toHaveProperty('charge');
    if (inv.billing_reason === 'manual') expect(inv.parent).toBeNull();
    else expect(subIds.has(inv.parent!.subscription_details!.subscription as string)).toBe(true);
  }
  const bySub = invoicesBySubscription(data);
  for (const s of data.subscriptions) {
    const own = bySub.get(s.id) ?? [];
    expect(s.latest_invoice).toBe(own.length ? own[own.length - 1].id : null);
  }
}

function expectSubscriptionStates(data: DemoObjects, anchor: number): void {
  const bySub = invoicesBySubscription(data);
  const customersWithCards = new Set(data.paymentMethods.map((p) => p.customer));
  for (const s of data.subscriptions) {
    const item = s.items.data[0];
    const own = bySub.get(s.id) ?? [];
    if (['active', 'past_due', 'unpaid', 'trialing'].includes(s.status)) {
      expect(item.current_period_start, s.id).toBeLessThanOrEqual(anchor);
      expect(item.current_period_end, s.id).toBeGreaterThan(anchor);
    }
    if (s.status === 'past_due') expect(own.some((i) => i.status === 'open'), s.id).toBe(true);
    if (s.status === 'unpaid') expect(own.some((i) => i.status === 'open' && i.attempt_count > 0 && i.next_payment_attempt === null), s.id).toBe(true);
    if (s.status === 'trialing') expect(s.trial_end!).toBeGreaterThan(anchor);
    if (s.status === 'paused') {
      expect(s.trial_end!).toBeLessThan(anchor);
      expect(customersWithCards.has(s.customer as string), s.id).toBe(false);
    }
    if (s.status === 'incomplete') expect(anchor - s.created).toBeLessThan(23 * 3600);
    if (s.status === 'incomplete_expired') expect(own[0].status).toBe('void');
    if (s.status === 'canceled' || s.status === 'incomplete_expired') expect(s.ended_at).not.toBeNull();
    if (s.cancel_at_period_end) expect(s.cancel_at).toBe(item.current_period_end);
  }
}

/** Returns how many charges declined as expired_card. */
function expectCardsConsistentWithPayments(data: DemoObjects): number {
  const cards = new Map(data.paymentMethods.map((p) => [p.id, p]));
  let expiredDeclines = 0;
  for (const inv of data.invoices) {
    for (const p of inv.payments!.data) {
      const charge = chargeOf(paymentIntentOf(p));
      const card = cards.get(charge.payment_method!)!;
      expect(card.customer).toBe(inv.customer);
      const expiry = card.card!.exp_year * 12 + card.card!.exp_month - 1;
      if (charge.status === 'succeeded') expect(monthOf(charge.created), `${charge.id} on ${card.id}`).toBeLessThanOrEqual(expiry);
      if (charge.outcome?.reason === 'expired_card') {
        expiredDeclines++;
        expect(monthOf(charge.created)).toBeGreaterThan(expiry);
      }
    }
  }
  return expiredDeclines;
}

function expectDefaultCards(data: DemoObjects): void {
  const byCustomer = new Map<string, Stripe.PaymentMethod[]>();
  for (const p of data.paymentMethods) byCustomer.set(p.customer as string, [...(byCustomer.get(p.customer as string) ?? []), p]);
  for (const c of data.customers) {
    const own = byCustomer.get(c.id) ?? [];
    const def = c.invoice_settings.default_payment_method;
    if (own.length === 0) expect(def).toBeNull();
    else {
      expect(typeof def).toBe('object');
      expect((def as Stripe.PaymentMethod).id).toBe(own.reduce((a, b) => (b.created >= a.created ? b : a)).id);
    }
  }
}

function expectTimelines(data: DemoObjects): void {
  const known = new Set([...data.customers.map((c) => c.id), ...data.paymentMethods.map((p) => p.id), ...data.subscriptions.map((s) => s.id), ...data.invoices.map((i) => i.id)]);
  const byCustomer = new Map<string, typeof data.timeline>();
  for (const t of data.timeline) byCustomer.set(t.customer_id, [...(byCustomer.get(t.customer_id) ?? []), t]);
  for (const c of data.customers) {
    const events = byCustomer.get(c.id)!;
    expect(events[0].type).toBe('customer.created');
    expect(events[0].created).toBe(c.created);
    for (let i = 1; i < events.length; i++) expect(events[i].created).toBeGreaterThanOrEqual(events[i - 1].created);
  }
  for (const t of data.timeline) expect(known.has(t.object_id!), `${t.type} ${t.object_id}`).toBe(true);
}

describe('demo data set: facts agree with each other', () => {
  let data: DemoObjects;
  beforeAll(() => {
    data = generateDemoObjects({ seed: 77, customers: 1200 });
  });

  it('nothing has happened after the anchor; only schedules point into the future', () => {
    expectNothingAfterAnchor(data, ANCHOR);
  });

  it('retries are scheduled only when Stripe would retry: charged automatically, open, last decline retryable', () => {
    expect(expectRetriesOnlyWhenStripeWould(data)).toBeGreaterThan(20);
  });

  it('invoices point at their subscription through parent.subscription_details (basil), never a top-level field', () => {
    expectSubscriptionLinks(data);
  });

  it('subscription states match their invoices and periods', () => {
    expectSubscriptionStates(data, ANCHOR);
    expect(data.subscriptions.some((s) => s.cancel_at_period_end)).toBe(true);
    expect(data.subscriptions.some((s) => s.pause_collection)).toBe(true);
  });

  it('cards are consistent with payments: expired-card declines on expired cards, successes on valid ones', () => {
    expect(expectCardsConsistentWithPayments(data)).toBeGreaterThan(0);
    // Some cards expire around "today" (renewal risk) and some already have.
    const anchorMonth = monthOf(ANCHOR);
    const expiry = (p: Stripe.PaymentMethod) => p.card!.exp_year * 12 + p.card!.exp_month - 1;
    expect(data.paymentMethods.filter((p) => expiry(p) >= anchorMonth && expiry(p) <= anchorMonth + 1).length).toBeGreaterThan(10);
    expect(data.paymentMethods.filter((p) => expiry(p) < anchorMonth).length).toBeGreaterThan(10);
  });

  it('each customer shows their newest card as default, expanded, and some customers have several cards', () => {
    expectDefaultCards(data);
    const perCustomer = new Map<unknown, number>();
    for (const p of data.paymentMethods) perCustomer.set(p.customer, (perCustomer.get(p.customer) ?? 0) + 1);
    expect([...perCustomer.values()].filter((n) => n >= 2).length).toBeGreaterThan(50);
  });

  it('every customer has a timeline that starts with their creation and names real objects', () => {
    expectTimelines(data);
    const types = new Set(data.timeline.map((t) => t.type));
    for (const type of ['customer.created', 'payment_method.attached', 'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed']) {
      expect(types, type).toContain(type);
    }
    const failed = data.timeline.find((t) => t.type === 'invoice.payment_failed')!;
    expect(failed.summary).toMatch(/failed for invoice [A-Z]{4}\d{4}-\d{4}: [a-z_]+ on /);
  });

  it('the rules hold for any seed and anchor (month ends, leap days, years apart)', () => {
    const anchors = fc.oneof(
      fc.integer({ min: Date.UTC(2021, 0, 1), max: Date.UTC(2035, 0, 1) }),
      fc.constantFrom(Date.UTC(2028, 1, 29, 12), Date.UTC(2027, 0, 31, 23, 59), Date.UTC(2026, 11, 31, 0, 30), Date.UTC(2027, 2, 1, 0, 0, 1)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), anchors, (seed, anchorMs) => {
        const small = generateDemoObjects({ seed, customers: 40, anchor: anchorMs });
        const anchor = Math.floor(anchorMs / 1000);
        expectNothingAfterAnchor(small, anchor);
        expectRetriesOnlyWhenStripeWould(small);
        expectSubscriptionLinks(small);
        expectSubscriptionStates(small, anchor);
        expectCardsConsistentWithPayments(small);
        expectDefaultCards(small);
        expectTimelines(small);
      }),
      { numRuns: 25, seed: 4242 },
    );
  });
});
