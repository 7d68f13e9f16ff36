import * as shapes from './shapes';
import type { StripeObject } from './shapes';
import { StripeApiError } from './errors';
import type { StripeStore } from './store';
import { seededRandom } from '../helpers/seeded-random';

// Test data for the server. `seedAccount` goes through the store API (full objects, realistic
// histories: trials, renewals, declines, cancellations). `seedBulk` is for the bench: hundreds of
// thousands of objects stored as a number each and materialized on read, so a 100k-customer,
// 300k-invoice account takes seconds and little memory.

const FIRST = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Ken', 'Radia', 'Donald', 'Frances', 'Edsger', 'Hedy', 'John', 'Katherine', 'Tim', 'Sophie', 'Yukihiro', 'Guido', 'Anders', 'Bjarne'];
const LAST = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Thompson', 'Perlman', 'Knuth', 'Allen', 'Dijkstra', 'Lamarr', 'McCarthy', 'Johnson', 'Berners-Lee', 'Wilson', 'Matsumoto', 'van Rossum', 'Hejlsberg', 'Stroustrup'];
const DECLINES = [
  { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' },
  { declineCode: 'generic_decline', adviceCode: null },
  { declineCode: 'expired_card', code: 'expired_card', adviceCode: 'confirm_card_data' },
  { declineCode: 'lost_card', adviceCode: 'do_not_try_again' },
  { declineCode: 'do_not_honor', adviceCode: null },
];

/** Deterministic generator (mulberry32) so seeded accounts are the same run to run. */
export const rng = seededRandom;

export interface Catalog {
  prices: StripeObject[];
}

export function seedCatalog(store: StripeStore): Catalog {
  const plans: Array<[string, number, 'month' | 'year']> = [['Starter', 1900, 'month'], ['Team', 4900, 'month'], ['Business', 49000, 'year']];
  return {
    prices: plans.map(([name, amount, interval]) => {
      const prod = store.createProduct({ name: `${name} plan` });
      return store.createPrice({ product: prod.id, unitAmount: amount, currency: 'usd', interval, nickname: name });
    }),
  };
}

/**
 * A realistic small account through the store API: each customer gets a card, most a
 * subscription, some a declining card (so past_due subscriptions with failed attempts), some a
 * canceled subscription and one-off invoices. `quiet` (default) writes no events: this is history.
 */
export function seedAccount(store: StripeStore, opts: { customers: number; seed?: number; quiet?: boolean }): { customers: string[]; catalog: Catalog } {
  const random = rng(opts.seed ?? 42);
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)];
  const wasQuiet = store.quiet;
  store.quiet = opts.quiet ?? true;
  try {
    const catalog = seedCatalog(store);
    const ids: string[] = [];
    for (let i = 0; i < opts.customers; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const c = store.createCustomer({
        name: `${first} ${last}`,
        email: `${first}.${last}.${i}@example.com`.toLowerCase().replace(/ /g, ''),
        phone: random() < 0.5 ? `+1555${String(1000000 + i).slice(-7)}` : null,
        metadata: random() < 0.3 ? { plan_source: pick(['web', 'sales', 'partner']) } : {},
        paymentMethod: random() < 0.1 ? 'pm_card_mastercard' : 'pm_card_visa',
      });
      ids.push(c.id);
      const r = random();
      if (r < 0.08) store.setCustomerDecline(c.id, pick(DECLINES));
      if (r < 0.75) {
        const sub = store.createSubscription({ customer: c.id, items: [{ price: pick(catalog.prices).id, quantity: 1 + Math.floor(random() * 3) }], trialPeriodDays: random() < 0.1 ? 14 : undefined });
        if (random() < 0.5 && sub.status !== 'trialing') store.renewSubscription(sub.id);
        if (random() < 0.1) store.cancelSubscription(sub.id);
        else if (random() < 0.08) store.updateSubscription(sub.id, { cancel_at_period_end: true });
      }
      if (random() < 0.2) {
        const inv = store.createInvoice({ customer: c.id, amount: 500 + Math.floor(random() * 20000), description: 'Onboarding services', autoAdvance: true });
        try {
          store.payInvoice(inv.id);
        } catch (err) {
          if (!(err instanceof StripeApiError)) throw err;
        }
      }
      if (r < 0.08 && random() < 0.5) store.setCustomerDecline(c.id, null);
    }
    return { customers: ids, catalog };
  } finally {
    store.quiet = wasQuiet;
  }
}

