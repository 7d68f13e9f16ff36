import type Stripe from 'stripe';
import type { ProductNames } from '../stripe/product-names';
import type { FetchedObject, RefetchRef } from './apply-events';
import { responseTime } from './clients';

// The one way the cache fetches Stripe objects outside the list backfill: the events poller's
// re-fetches, the on-demand refresh of a customer, and the reads around a payment retry all come
// through here, so every object arrives with the same expansions and is stamped with the same
// clock - the server time of the response that carried it (its Date header), as the sync does,
// never the local clock of a machine that may be minutes off. A 404 (resource_missing) is an
// answer, not a failure: the object is gone, and the cache should say so.

/** The expansions the cache needs, per object and per list. Expand depth is at most 4 levels. */
export const EXPAND = {
  /** The default card decides whether a hard decline may be retried. */
  customer: ['invoice_settings.default_payment_method'],
  /** Invoice payments with their PaymentIntent's decline and the Charge's outcome (4 levels on a list). */
  invoicePayments: ['data.payment.payment_intent.latest_charge'],
  /**
   * A customer's invoices with their payments, and the customer's PaymentIntents with the latest
   * charge: joined (joinPayments), the same shape as invoicePayments in two requests in total,
   * instead of one per invoice.
   */
  customerInvoices: ['data.payments'],
  customerPaymentIntents: ['data.latest_charge'],
} as const;

export const CUSTOMER_EXPAND: string[] = [...EXPAND.customer];
export const INVOICE_PAYMENTS_EXPAND: string[] = [...EXPAND.invoicePayments];

const PAGE = 100;

function isMissing(err: unknown): boolean {
  return (err as { code?: string; statusCode?: number })?.code === 'resource_missing' || (err as { statusCode?: number })?.statusCode === 404;
}

async function orMissing<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** Every page of a list; `ts` is the server time of the last page. */
export async function listAll<T extends { id: string }>(load: (after?: string) => Promise<Stripe.ApiList<T>>): Promise<{ items: T[]; ts: number }> {
  const items: T[] = [];
  let after: string | undefined;
  let ts = Math.floor(Date.now() / 1000);
  for (;;) {
    const page = await load(after);
    ts = responseTime(page as never, Date.now());
    items.push(...page.data);
    if (!page.has_more || !page.data.length) return { items, ts };
    after = page.data[page.data.length - 1]!.id;
  }
}

/** All payments of one invoice (pages of 100), with decline data expanded. */
export async function fetchInvoicePayments(client: Stripe, invoiceId: string): Promise<{ payments: Stripe.InvoicePayment[]; ts: number }> {
  const r = await listAll((after) => client.invoicePayments.list({ invoice: invoiceId, limit: PAGE, expand: INVOICE_PAYMENTS_EXPAND, ...(after ? { starting_after: after } : {}) }));
  return { payments: r.items, ts: r.ts };
}

export async function fetchRef(client: Stripe, ref: RefetchRef, productNames?: ProductNames): Promise<FetchedObject> {
  const now = Date.now();
  switch (ref.type) {
    case 'customer': {
      const c = await orMissing(() => client.customers.retrieve(ref.id, { expand: CUSTOMER_EXPAND }));
      return { ref, object: c, ts: responseTime(c as never, now) };
    }
    case 'subscription': {
      const s = await orMissing(() => client.subscriptions.retrieve(ref.id));
      if (s && productNames) await productNames.ensure(client, [s]);
      return { ref, object: s, ts: responseTime(s as never, now) };
    }
    case 'invoice': {
      const inv = await orMissing(() => client.invoices.retrieve(ref.id));
      return { ref, object: inv, ts: responseTime(inv as never, now) };
    }
    case 'payment_method': {
      const pm = await orMissing(() => client.paymentMethods.retrieve(ref.id));
      return { ref, object: pm, ts: responseTime(pm as never, now) };
    }
    case 'invoice_payments': {
      const r = await orMissing(() => fetchInvoicePayments(client, ref.id));
      return { ref, object: null, payments: r ? r.payments : [], ts: r ? r.ts : Math.floor(now / 1000) };
    }
  }
}

/** Fetches refs a few at a time (the limiter paces them; this bounds memory and open sockets). */
export async function fetchRefs(client: Stripe, refs: RefetchRef[], productNames?: ProductNames, parallel = 4): Promise<FetchedObject[]> {
  const out: FetchedObject[] = new Array(refs.length);
  let next = 0;
  const worker = async () => {
    while (next < refs.length) {
      const i = next++;
      out[i] = await fetchRef(client, refs[i]!, productNames);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, refs.length) }, worker));
  return out;
}

/** Everything the customer view shows about one customer, as Stripe holds it now. */
export interface CustomerBundle {
  customer: Stripe.Customer | Stripe.DeletedCustomer;
  ts: number;
  subscriptions: { items: Stripe.Subscription[]; ts: number };
  /** Each invoice's payments joined with their PaymentIntent (EXPAND.invoicePayments' shape). */
  invoices: { items: Stripe.Invoice[]; ts: number };
  paymentMethods: { items: Stripe.PaymentMethod[]; ts: number };
}

/** Puts each payment's PaymentIntent (decline in last_payment_error, outcome on latest_charge) in place of its id. */
function joinPayments(inv: Stripe.Invoice, intentById: Map<string, Stripe.PaymentIntent>): Stripe.Invoice {
  if (!inv.payments) return inv;
  const data = inv.payments.data.map((p) => {
    const pi = typeof p.payment?.payment_intent === 'string' ? intentById.get(p.payment.payment_intent) : undefined;
    return pi ? { ...p, payment: { ...p.payment, payment_intent: pi } } : p;
  });
  return { ...inv, payments: { ...inv.payments, data } };
}

/**
 * One customer with their subscriptions, invoices with every payment attempt and its decline, and
 * payment methods - in about five requests whatever the history (a deleted customer: the tombstone only).
 */
export async function fetchCustomerBundle(client: Stripe, customerId: string): Promise<CustomerBundle> {
  const customer = await client.customers.retrieve(customerId, { expand: CUSTOMER_EXPAND });
  const ts = responseTime(customer as never, Date.now());
  const empty = { items: [], ts };
  if ((customer as Stripe.DeletedCustomer).deleted) return { customer, ts, subscriptions: empty, invoices: empty, paymentMethods: empty };
  const page = (after?: string) => ({ limit: PAGE, ...(after ? { starting_after: after } : {}) });
  const [subscriptions, invoices, intents, paymentMethods] = await Promise.all([
    listAll((after) => client.subscriptions.list({ customer: customerId, status: 'all', ...page(after) })),
    listAll((after) => client.invoices.list({ customer: customerId, expand: [...EXPAND.customerInvoices], ...page(after) })),
    listAll((after) => client.paymentIntents.list({ customer: customerId, expand: [...EXPAND.customerPaymentIntents], ...page(after) })),
    listAll((after) => client.customers.listPaymentMethods(customerId, page(after))),
  ]);
  const intentById = new Map(intents.items.map((pi) => [pi.id, pi]));
  return { customer, ts, subscriptions, invoices: { items: invoices.items.map((inv) => joinPayments(inv, intentById)), ts: invoices.ts }, paymentMethods };
}
