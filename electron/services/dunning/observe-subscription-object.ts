import type Stripe from 'stripe';
import { idOf, mapInvoice, mapSubscription, type Expandable } from '../stripe/mappers';
import { attemptsOf } from './observe-invoice-object';
import { subscriptionSubjectOfRow, type ObservedSubject, type SubscriptionObsRow } from './observe';

// The dunning view of one subscription with no open invoice (past_due or unpaid: a
// subscription-only case) from Stripe API objects, for the team server's mirror. The objects are
// read into the facts row the desk's own query yields and go through the same mapping
// (observe.ts), so the server opens, refreshes and closes these cases as a solo desk does.

export interface SubscriptionObjects {
  subscriptionId: string;
  /** null when the subscription is gone. */
  subscription: Stripe.Subscription | null;
  latestInvoice: Stripe.Invoice | null;
  /** The latest invoice's payments listed on their own. */
  latestPayments: readonly Stripe.InvoicePayment[];
  customer: Stripe.Customer | null;
  /** The open subscription-only case of this subscription, if any. */
  openCase: { customerId: string; subject: string } | null;
}

export function observeSubscriptionObjects(o: SubscriptionObjects): ObservedSubject | null {
  const mapped = o.subscription ? mapSubscription(o.subscription) : null;
  const sub = mapped?.row ?? null;
  const latest = o.latestInvoice && o.latestInvoice.id === sub?.latest_invoice_id ? mapInvoice(o.latestInvoice).row : null;
  const customerId = sub?.customer_id ?? o.openCase?.customerId ?? null;
  if (!customerId) return null;
  const failed = latest
    ? attemptsOf({ invoiceId: latest.id, invoice: o.latestInvoice, payments: o.latestPayments }, customerId)
        .filter((a) => a.status === 'failed')
        .sort((a, b) => a.created - b.created)
    : [];
  const last = failed.at(-1) ?? null;
  const items = mapped?.items ?? [];
  const row: SubscriptionObsRow = {
    cand_id: o.subscriptionId,
    id: sub?.id ?? null,
    customer_id: sub?.customer_id ?? null,
    case_customer_id: o.openCase?.customerId ?? null,
    status: sub?.status ?? null,
    currency: sub?.currency ?? null,
    latest_invoice_id: sub?.latest_invoice_id ?? null,
    case_subject: o.openCase?.subject ?? null,
    sub_pm: sub?.default_payment_method_id ?? null,
    cus_pm: o.customer ? idOf(o.customer.invoice_settings?.default_payment_method as Expandable<Stripe.PaymentMethod>) : null,
    items_amount: items.length ? items.reduce((sum, i) => sum + (i.unit_amount ?? 0) * i.quantity, 0) : null,
    latest_status: latest?.status ?? null,
    latest_paid: latest?.amount_paid ?? null,
    latest_due: latest?.amount_due ?? null,
    latest_remaining: latest?.amount_remaining ?? null,
    latest_attempts: latest?.attempt_count ?? null,
    latest_next_attempt: latest?.next_payment_attempt ?? null,
    decline_code: last?.decline_code ?? null,
    advice_code: last?.advice_code ?? null,
    failure_code: last?.failure_code ?? null,
    failure_message: last?.failure_message ?? null,
    failed_pm: last?.payment_method_id ?? null,
    last_failed_at: last?.created ?? null,
  };
  return subscriptionSubjectOfRow(row);
}
