import type Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { toStripeAppError } from '../stripe/errors';
import { deleteInvoice, ingestCustomer, ingestInvoice, ingestPaymentMethod, ingestSubscription, markCustomerDeleted } from '../stripe/ingest';
import { ProductNames } from '../stripe/product-names';
import { applyRefetched, type RefetchRef } from './apply-events';
import { ChangeSet } from './changes';
import { fetchCustomerBundle, fetchRefs } from './fetch-objects';

// On-demand refresh into the cache, outside the sync's passes: a customer an agent opens ("Refresh
// from Stripe"), and the customer and invoice around a payment retry. Fetching is fetch-objects.ts
// (the same expansions and server clock as the sync); the client is the account's paced one, so
// these requests share the sync's rate budget and its view of connectivity. Writes use the
// 'latest' guard: a fetch made now is at least as new as the cache.

export interface RefreshResult {
  customerId: string;
  deleted: boolean;
  subscriptions: number;
  invoices: number;
  paymentMethods: number;
}

/** Re-reads one customer and everything the customer view shows about them. */
export async function refreshCustomer(ctx: ServiceContext, accountId: string, customerId: string): Promise<RefreshResult> {
  const { client } = ctx.registries.stripeClients.forAccount(accountId);
  const db = ctx.db;
  try {
    const bundle = await fetchCustomerBundle(client, customerId);
    if ((bundle.customer as Stripe.DeletedCustomer).deleted) {
      db.transaction(() => markCustomerDeleted(db, accountId, customerId, bundle.ts))();
      ctx.hub.emit('data.changed', { accountId, kinds: ['customers'], customerIds: [customerId] });
      return { customerId, deleted: true, subscriptions: 0, invoices: 0, paymentMethods: 0 };
    }
    const { subscriptions: subs, invoices, paymentMethods: pms } = bundle;
    const productNames = new ProductNames(db, accountId);
    await productNames.ensure(client, subs.items);
    const changes = new ChangeSet();
    db.transaction(() => {
      ingestCustomer(db, accountId, bundle.customer as Stripe.Customer, bundle.ts);
      changes.add('customers', customerId);
      for (const s of subs.items) ingestSubscription(db, accountId, s, subs.ts, { productNames: productNames.lookup });
      for (const inv of invoices.items) ingestInvoice(db, accountId, inv, invoices.ts);
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

/** Re-reads named objects (as the events poller re-fetches them) and writes them in one transaction. */
export async function refreshObjects(ctx: ServiceContext, accountId: string, refs: RefetchRef[], doing: string): Promise<void> {
  const { client } = ctx.registries.stripeClients.forAccount(accountId);
  const productNames = new ProductNames(ctx.db, accountId);
  let fetched;
  try {
    fetched = await fetchRefs(client, refs, productNames);
  } catch (err) {
    throw toStripeAppError(err, doing);
  }
  let changes!: ChangeSet;
  ctx.db.transaction(() => {
    changes = applyRefetched(ctx.db, accountId, fetched, productNames);
  })();
  changes.emit(ctx, accountId);
}

/** The customer's current default card, before a retry decides whether a hard decline may be retried. */
export function refreshCustomerRow(ctx: ServiceContext, accountId: string, customerId: string): Promise<void> {
  return refreshObjects(ctx, accountId, [{ type: 'customer', id: customerId }], 'reading the customer from Stripe');
}

/** One invoice with every payment attempt and its decline, after a retry. */
export function refreshInvoiceRow(ctx: ServiceContext, accountId: string, invoiceId: string): Promise<void> {
  return refreshObjects(
    ctx,
    accountId,
    [
      { type: 'invoice', id: invoiceId },
      { type: 'invoice_payments', id: invoiceId },
    ],
    'reading the invoice from Stripe',
  );
}
