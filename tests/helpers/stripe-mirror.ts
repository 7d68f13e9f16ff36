import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { mapCustomer, mapInvoice, mapInvoicePayment, mapPaymentMethod, mapSubscription } from '../../electron/services/stripe/mappers';
import type { StripeStore } from '../stripe-server';
import type { StripeObject } from '../stripe-server/shapes';

// What the cache should hold for an account, and what it does hold: the acceptance tests compare
// the two in every column the product reads (bookkeeping columns - source_ts, synced_at_ms, rowid -
// excluded). The columns that drive money and state (amounts due / paid / remaining, currency,
// status, attempt count, next attempt, decline code, subscription status and period) are computed
// here from the Stripe objects by the test itself (`oracle*` below), NOT by the product's mappers,
// so a mapper bug in them shows up as a difference; the long tail of descriptive columns comes from
// the mappers, which keeps the comparison complete without restating every field.

type Rows = Record<string, Record<string, unknown>>;

export interface Mirror {
  customers: Rows;
  subscriptions: Rows;
  items: Rows;
  invoices: Rows;
  attempts: Rows;
  paymentMethods: Rows;
}

function byId(rows: Array<Record<string, unknown>>): Rows {
  const out: Rows = {};
  for (const r of rows) out[r.id as string] = r;
  return out;
}

function withoutBookkeeping(r: Record<string, unknown>): Record<string, unknown> {
  const { account_id: _a, source_ts: _s, synced_at_ms: _m, rowid: _r, ...rest } = r;
  void _a;
  void _s;
  void _m;
  void _r;
  return rest;
}

/** The InvoicePayment with its PaymentIntent and that intent's latest Charge expanded. */
function expandedPayment(store: StripeStore, p: StripeObject): Stripe.InvoicePayment {
  const pi = store.get('payment_intent', p.payment.payment_intent);
  const charge = pi?.latest_charge ? store.get('charge', pi.latest_charge) : null;
  return { ...p, payment: { ...p.payment, payment_intent: pi ? { ...pi, latest_charge: charge ?? pi.latest_charge } : p.payment.payment_intent } } as unknown as Stripe.InvoicePayment;
}

/** Invoice money and state, read off the Stripe Invoice as the API documents it. */
function oracleInvoice(inv: StripeObject): Record<string, unknown> {
  return {
    customer_id: inv.customer,
    subscription_id: inv.parent?.subscription_details?.subscription ?? null,
    currency: inv.currency,
    status: inv.status,
    amount_due: inv.amount_due,
    amount_paid: inv.amount_paid,
    amount_remaining: inv.amount_remaining,
    total: inv.total,
    attempt_count: inv.attempt_count,
    attempted: inv.attempted ? 1 : 0,
    next_payment_attempt: inv.next_payment_attempt ?? null,
    paid_at: inv.status_transitions?.paid_at ?? null,
    voided_at: inv.status_transitions?.voided_at ?? null,
  };
}

/** Subscription status and period: since basil the period lives on the items (the span of them). */
function oracleSubscription(sub: StripeObject): Record<string, unknown> {
  const items = (sub.items?.data ?? []) as StripeObject[];
  const starts = items.map((i) => i.current_period_start as number | null).filter((v): v is number => typeof v === 'number');
  const ends = items.map((i) => i.current_period_end as number | null).filter((v): v is number => typeof v === 'number');
  return {
    customer_id: sub.customer,
    status: sub.status,
    currency: sub.currency,
    cancel_at_period_end: sub.cancel_at_period_end ? 1 : 0,
    current_period_start: starts.length ? Math.min(...starts) : null,
    current_period_end: ends.length ? Math.max(...ends) : null,
    pause_behavior: sub.pause_collection?.behavior ?? null,
  };
}

/**
 * One payment attempt: what was asked or paid, and why it was declined - the PaymentIntent's
 * last_payment_error first (Stripe's documented place for it), then the Charge's outcome.
 */
function oracleAttempt(store: StripeStore, p: StripeObject): Record<string, unknown> {
  const pi = store.get('payment_intent', p.payment.payment_intent);
  const charge = pi?.latest_charge ? store.get('charge', pi.latest_charge) : null;
  const err = pi?.last_payment_error ?? null;
  const failed = p.status !== 'paid' && (err != null || charge?.status === 'failed');
  return {
    invoice_id: p.invoice,
    status: failed ? 'failed' : p.status,
    amount: p.amount_paid ?? p.amount_requested ?? 0,
    currency: p.currency,
    decline_code: err?.decline_code ?? charge?.outcome?.reason ?? charge?.failure_code ?? null,
    failure_code: err?.code ?? charge?.failure_code ?? null,
    advice_code: err?.advice_code ?? charge?.outcome?.advice_code ?? null,
  };
}

