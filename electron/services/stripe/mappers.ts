import type Stripe from 'stripe';

// Stripe API objects (API version pinned by the installed stripe SDK) -> cache rows.
// Since the 2025 basil versions: invoice payments are `invoice.payments` (InvoicePayment), the
// subscription is `invoice.parent.subscription_details.subscription`, and periods live on
// subscription items. Expandable fields may arrive as an id or as the object: `idOf` takes both.

export type Expandable<T extends { id?: string }> = string | T | null | undefined;

export function idOf<T extends { id?: string }>(v: Expandable<T>): string | null {
  if (v == null) return null;
  return typeof v === 'string' ? v : (v.id ?? null);
}

function json(v: unknown): string {
  return JSON.stringify(v ?? {});
}

export interface CustomerRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  currency: string | null;
  balance: number;
  delinquent: number;
  default_payment_method_id: string | null;
  address_json: string | null;
  metadata_json: string;
  livemode: number;
  created: number;
}

export function mapCustomer(c: Stripe.Customer): CustomerRow {
  return {
    id: c.id,
    name: c.name ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    description: c.description ?? null,
    currency: c.currency ?? null,
    balance: c.balance ?? 0,
    delinquent: c.delinquent ? 1 : 0,
    default_payment_method_id: idOf(c.invoice_settings?.default_payment_method as Expandable<Stripe.PaymentMethod>),
    address_json: c.address ? json(c.address) : null,
    metadata_json: json(c.metadata),
    livemode: c.livemode ? 1 : 0,
    created: c.created,
  };
}

export interface SubscriptionRow {
  id: string;
  customer_id: string;
  status: string;
  currency: string;
  collection_method: string | null;
  cancel_at_period_end: number;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  trial_start: number | null;
  trial_end: number | null;
  current_period_start: number | null;
  current_period_end: number | null;
  pause_behavior: string | null;
  pause_resumes_at: number | null;
  default_payment_method_id: string | null;
  latest_invoice_id: string | null;
  metadata_json: string;
  created: number;
}

export interface SubscriptionItemRow {
  id: string;
  subscription_id: string;
  price_id: string | null;
  product_id: string | null;
  product_name: string | null;
  price_nickname: string | null;
  unit_amount: number | null;
  currency: string | null;
  recurring_interval: string | null;
  recurring_interval_count: number | null;
  quantity: number;
  current_period_start: number | null;
  current_period_end: number | null;
}

export function mapSubscriptionItem(subscriptionId: string, item: Stripe.SubscriptionItem): SubscriptionItemRow {
  const price = item.price;
  const product = price?.product as Expandable<Stripe.Product | Stripe.DeletedProduct>;
  return {
    id: item.id,
    subscription_id: subscriptionId,
    price_id: price?.id ?? null,
    product_id: idOf(product),
    product_name: product && typeof product !== 'string' && 'name' in product ? (product.name ?? null) : null,
    price_nickname: price?.nickname ?? null,
    unit_amount: price?.unit_amount ?? null,
    currency: price?.currency ?? null,
    recurring_interval: price?.recurring?.interval ?? null,
    recurring_interval_count: price?.recurring?.interval_count ?? null,
    quantity: item.quantity ?? 1,
    current_period_start: item.current_period_start ?? null,
    current_period_end: item.current_period_end ?? null,
  };
}

