// Builders of API objects in the shape of the API version the installed stripe SDK pins
// (2026-10-28.endive): fields and nesting follow Stripe's own OpenAPI fixtures
// (../shared/stripe/fixtures3.json). Nested defaults are frozen and shared between objects, so a
// store holding 100k invoices stays small; updates always build new objects (see store.ts).

/* eslint-disable @typescript-eslint/no-explicit-any -- the stand-in server builds and patches objects of every Stripe type generically; their shapes are checked against Stripe's own fixtures, not the SDK types */
export type StripeObject = { id: string; object: string; created: number; [key: string]: any };
export type Metadata = Record<string, string>;

export const API_VERSION = '2026-10-28.endive';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

const NULL_ADDRESS = deepFreeze({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });
const CUSTOMER_INVOICE_RENDERING = deepFreeze({ amount_tax_display: null, template: null });
const AUTOMATIC_TAX_SUB = deepFreeze({ enabled: false, liability: null, disabled_reason: null });
const AUTOMATIC_TAX_INVOICE = deepFreeze({ enabled: false, liability: null, status: null, disabled_reason: null, provider: null });
const ISSUER_SELF = deepFreeze({ type: 'self' });
const CANCELLATION_DETAILS = deepFreeze({ comment: null, feedback: null, reason: null });
const SUB_INVOICE_SETTINGS = deepFreeze({ account_tax_ids: null, issuer: ISSUER_SELF });
const SUB_PAYMENT_SETTINGS = deepFreeze({ payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' });
const TRIAL_SETTINGS = deepFreeze({ end_behavior: { missing_payment_method: 'create_invoice' } });
const BILLING_MODE = deepFreeze({ type: 'classic' });
const INVOICE_PAYMENT_SETTINGS = deepFreeze({ default_mandate: null, payment_method_options: null, payment_method_types: null });
const INVOICE_RENDERING = deepFreeze({ amount_tax_display: null, pdf: { page_size: 'auto' }, template: null, template_version: null });
const EMPTY_ARRAY = deepFreeze([] as never[]);
const CHARGE_BILLING_DETAILS = deepFreeze({ address: NULL_ADDRESS, email: null, name: null, phone: null, tax_id: null });
const CARD_CHECKS = deepFreeze({ address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' });

export function list(data: unknown[], url: string, hasMore = false): { object: 'list'; data: unknown[]; has_more: boolean; url: string } {
  return { object: 'list', data, has_more: hasMore, url };
}

export function address(a: Partial<Record<keyof typeof NULL_ADDRESS, string | null>> | null | undefined): object | null {
  if (!a) return null;
  return { ...NULL_ADDRESS, ...a };
}

export interface CustomerInit {
  id: string;
  created: number;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  currency?: string | null;
  balance?: number;
  delinquent?: boolean;
  address?: object | null;
  metadata?: Metadata;
  defaultPaymentMethod?: string | null;
  invoicePrefix?: string;
}

export function customer(c: CustomerInit): StripeObject {
  return {
    id: c.id,
    object: 'customer',
    address: c.address ?? null,
    balance: c.balance ?? 0,
    created: c.created,
    currency: c.currency ?? null,
    default_source: null,
    delinquent: c.delinquent ?? false,
    description: c.description ?? null,
    discount: null,
    email: c.email ?? null,
    invoice_prefix: c.invoicePrefix ?? c.id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: c.defaultPaymentMethod ?? null, footer: null, rendering_options: CUSTOMER_INVOICE_RENDERING },
    livemode: false,
    metadata: c.metadata ?? {},
    name: c.name ?? null,
    next_invoice_sequence: 1,
    phone: c.phone ?? null,
    preferred_locales: EMPTY_ARRAY,
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export interface CardInit {
  brand?: string;
  last4?: string;
  exp_month?: number;
  exp_year?: number;
  funding?: string;
  country?: string;
  wallet?: string | null;
}

export function cardDetails(card: CardInit): Record<string, unknown> {
  const brand = card.brand ?? 'visa';
  return {
    brand,
    checks: CARD_CHECKS,
    country: card.country ?? 'US',
    display_brand: brand,
    exp_month: card.exp_month ?? 12,
    exp_year: card.exp_year ?? 2030,
    fingerprint: `fp${(card.last4 ?? '4242')}${brand}`.slice(0, 16),
    funding: card.funding ?? 'credit',
    generated_from: null,
    last4: card.last4 ?? '4242',
    networks: { available: [brand], preferred: null },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: true },
    wallet: card.wallet ? { dynamic_last4: null, type: card.wallet } : null,
  };
}

export function paymentMethod(p: { id: string; created: number; customer?: string | null; card?: CardInit; metadata?: Metadata; billingName?: string | null; billingEmail?: string | null }): StripeObject {
  return {
    id: p.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: NULL_ADDRESS, email: p.billingEmail ?? null, name: p.billingName ?? null, phone: null, tax_id: null },
    card: cardDetails(p.card ?? {}),
    created: p.created,
    customer: p.customer ?? null,
    livemode: false,
    metadata: p.metadata ?? {},
    type: 'card',
  };
}

export function product(p: { id: string; created: number; name: string; description?: string | null; metadata?: Metadata; active?: boolean }): StripeObject {
  return {
    id: p.id,
    object: 'product',
    active: p.active ?? true,
    created: p.created,
    default_price: null,
    description: p.description ?? null,
    images: EMPTY_ARRAY,
    livemode: false,
    marketing_features: EMPTY_ARRAY,
    metadata: p.metadata ?? {},
    name: p.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    unit_label: null,
    updated: p.created,
    url: null,
    type: 'service',
  };
}

export interface PriceInit {
  id: string;
  created: number;
  product: string;
  unit_amount: number;
  currency: string;
  interval?: 'day' | 'week' | 'month' | 'year' | null;
  interval_count?: number;
  nickname?: string | null;
  metadata?: Metadata;
}

export function price(p: PriceInit): StripeObject {
  return {
    id: p.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: p.created,
    currency: p.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: p.metadata ?? {},
    nickname: p.nickname ?? null,
    product: p.product,
    recurring: p.interval ? { interval: p.interval, interval_count: p.interval_count ?? 1, meter: null, usage_type: 'licensed', trial_period_days: null } : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: p.interval ? 'recurring' : 'one_time',
    unit_amount: p.unit_amount,
    unit_amount_decimal: String(p.unit_amount),
  };
}

export function subscriptionItem(i: { id: string; created: number; subscription: string; price: StripeObject; quantity: number; periodStart: number; periodEnd: number; metadata?: Metadata }): StripeObject {
  return {
    id: i.id,
    object: 'subscription_item',
    billing_thresholds: null,
    created: i.created,
    current_period_end: i.periodEnd,
    current_period_start: i.periodStart,
    discounts: EMPTY_ARRAY,
    metadata: i.metadata ?? {},
    plan: null,
    price: i.price,
    quantity: i.quantity,
    subscription: i.subscription,
    tax_rates: EMPTY_ARRAY,
  };
}

export interface SubscriptionInit {
  id: string;
  created: number;
  customer: string;
  currency: string;
  items: StripeObject[];
  status: string;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number | null;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  canceledAt?: number | null;
  endedAt?: number | null;
  trialStart?: number | null;
  trialEnd?: number | null;
  pauseCollection?: { behavior: string; resumes_at: number | null } | null;
  defaultPaymentMethod?: string | null;
  latestInvoice?: string | null;
  metadata?: Metadata;
  description?: string | null;
}

export function subscription(s: SubscriptionInit): StripeObject {
  return {
    id: s.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: AUTOMATIC_TAX_SUB,
    billing_cycle_anchor: s.items[0]?.current_period_start ?? s.created,
    billing_cycle_anchor_config: null,
    billing_mode: BILLING_MODE,
    billing_thresholds: null,
    cancel_at: s.cancelAt ?? null,
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    canceled_at: s.canceledAt ?? null,
    cancellation_details: CANCELLATION_DETAILS,
    collection_method: s.collectionMethod ?? 'charge_automatically',
    created: s.created,
    currency: s.currency,
    customer: s.customer,
    days_until_due: s.daysUntilDue ?? null,
    default_payment_method: s.defaultPaymentMethod ?? null,
    default_source: null,
    default_tax_rates: EMPTY_ARRAY,
    description: s.description ?? null,
    discounts: EMPTY_ARRAY,
    ended_at: s.endedAt ?? null,
    invoice_settings: SUB_INVOICE_SETTINGS,
    items: list(s.items, `/v1/subscription_items?subscription=${s.id}`),
    latest_invoice: s.latestInvoice ?? null,
    livemode: false,
    metadata: s.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: s.pauseCollection ?? null,
    payment_settings: SUB_PAYMENT_SETTINGS,
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: s.created,
    status: s.status,
    test_clock: null,
    transfer_data: null,
    trial_end: s.trialEnd ?? null,
    trial_settings: TRIAL_SETTINGS,
    trial_start: s.trialStart ?? null,
  };
}

export interface LineInit {
  id: string;
  invoice: string;
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  subscription?: string | null;
  subscriptionItem?: string | null;
  invoiceItem?: string | null;
  price?: string | null;
}

export function invoiceLine(l: LineInit): StripeObject {
  const parent = l.subscriptionItem
    ? { type: 'subscription_item_details', invoice_item_details: null, subscription_item_details: { invoice_item: null, proration: false, proration_details: null, subscription: l.subscription ?? null, subscription_item: l.subscriptionItem } }
    : { type: 'invoice_item_details', subscription_item_details: null, invoice_item_details: { invoice_item: l.invoiceItem ?? null, proration: false, proration_details: null, subscription: l.subscription ?? null } };
  return {
    id: l.id,
    object: 'line_item',
    amount: l.amount,
    created: l.periodStart,
    currency: l.currency,
    description: l.description,
    discount_amounts: EMPTY_ARRAY,
    discountable: true,
    discounts: EMPTY_ARRAY,
    invoice: l.invoice,
    livemode: false,
    metadata: {},
    parent,
    period: { end: l.periodEnd, start: l.periodStart },
    pretax_credit_amounts: EMPTY_ARRAY,
    pricing: { type: 'price_details', price_details: { price: l.price ?? null, product: null }, unit_amount_decimal: l.quantity ? String(Math.round(l.amount / l.quantity)) : null },
    quantity: l.quantity,
    subscription: l.subscription ?? null,
    taxes: EMPTY_ARRAY,
  };
}

export interface InvoiceInit {
  id: string;
  created: number;
  customer: string;
  customerEmail?: string | null;
  customerName?: string | null;
  currency: string;
  lines: StripeObject[];
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  number?: string | null;
  billingReason?: string;
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  subscription?: string | null;
  amountPaid?: number;
  attemptCount?: number;
  attempted?: boolean;
  nextPaymentAttempt?: number | null;
  dueDate?: number | null;
  periodStart?: number;
  periodEnd?: number;
  description?: string | null;
  metadata?: Metadata;
  autoAdvance?: boolean;
  defaultPaymentMethod?: string | null;
  finalizedAt?: number | null;
  paidAt?: number | null;
  voidedAt?: number | null;
  markedUncollectibleAt?: number | null;
}

export function invoice(i: InvoiceInit): StripeObject {
  const total = i.lines.reduce((s, l) => s + (l.amount as number), 0);
  const amountPaid = i.amountPaid ?? 0;
  const closed = i.status === 'void' || i.status === 'uncollectible';
  const finalized = i.status !== 'draft';
  return {
    id: i.id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Test server account',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: amountPaid,
    amount_remaining: i.status === 'paid' || i.status === 'void' ? 0 : Math.max(0, total - amountPaid),
    amount_shipping: 0,
    application: null,
    attempt_count: i.attemptCount ?? 0,
    attempted: i.attempted ?? false,
    auto_advance: i.autoAdvance ?? (i.status === 'draft' || i.status === 'open'),
    automatic_tax: AUTOMATIC_TAX_INVOICE,
    automatically_finalizes_at: null,
    billing_reason: i.billingReason ?? 'manual',
    collection_method: i.collectionMethod ?? 'charge_automatically',
    confirmation_secret: null,
    created: i.created,
    currency: i.currency,
    custom_fields: null,
    customer: i.customer,
    customer_address: null,
    customer_email: i.customerEmail ?? null,
    customer_name: i.customerName ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: EMPTY_ARRAY,
    default_payment_method: i.defaultPaymentMethod ?? null,
    default_source: null,
    default_tax_rates: EMPTY_ARRAY,
    description: i.description ?? null,
    discounts: EMPTY_ARRAY,
    due_date: i.dueDate ?? null,
    effective_at: finalized ? (i.finalizedAt ?? i.created) : null,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: finalized ? `https://invoice.stripe.test/i/${i.id}` : null,
    invoice_pdf: finalized ? `https://invoice.stripe.test/i/${i.id}/pdf` : null,
    issuer: ISSUER_SELF,
    last_finalization_error: null,
    latest_revision: null,
    lines: list(i.lines, `/v1/invoices/${i.id}/lines`),
    livemode: false,
    metadata: i.metadata ?? {},
    next_payment_attempt: closed || i.status === 'paid' ? null : (i.nextPaymentAttempt ?? null),
    number: i.number ?? null,
    on_behalf_of: null,
    parent: i.subscription
      ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: i.subscription } }
      : null,
    payment_settings: INVOICE_PAYMENT_SETTINGS,
    period_end: i.periodEnd ?? i.created,
    period_start: i.periodStart ?? i.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: INVOICE_RENDERING,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: i.status,
    status_transitions: {
      finalized_at: finalized ? (i.finalizedAt ?? i.created) : null,
      marked_uncollectible_at: i.markedUncollectibleAt ?? null,
      paid_at: i.paidAt ?? null,
      voided_at: i.voidedAt ?? null,
    },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: EMPTY_ARRAY,
    total_excluding_tax: total,
    total_pretax_credit_amounts: EMPTY_ARRAY,
    total_taxes: EMPTY_ARRAY,
    webhooks_delivered_at: i.created,
  };
}

export function invoicePayment(p: { id: string; created: number; invoice: string; paymentIntent: string; amountRequested: number; amountPaid: number | null; currency: string; status: 'open' | 'paid' | 'canceled'; isDefault: boolean; paidAt?: number | null; canceledAt?: number | null }): StripeObject {
  return {
    id: p.id,
    object: 'invoice_payment',
    amount_paid: p.amountPaid,
    amount_requested: p.amountRequested,
    created: p.created,
    currency: p.currency,
    invoice: p.invoice,
    is_default: p.isDefault,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: p.paymentIntent },
    status: p.status,
    status_transitions: { canceled_at: p.canceledAt ?? null, paid_at: p.paidAt ?? null },
  };
}