/**
 * Expected rows. `knownPaymentMethods`: ids the cache may know (payment methods never attached
 * while synced are not listed anywhere); every payment method attached to a live customer is expected.
 */
export function expectedMirror(store: StripeStore, knownPaymentMethods: Set<string>): Mirror {
  const customers: Rows = {};
  for (const c of store.all('customer')) customers[c.id] = { ...mapCustomer(c as unknown as Stripe.Customer), deleted: 0 };
  const productName = (id: string) => (store.get('product', id)?.name as string | undefined) ?? null;
  const subscriptions: Rows = {};
  const items: Rows = {};
  for (const s of store.all('subscription')) {
    const mapped = mapSubscription(s as unknown as Stripe.Subscription);
    subscriptions[s.id] = { ...mapped.row, ...oracleSubscription(s) };
    for (const i of mapped.items) items[i.id] = { ...i, product_name: i.product_id ? productName(i.product_id) : null };
  }
  const invoices: Rows = {};
  const attempts: Rows = {};
  for (const inv of store.all('invoice')) {
    invoices[inv.id] = { ...mapInvoice(inv as unknown as Stripe.Invoice).row, ...oracleInvoice(inv) };
    for (const p of store.paymentsOf(inv.id)) {
      const expanded = expandedPayment(store, p);
      const pi = expanded.payment.payment_intent as Stripe.PaymentIntent;
      attempts[p.id] = { ...mapInvoicePayment(inv.id, (pi.customer as string) ?? (inv.customer as string), expanded), ...oracleAttempt(store, p) };
    }
  }
  const paymentMethods: Rows = {};
  for (const pm of store.all('payment_method')) {
    const attachedToLive = pm.customer && store.get('customer', pm.customer);
    if (attachedToLive || knownPaymentMethods.has(pm.id)) paymentMethods[pm.id] = { ...mapPaymentMethod(pm as unknown as Stripe.PaymentMethod) };
  }
  return { customers, subscriptions, items, invoices, attempts, paymentMethods };
}

/** The cache's rows for the account; deleted customers are returned separately. */
export function cachedMirror(db: Database.Database, accountId: string): Mirror & { deletedCustomers: string[] } {
  const all = (sql: string) => (db.prepare(sql).all(accountId) as Array<Record<string, unknown>>).map(withoutBookkeeping);
  const customers = all('SELECT * FROM customers WHERE account_id = ?');
  return {
    customers: byId(customers.filter((c) => c.deleted === 0)),
    deletedCustomers: customers.filter((c) => c.deleted === 1).map((c) => c.id as string),
    subscriptions: byId(all('SELECT * FROM subscriptions WHERE account_id = ?')),
    items: byId(all('SELECT * FROM subscription_items WHERE account_id = ?')),
    invoices: byId(all('SELECT * FROM invoices WHERE account_id = ?')),
    attempts: byId(all('SELECT * FROM payment_attempts WHERE account_id = ?')),
    paymentMethods: byId(all('SELECT * FROM payment_methods WHERE account_id = ?')),
  };
}

/** Differences in words (empty when the cache mirrors the server). */
export function mirrorDiff(expected: Mirror, actual: Mirror, limit = 20): string[] {
  const out: string[] = [];
  for (const table of Object.keys(expected) as Array<keyof Mirror>) {
    const e = expected[table];
    const a = actual[table];
    for (const id of Object.keys(e)) {
      if (!a[id]) out.push(`${table}: ${id} missing from the cache`);
      else
        for (const col of Object.keys(e[id])) {
          if (JSON.stringify(e[id][col]) !== JSON.stringify(a[id][col])) out.push(`${table}: ${id}.${col} cache=${JSON.stringify(a[id][col])} server=${JSON.stringify(e[id][col])}`);
        }
      if (out.length >= limit) return out;
    }
    for (const id of Object.keys(a)) if (!e[id]) out.push(`${table}: ${id} in the cache but not on the server`);
  }
  return out.slice(0, limit);
}
