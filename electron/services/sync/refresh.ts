import type Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { toStripeAppError } from '../stripe/errors';
import { deleteInvoice, ingestCustomer, ingestInvoice, ingestPaymentMethod, ingestSubscription, markCustomerDeleted } from '../stripe/ingest';
import { ProductNames } from '../stripe/product-names';
import { ChangeSet } from './changes';
import { accountStripe, responseTime } from './clients';
import { CUSTOMER_EXPAND } from './fetch-objects';

// On-demand refresh of one customer (an agent opens them): the customer, their subscriptions,
// invoices with every payment attempt and its decline, and their payment methods - in about five
// requests whatever the history: invoices come with `payments` expanded and the customer's
// PaymentIntents (with the latest charge) are listed once and joined, instead of one request per
// invoice. Writes use the 'latest' guard: a fetch made now is at least as new as the cache.

export interface RefreshResult {
  customerId: string;
  deleted: boolean;
  subscriptions: number;
  invoices: number;
  paymentMethods: number;
}

async function all<T extends { id: string }>(load: (after?: string) => Promise<Stripe.ApiList<T>>): Promise<{ items: T[]; ts: number }> {
  const items: T[] = [];
  let after: string | undefined;
  let ts = Math.floor(Date.now() / 1000);
  for (;;) {
    const page = await load(after);
    ts = responseTime(page as never, Date.now());
    items.push(...page.data);
    if (!page.has_more || !page.data.length) return { items, ts };
    after = page.data[page.data.length - 1].id;
  }
}

export async function refreshCustomer(ctx: ServiceContext, accountId: string, customerId: string): Promise<RefreshResult> {
  const { client } = accountStripe(ctx, accountId);
  const db = ctx.db;
  try {
    const customer = await client.customers.retrieve(customerId, { expand: CUSTOMER_EXPAND });
    const ts = responseTime(customer as never, Date.now());
    if ((customer as Stripe.DeletedCustomer).deleted) {
      db.transaction(() => markCustomerDeleted(db, accountId, customerId, ts))();
      ctx.hub.emit('data.changed', { accountId, kinds: ['customers'], customerIds: [customerId] });
      return { customerId, deleted: true, subscriptions: 0, invoices: 0, paymentMethods: 0 };
    }
    const limit = 100;
    const [subs, invoices, intents, pms] = await Promise.all([
      all((after) => client.subscriptions.list({ customer: customerId, status: 'all', limit, ...(after ? { starting_after: after } : {}) })),
      all((after) => client.invoices.list({ customer: customerId, limit, expand: ['data.payments'], ...(after ? { starting_after: after } : {}) })),
      all((after) => client.paymentIntents.list({ customer: customerId, limit, expand: ['data.latest_charge'], ...(after ? { starting_after: after } : {}) })),
      all((after) => client.customers.listPaymentMethods(customerId, { limit, ...(after ? { starting_after: after } : {}) })),
    ]);
    const productNames = new ProductNames(db, accountId);
    await productNames.ensure(client, subs.items);
    const intentById = new Map(intents.items.map((pi) => [pi.id, pi]));
    const changes = new ChangeSet();
    db.transaction(() => {
      ingestCustomer(db, accountId, customer as Stripe.Customer, ts);
      changes.add('customers', customerId);
      for (const s of subs.items) ingestSubscription(db, accountId, s, subs.ts, { productNames: productNames.lookup });
      for (const inv of invoices.items) {
        // Join each payment with its PaymentIntent (decline in last_payment_error, outcome on the charge).
        const payments = inv.payments
          ? { ...inv.payments, data: inv.payments.data.map((p) => {
              const pi = typeof p.payment?.payment_intent === 'string' ? intentById.get(p.payment.payment_intent) : undefined;
              return pi ? { ...p, payment: { ...p.payment, payment_intent: pi } } : p;
            }) }
          : inv.payments;
        ingestInvoice(db, accountId, { ...inv, payments } as Stripe.Invoice, invoices.ts);
      }
      for (const pm of pms.items) ingestPaymentMethod(db, accountId, pm, pms.ts);
      // What Stripe no longer lists for this customer is gone: deleted drafts, detached cards.
      const listedInvoices = new Set(invoices.items.map((i) => i.id));
      const cachedInvoices = db.prepare('SELECT id FROM invoices WHERE account_id = ? AND customer_id = ?').all(accountId, customerId) as { id: string }[];
      for (const r of cachedInvoices) if (!listedInvoices.has(r.id)) deleteInvoice(db, accountId, r.id, invoices.ts);
      const listedPms = new Set(pms.items.map((p) => p.id));
      const cachedPms = db.prepare('SELECT id FROM payment_methods WHERE account_id = ? AND customer_id = ?').all(accountId, customerId) as { id: string }[];
      for (const r of cachedPms) if (!listedPms.has(r.id)) db.prepare('UPDATE payment_methods SET customer_id = NULL, source_ts = MAX(source_ts, ?) WHERE account_id = ? AND id = ?').run(pms.ts, accountId, r.id);
      changes.add('subscriptions');
      changes.add('invoices');
      changes.add('payment_methods');
    })();
    changes.emit(ctx, accountId);
    return { customerId, deleted: false, subscriptions: subs.items.length, invoices: invoices.items.length, paymentMethods: pms.items.length };
  } catch (err) {
    throw toStripeAppError(err, 'refreshing the customer from Stripe');
  }
}
