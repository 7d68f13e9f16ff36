import type Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { ingestCustomer, ingestInvoice } from '../stripe/ingest';
import { toStripeAppError } from '../stripe/errors';

// After a real retry the cache must show what Stripe now holds (the invoice paid, or one more
// failed attempt with its decline), and before one, the customer's current default card decides
// whether a hard decline may be retried. Both go through ingest, the cache's one write path.

/** Re-fetches the customer (with the default payment method) into the cache. */
export async function refreshCustomerRow(ctx: ServiceContext, accountId: string, customerId: string): Promise<void> {
  const stripe = ctx.workspace.stripe(accountId);
  let customer: Stripe.Customer | Stripe.DeletedCustomer;
  try {
    customer = await stripe.customers.retrieve(customerId, { expand: ['invoice_settings.default_payment_method'] });
  } catch (err) {
    throw toStripeAppError(err, 'reading the customer from Stripe');
  }
  if ('deleted' in customer && customer.deleted) return;
  ingestCustomer(ctx.db, accountId, customer as Stripe.Customer, Math.floor(ctx.now() / 1000));
}

/** Re-fetches one invoice with its payments (their PaymentIntents carry the decline; expand stops at 4 levels) into the cache. */
export async function refreshInvoiceRow(ctx: ServiceContext, accountId: string, invoiceId: string): Promise<Stripe.Invoice> {
  const stripe = ctx.workspace.stripe(accountId);
  let invoice: Stripe.Invoice;
  try {
    invoice = await stripe.invoices.retrieve(invoiceId, { expand: ['payments.data.payment.payment_intent'] });
  } catch (err) {
    throw toStripeAppError(err, 'reading the invoice from Stripe');
  }
  ingestInvoice(ctx.db, accountId, invoice, Math.floor(ctx.now() / 1000));
  return invoice;
}
