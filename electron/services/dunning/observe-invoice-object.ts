import type Stripe from 'stripe';
import { idOf, mapInvoice, mapInvoicePayment, type Expandable, type PaymentAttemptRow } from '../stripe/mappers';
import { invoiceObservation } from './invoice-observation';
import { paymentMethodStripeCharges } from './payment-method';
import { invoiceSubject, type ObservedSubject } from './observe';

// The dunning view of one invoice from Stripe API objects (the team server's mirror holds the
// objects, not the desk's tables). The objects go through the desk's own mappers - the same
// reading of amounts, attempts and declines as the cache - and the same observation rule, so a
// case derived here equals the one a solo desk would derive from the same account.

export interface InvoiceObjects {
  invoiceId: string;
  /** null when the invoice is gone (deleted in Stripe). */
  invoice: Stripe.Invoice | null;
  /** The invoice's payments (listed on their own, or expanded on the invoice). */
  payments: readonly Stripe.InvoicePayment[];
  subscription: Stripe.Subscription | null;
  customer: Stripe.Customer | null;
  /** The customer of the invoice's case, for when the invoice itself is gone. */
  caseCustomerId: string | null;
}

/** An invoice's payment attempts: the embedded first page, completed by the payments listed on their own. */
export function attemptsOf(o: Pick<InvoiceObjects, 'invoiceId' | 'invoice' | 'payments'>, customerId: string | null): PaymentAttemptRow[] {
  const byId = new Map<string, PaymentAttemptRow>();
  const embedded = o.invoice ? (mapInvoice(o.invoice).attempts ?? []) : [];
  for (const a of embedded) byId.set(a.id, a);
  // A payment listed on its own is at least as complete as the invoice's embedded first page.
  for (const p of o.payments) byId.set(p.id, mapInvoicePayment(o.invoiceId, customerId, p));
  return [...byId.values()];
}

export function observeInvoiceObjects(o: InvoiceObjects): ObservedSubject | null {
  const row = o.invoice ? mapInvoice(o.invoice).row : null;
  const customerId = row?.customer_id ?? o.caseCustomerId;
  if (!customerId) return null;
  const attempts = attemptsOf(o, customerId);
  const failed = attempts.filter((a) => a.status === 'failed').sort((a, b) => a.created - b.created);
  const last = failed.at(-1) ?? null;
  const subscriptionStatus = o.subscription && o.subscription.id === row?.subscription_id ? o.subscription.status : null;
  const observation = invoiceObservation({
    exists: row != null,
    status: row?.status ?? null,
    amountPaid: row?.amount_paid ?? 0,
    attemptCount: row?.attempt_count ?? 0,
    subscriptionStatus,
    lastFailedAt: last?.created ?? null,
    attemptsKnown: attempts.length > 0,
  });
  const subscriptionPm = o.subscription ? idOf(o.subscription.default_payment_method as Expandable<Stripe.PaymentMethod>) : null;
  const customerPm = o.customer ? idOf(o.customer.invoice_settings?.default_payment_method as Expandable<Stripe.PaymentMethod>) : null;
  return {
    subject: invoiceSubject(o.invoiceId),
    customerId,
    invoiceId: o.invoiceId,
    subscriptionId: row?.subscription_id ?? null,
    observation,
    currency: row?.currency ?? 'usd',
    amountAtRisk: row?.amount_remaining ?? 0,
    amountDue: row?.amount_due ?? 0,
    attemptCount: row?.attempt_count ?? 0,
    nextPaymentAttempt: row?.next_payment_attempt ?? null,
    failure: {
      declineCode: last?.decline_code ?? null,
      adviceCode: last?.advice_code ?? null,
      failureCode: last?.failure_code ?? null,
      failureMessage: last?.failure_message ?? null,
      paymentMethodId: last?.payment_method_id ?? null,
      firstFailureAt: failed[0]?.created ?? null,
      lastFailureAt: last?.created ?? null,
    },
    currentPaymentMethod: paymentMethodStripeCharges(subscriptionPm, customerPm),
    closedAt: row ? (row.paid_at ?? row.voided_at ?? row.marked_uncollectible_at ?? null) : null,
    createdAt: row?.created ?? null,
  };
}
