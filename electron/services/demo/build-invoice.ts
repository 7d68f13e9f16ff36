import type Stripe from 'stripe';
import { decimal } from './catalog';
import type { IdFactory } from './ids';
import type { InvoicePlan, LinePlan } from './plan-types';
import { buildInvoicePayments, type PaymentBuildContext } from './build-payments';
import { HOUR, MINUTE } from './time';

// The Invoice object of the pinned API version: the subscription under
// `parent.subscription_details.subscription`, payments under `payments` (expanded), no top-level
// `charge`/`payment_intent`/`subscription`.

export interface InvoiceBuildContext extends PaymentBuildContext {
  ids: IdFactory;
  customer: { email: string | null; name: string | null; phone: string | null; address: Stripe.Address | null };
  accountName: string;
}

function line(ctx: InvoiceBuildContext, invoiceId: string, subscriptionId: string | null, l: LinePlan): Stripe.InvoiceLineItem {
  const fromSubscription = l.subscriptionItemId != null;
  return {
    id: ctx.ids.long('il'),
    object: 'line_item',
    amount: l.amount,
    currency: ctx.currency,
    description: l.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: fromSubscription
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: subscriptionId, subscription_item: l.subscriptionItemId! },
        }
      : {
          type: 'invoice_item_details',
          invoice_item_details: { invoice_item: ctx.ids.long('ii'), proration: false, proration_details: { credited_items: null }, subscription: null },
          subscription_item_details: null,
        },
    period: { start: l.periodStart, end: l.periodEnd },
    pretax_credit_amounts: [],
    pricing: l.price
      ? { type: 'price_details', price_details: { price: l.price.price.id, product: l.price.product.id }, unit_amount_decimal: decimal(l.price.unitAmount) }
      : { type: 'price_details', unit_amount_decimal: decimal(l.quantity ? Math.round(l.amount / l.quantity) : l.amount) },
    quantity: l.quantity,
    quantity_decimal: decimal(l.quantity),
    subscription: subscriptionId,
    subtotal: l.amount,
    taxes: [],
  };
}

export function buildInvoice(ctx: InvoiceBuildContext, inv: InvoicePlan): Stripe.Invoice {
  const slot = inv.slot;
  const sub = slot.subscription;
  const subscriptionId = sub?.id ?? null;
  const amountPaid = inv.status === 'paid' ? inv.total : 0;
  const payments = buildInvoicePayments(ctx, inv);
  const finalized = inv.finalizedAt != null;
  return {
    id: inv.id,
    object: 'invoice',
    account_country: 'US',
    account_name: ctx.accountName,
    account_tax_ids: null,
    amount_due: inv.total,
    amount_overpaid: 0,
    amount_paid: amountPaid,
    amount_paid_off_stripe: inv.paidOutOfBand ? inv.total : 0,
    amount_remaining: inv.total - amountPaid,
    amount_shipping: 0,
    application: null,
    attempt_count: inv.attempts.length,
    attempted: inv.attempts.length > 0,
    auto_advance: inv.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: inv.automaticallyFinalizesAt,
    billing_reason: slot.billingReason,
    collection_method: slot.collection,
    created: slot.at,
    currency: ctx.currency,
    custom_fields: null,
    customer: ctx.customerId,
    customer_account: null,
    customer_address: ctx.customer.address,
    customer_email: ctx.customer.email,
    customer_name: ctx.customer.name,
    customer_phone: ctx.customer.phone,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: slot.description,
    discounts: [],
    due_date: inv.dueDate,
    effective_at: inv.finalizedAt,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    // No hosted page or PDF exists for demo invoices: a link would open Stripe's 404.
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: slot.lines.map((l) => line(ctx, inv.id, subscriptionId, l)), has_more: false, url: `/v1/invoices/${inv.id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: inv.nextPaymentAttempt,
    number: inv.number,
    on_behalf_of: null,
    parent: sub
      ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: sub.metadata, subscription: sub.id } }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    payments: { object: 'list', data: payments, has_more: false, url: `/v1/invoice_payments?invoice=${inv.id}` },
    period_end: slot.periodEnd,
    period_start: slot.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: { amount_tax_display: null, pdf: { page_size: 'auto' }, template: null, template_version: null },
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: inv.status,
    status_transitions: {
      finalized_at: inv.finalizedAt,
      marked_uncollectible_at: inv.markedUncollectibleAt,
      paid_at: inv.paidAt,
      voided_at: inv.voidedAt,
    },
    subtotal: inv.total,
    subtotal_excluding_tax: inv.total,
    test_clock: null,
    total: inv.total,
    total_discount_amounts: [],
    total_excluding_tax: inv.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: finalized ? slot.at + (slot.billingReason === 'subscription_cycle' ? HOUR : 0) + MINUTE : null,
  };
}