export function mapSubscription(s: Stripe.Subscription): { row: SubscriptionRow; items: SubscriptionItemRow[] } {
  const items = (s.items?.data ?? []).map((i) => mapSubscriptionItem(s.id, i));
  // The subscription's period is the span of its items' periods (basil moved periods to items).
  const starts = items.map((i) => i.current_period_start).filter((v): v is number => v != null);
  const ends = items.map((i) => i.current_period_end).filter((v): v is number => v != null);
  return {
    row: {
      id: s.id,
      customer_id: idOf(s.customer as Expandable<Stripe.Customer>)!,
      status: s.status,
      currency: s.currency,
      collection_method: s.collection_method ?? null,
      cancel_at_period_end: s.cancel_at_period_end ? 1 : 0,
      cancel_at: s.cancel_at ?? null,
      canceled_at: s.canceled_at ?? null,
      ended_at: s.ended_at ?? null,
      trial_start: s.trial_start ?? null,
      trial_end: s.trial_end ?? null,
      current_period_start: starts.length ? Math.min(...starts) : null,
      current_period_end: ends.length ? Math.max(...ends) : null,
      pause_behavior: s.pause_collection?.behavior ?? null,
      pause_resumes_at: s.pause_collection?.resumes_at ?? null,
      default_payment_method_id: idOf(s.default_payment_method as Expandable<Stripe.PaymentMethod>),
      latest_invoice_id: idOf(s.latest_invoice as Expandable<Stripe.Invoice>),
      metadata_json: json(s.metadata),
      created: s.created,
    },
    items,
  };
}

export interface InvoiceRow {
  id: string;
  customer_id: string;
  subscription_id: string | null;
  number: string | null;
  status: string | null;
  billing_reason: string | null;
  collection_method: string | null;
  currency: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  total: number;
  attempt_count: number;
  attempted: number;
  next_payment_attempt: number | null;
  due_date: number | null;
  period_start: number | null;
  period_end: number | null;
  paid_at: number | null;
  voided_at: number | null;
  marked_uncollectible_at: number | null;
  hosted_invoice_url: string | null;
  description: string | null;
  lines_json: string;
  metadata_json: string;
  created: number;
}

export interface PaymentAttemptRow {
  id: string;
  invoice_id: string;
  customer_id: string | null;
  payment_intent_id: string | null;
  charge_id: string | null;
  status: string;
  amount: number;
  currency: string;
  decline_code: string | null;
  failure_code: string | null;
  failure_message: string | null;
  advice_code: string | null;
  network_status: string | null;
  outcome_type: string | null;
  outcome_reason: string | null;
  payment_method_id: string | null;
  card_brand: string | null;
  card_last4: string | null;
  created: number;
}

/** Lines kept for the copilot and the 360 view: description, amount, period; not every field. */
function summarizeLines(inv: Stripe.Invoice): string {
  const lines = (inv.lines?.data ?? []).slice(0, 50).map((l) => ({
    description: l.description ?? null,
    amount: l.amount,
    currency: l.currency,
    quantity: l.quantity ?? null,
    period_start: l.period?.start ?? null,
    period_end: l.period?.end ?? null,
  }));
  return JSON.stringify(lines);
}

/**
 * One InvoicePayment (with `payment.payment_intent` and its `latest_charge` expanded when
 * available) -> one attempt row. The decline is read from the PaymentIntent's
 * `last_payment_error` first, then from the Charge's outcome/failure_code.
 * `invoice.last_finalization_error` is deliberately ignored: it is not the dunning decline.
 */