export interface PaymentError {
  declineCode: string;
  adviceCode?: string | null;
  code?: string;
  message?: string;
}

export function paymentIntent(p: { id: string; created: number; amount: number; currency: string; customer: string; paymentMethod: string | null; latestCharge: string | null; status: string; lastPaymentError?: object | null; description?: string | null; amountReceived?: number }): StripeObject {
  return {
    id: p.id,
    object: 'payment_intent',
    amount: p.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: p.amountReceived ?? 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${p.id}_secret_test`,
    confirmation_method: 'automatic',
    created: p.created,
    currency: p.currency,
    customer: p.customer,
    description: p.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: p.lastPaymentError ?? null,
    latest_charge: p.latestCharge,
    livemode: false,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: p.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: p.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function charge(c: { id: string; created: number; amount: number; currency: string; customer: string; paymentIntent: string; paymentMethod: string; card: Record<string, unknown>; succeeded: boolean; failure?: PaymentError | null; description?: string | null }): StripeObject {
  const f = c.failure;
  return {
    id: c.id,
    object: 'charge',
    amount: c.amount,
    amount_captured: c.succeeded ? c.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: c.succeeded ? `txn_${c.id.slice(3)}` : null,
    billing_details: CHARGE_BILLING_DETAILS,
    calculated_statement_descriptor: 'TEST SERVER',
    captured: c.succeeded,
    created: c.created,
    currency: c.currency,
    customer: c.customer,
    description: c.description ?? null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: f ? (f.code ?? 'card_declined') : null,
    failure_message: f ? (f.message ?? 'Your card was declined.') : null,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: f
      ? { advice_code: f.adviceCode ?? null, network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network', reason: f.declineCode, risk_level: 'normal', risk_score: 20, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' }
      : { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 20, seller_message: 'Payment complete.', type: 'authorized' },
    paid: c.succeeded,
    payment_intent: c.paymentIntent,
    payment_method: c.paymentMethod,
    payment_method_details: {
      card: {
        amount_authorized: c.succeeded ? c.amount : null,
        authorization_code: null,
        brand: c.card.brand,
        checks: CARD_CHECKS,
        country: c.card.country,
        exp_month: c.card.exp_month,
        exp_year: c.card.exp_year,
        fingerprint: c.card.fingerprint,
        funding: c.card.funding,
        installments: null,
        last4: c.card.last4,
        mandate: null,
        network: c.card.brand,
        network_token: { used: false },
        network_transaction_id: null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        wallet: c.card.wallet ?? null,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: c.succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export function account(a: { id: string; name: string; email: string; created: number }): StripeObject {
  return {
    id: a.id,
    object: 'account',
    business_profile: { mcc: null, name: a.name, product_description: null, support_address: null, support_email: a.email, support_phone: null, support_url: null, url: null },
    business_type: 'company',
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    controller: { type: 'account' },
    country: 'US',
    created: a.created,
    default_currency: 'usd',
    details_submitted: true,
    email: a.email,
    metadata: {},
    payouts_enabled: true,
    settings: { dashboard: { display_name: a.name, timezone: 'Etc/UTC' } },
    type: 'standard',
  };
}

export function event(e: { id: string; created: number; type: string; object: unknown; previous?: Record<string, unknown> | null; apiVersion: string; requestId: string | null; idempotencyKey: string | null }): StripeObject {
  return {
    id: e.id,
    object: 'event',
    api_version: e.apiVersion,
    created: e.created,
    data: e.previous ? { object: e.object, previous_attributes: e.previous } : { object: e.object },
    livemode: false,
    pending_webhooks: 0,
    request: { id: e.requestId, idempotency_key: e.idempotencyKey },
    type: e.type,
  };
}