// ---- bulk (bench) ----------------------------------------------------------------------------

function pad(n: number): string {
  return n.toString(36).padStart(8, '0');
}

export interface BulkCounts {
  customers: number;
  invoices: number;
  /** Share of customers with a subscription (default 0.5). */
  subscriptionShare?: number;
  /** Share of invoices that are open with a failed attempt (default 0.05). */
  failedShare?: number;
}

/** Registers materializers and inserts compact entries: nothing is built until it is read. */
export function seedBulk(store: StripeStore, counts: BulkCounts): { customers: number; invoices: number; subscriptions: number; invoicePayments: number } {
  const now = store.now();
  const span = 700 * 86_400;
  const catalog = (() => {
    const wasQuiet = store.quiet;
    store.quiet = true;
    try {
      return seedCatalog(store);
    } finally {
      store.quiet = wasQuiet;
    }
  })();
  const N = counts.customers;
  const M = counts.invoices;
  const subShare = counts.subscriptionShare ?? 0.5;
  const failedShare = counts.failedShare ?? 0.05;
  const custCreated = (i: number) => now - span + Math.floor((i * span) / Math.max(1, N)) - 3600;
  const invCustomer = (j: number) => (j * 7919) % N;
  const invCreated = (j: number) => Math.max(custCreated(invCustomer(j)) + 60, now - span + Math.floor((j * span) / Math.max(1, M)));
  const hash = (x: number) => {
    let h = x ^ 0x9e3779b9;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  const failed = (j: number) => hash(j) < failedShare;
  const hasSub = (i: number) => hash(i + 1_000_003) < subShare;
  const decline = (j: number) => DECLINES[Math.floor(hash(j + 7) * DECLINES.length)];
  const amount = (j: number) => 500 + Math.floor(hash(j + 11) * 20_000);
  const cid = (i: number) => `cus_B${pad(i)}`;
  const pmid = (i: number) => `pm_B${pad(i)}`;
  const card = (i: number) => ({ brand: i % 10 === 0 ? 'mastercard' : 'visa', last4: String(1000 + (i % 9000)), exp_month: 1 + (i % 12), exp_year: 2027 + (i % 5) });

  store.setMaterializer('customer', (i, id, created) => {
    const n = i as number;
    const first = FIRST[n % FIRST.length];
    const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
    return shapes.customer({ id, created, name: `${first} ${last}`, email: `${first}.${last}.${n}@example.com`.toLowerCase().replace(/ /g, ''), defaultPaymentMethod: pmid(n), delinquent: false });
  });
  store.setMaterializer('payment_method', (i, id, created) => shapes.paymentMethod({ id, created, customer: cid(i as number), card: card(i as number) }));
  store.setMaterializer('subscription', (i, id, created) => {
    const n = i as number;
    const pr = catalog.prices[n % catalog.prices.length];
    const len = pr.recurring.interval === 'year' ? 365 * 86_400 : 30 * 86_400;
    const periodStart = now - Math.floor(hash(n + 5) * len);
    const item = shapes.subscriptionItem({ id: `si_B${pad(n)}`, created, subscription: id, price: pr, quantity: 1, periodStart, periodEnd: periodStart + len });
    return shapes.subscription({ id, created, customer: cid(n), currency: 'usd', items: [item], status: 'active', defaultPaymentMethod: null });
  });
  store.setMaterializer('invoice', (j, id, created) => {
    const n = j as number;
    const c = invCustomer(n);
    const f = failed(n);
    const amt = amount(n);
    const line = shapes.invoiceLine({ id: `il_B${pad(n)}`, invoice: id, amount: amt, currency: 'usd', description: 'Subscription', quantity: 1, periodStart: created, periodEnd: created + 30 * 86_400 });
    return shapes.invoice({
      id,
      created,
      customer: cid(c),
      currency: 'usd',
      lines: [line],
      status: f ? 'open' : 'paid',
      number: `B${pad(c).toUpperCase()}-${String(n % 10_000).padStart(4, '0')}`,
      amountPaid: f ? 0 : amt,
      attemptCount: 1,
      attempted: true,
      nextPaymentAttempt: f ? created + 3 * 86_400 : null,
      paidAt: f ? null : created,
      finalizedAt: created,
      billingReason: 'subscription_cycle',
    });
  });
  store.setMaterializer('invoice_payment', (j, id, created) => {
    const n = j as number;
    const f = failed(n);
    return shapes.invoicePayment({ id, created, invoice: `in_B${pad(n)}`, paymentIntent: `pi_B${pad(n)}`, amountRequested: amount(n), amountPaid: f ? null : amount(n), currency: 'usd', status: f ? 'open' : 'paid', isDefault: true, paidAt: f ? null : created });
  });
  store.setMaterializer('payment_intent', (j, id, created) => {
    const n = j as number;
    const f = failed(n);
    const c = invCustomer(n);
    const d = decline(n);
    const pm = shapes.paymentMethod({ id: pmid(c), created: custCreated(c), customer: cid(c), card: card(c) });
    const err = f ? { type: 'card_error', charge: `ch_B${pad(n)}`, code: d.code ?? 'card_declined', decline_code: d.declineCode, advice_code: d.adviceCode, message: 'Your card was declined.', payment_method: pm, doc_url: null } : null;
    return shapes.paymentIntent({ id, created, amount: amount(n), currency: 'usd', customer: cid(c), paymentMethod: f ? null : pmid(c), latestCharge: `ch_B${pad(n)}`, status: f ? 'requires_payment_method' : 'succeeded', lastPaymentError: err, amountReceived: f ? 0 : amount(n) });
  });
  store.setMaterializer('charge', (j, id, created) => {
    const n = j as number;
    const f = failed(n);
    const c = invCustomer(n);
    const pmCard = shapes.cardDetails(card(c));
    return shapes.charge({ id, created, amount: amount(n), currency: 'usd', customer: cid(c), paymentIntent: `pi_B${pad(n)}`, paymentMethod: pmid(c), card: pmCard, succeeded: !f, failure: f ? decline(n) : null });
  });

  let subscriptions = 0;
  for (let i = 0; i < N; i++) {
    const created = custCreated(i);
    store.collection('customer').putLazy(cid(i), created, i);
    store.collection('payment_method').putLazy(pmid(i), created, i);
    store.index('payment_method', cid(i), pmid(i));
    if (hasSub(i)) {
      const sid = `sub_B${pad(i)}`;
      store.collection('subscription').putLazy(sid, created + 30, i);
      store.index('subscription', cid(i), sid);
      subscriptions++;
    }
  }
  for (let j = 0; j < M; j++) {
    const created = invCreated(j);
    const c = cid(invCustomer(j));
    const iid = `in_B${pad(j)}`;
    store.collection('invoice').putLazy(iid, created, j);
    store.index('invoice', c, iid);
    store.collection('invoice_payment').putLazy(`inpay_B${pad(j)}`, created + 1, j);
    store.index('invoice_payment', iid, `inpay_B${pad(j)}`);
    store.collection('payment_intent').putLazy(`pi_B${pad(j)}`, created + 1, j);
    store.index('payment_intent', c, `pi_B${pad(j)}`);
    store.collection('charge').putLazy(`ch_B${pad(j)}`, created + 1, j);
    store.index('charge', c, `ch_B${pad(j)}`);
  }
  return { customers: N, invoices: M, subscriptions, invoicePayments: M };
}