export function mapInvoicePayment(invoiceId: string, customerId: string | null, p: Stripe.InvoicePayment): PaymentAttemptRow {
  const pi = p.payment?.payment_intent as Expandable<Stripe.PaymentIntent>;
  const piObj = pi && typeof pi !== 'string' ? pi : null;
  const chargeRef = (p.payment?.charge as Expandable<Stripe.Charge>) ?? (piObj?.latest_charge as Expandable<Stripe.Charge>);
  const charge = chargeRef && typeof chargeRef !== 'string' ? chargeRef : null;
  const err = piObj?.last_payment_error ?? null;
  const card = charge?.payment_method_details?.card ?? null;
  const errPm = err?.payment_method ?? null;
  const failed = p.status !== 'paid' && (err != null || charge?.status === 'failed');
  return {
    id: p.id,
    invoice_id: invoiceId,
    customer_id: customerId,
    payment_intent_id: idOf(pi),
    charge_id: idOf(chargeRef),
    status: failed ? 'failed' : p.status,
    amount: p.amount_paid ?? p.amount_requested ?? 0,
    currency: p.currency,
    decline_code: err?.decline_code ?? charge?.outcome?.reason ?? charge?.failure_code ?? null,
    failure_code: err?.code ?? charge?.failure_code ?? null,
    failure_message: err?.message ?? charge?.failure_message ?? null,
    advice_code: err?.advice_code ?? charge?.outcome?.advice_code ?? null,
    network_status: charge?.outcome?.network_status ?? null,
    outcome_type: charge?.outcome?.type ?? null,
    outcome_reason: charge?.outcome?.reason ?? null,
    payment_method_id: idOf(errPm as Expandable<Stripe.PaymentMethod>) ?? idOf(piObj?.payment_method as Expandable<Stripe.PaymentMethod>) ?? (typeof charge?.payment_method === 'string' ? charge.payment_method : null),
    card_brand: card?.brand ?? errPm?.card?.brand ?? null,
    card_last4: card?.last4 ?? errPm?.card?.last4 ?? null,
    created: p.created,
  };
}

export function mapInvoice(inv: Stripe.Invoice): { row: InvoiceRow; attempts: PaymentAttemptRow[] | null } {
  const customerId = idOf(inv.customer as Expandable<Stripe.Customer>)!;
  const subscription = inv.parent?.subscription_details?.subscription as Expandable<Stripe.Subscription>;
  return {
    row: {
      id: inv.id!,
      customer_id: customerId,
      subscription_id: idOf(subscription),
      number: inv.number ?? null,
      status: inv.status ?? null,
      billing_reason: inv.billing_reason ?? null,
      collection_method: inv.collection_method ?? null,
      currency: inv.currency,
      amount_due: inv.amount_due,
      amount_paid: inv.amount_paid,
      amount_remaining: inv.amount_remaining,
      total: inv.total,
      attempt_count: inv.attempt_count,
      attempted: inv.attempted ? 1 : 0,
      next_payment_attempt: inv.next_payment_attempt ?? null,
      due_date: inv.due_date ?? null,
      period_start: inv.period_start ?? null,
      period_end: inv.period_end ?? null,
      paid_at: inv.status_transitions?.paid_at ?? null,
      voided_at: inv.status_transitions?.voided_at ?? null,
      marked_uncollectible_at: inv.status_transitions?.marked_uncollectible_at ?? null,
      hosted_invoice_url: inv.hosted_invoice_url ?? null,
      description: inv.description ?? null,
      lines_json: summarizeLines(inv),
      metadata_json: json(inv.metadata),
      created: inv.created,
    },
    // `payments` is only present when expanded; null means "unknown, keep what we have".
    attempts: inv.payments ? inv.payments.data.map((p) => mapInvoicePayment(inv.id!, customerId, p)) : null,
  };
}

export interface PaymentMethodRow {
  id: string;
  customer_id: string | null;
  type: string;
  card_brand: string | null;
  card_last4: string | null;
  card_exp_month: number | null;
  card_exp_year: number | null;
  card_funding: string | null;
  card_country: string | null;
  wallet: string | null;
  created: number;
}

export function mapPaymentMethod(pm: Stripe.PaymentMethod): PaymentMethodRow {
  return {
    id: pm.id,
    customer_id: idOf(pm.customer as Expandable<Stripe.Customer>),
    type: pm.type,
    card_brand: pm.card?.brand ?? null,
    card_last4: pm.card?.last4 ?? null,
    card_exp_month: pm.card?.exp_month ?? null,
    card_exp_year: pm.card?.exp_year ?? null,
    card_funding: pm.card?.funding ?? null,
    card_country: pm.card?.country ?? null,
    wallet: pm.card?.wallet?.type ?? null,
    created: pm.created,
  };
}
