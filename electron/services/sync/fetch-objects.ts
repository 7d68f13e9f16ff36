import type Stripe from 'stripe';
import type { ProductNames } from '../stripe/product-names';
import type { FetchedObject, RefetchRef } from './apply-events';
import { responseTime } from './clients';

// Re-fetching single objects with the expansions the cache needs. A 404 (resource_missing) is an
// answer, not a failure: the object is gone, and the cache should say so.

export const CUSTOMER_EXPAND = ['invoice_settings.default_payment_method'];
/** Invoice payments with their PaymentIntent's decline and the Charge's outcome (4 levels on a list). */
export const INVOICE_PAYMENTS_EXPAND = ['data.payment.payment_intent.latest_charge'];

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

/** All payments of one invoice (pages of 100), with decline data expanded. */
export async function fetchInvoicePayments(client: Stripe, invoiceId: string): Promise<{ payments: Stripe.InvoicePayment[]; ts: number }> {
  const payments: Stripe.InvoicePayment[] = [];
  let after: string | undefined;
  let ts = Math.floor(Date.now() / 1000);
  for (;;) {
    const page = await client.invoicePayments.list({ invoice: invoiceId, limit: 100, expand: INVOICE_PAYMENTS_EXPAND, ...(after ? { starting_after: after } : {}) });
    ts = responseTime(page as never, Date.now());
    payments.push(...page.data);
    if (!page.has_more || !page.data.length) break;
    after = page.data[page.data.length - 1].id;
  }
  return { payments, ts };
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
      out[i] = await fetchRef(client, refs[i], productNames);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, refs.length) }, worker));
  return out;
}
