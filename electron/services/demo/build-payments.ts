import type Stripe from 'stripe';
import type { DeclineSpec } from './declines';
import type { IdFactory } from './ids';
import type { AttemptPlan, InvoicePlan } from './plan-types';
import type { Rng } from './rng';

// An invoice's payment attempts as the API shows them with `expand: ['payments']`: one
// InvoicePayment per PaymentIntent, the PaymentIntent expanded with `last_payment_error` (the
// decline, with the card) and `latest_charge` (outcome, failure_code).

export interface PaymentBuildContext {
  rng: Rng;
  ids: IdFactory;
  customerId: string;
  currency: string;
  billing: Stripe.Charge.BillingDetails;
  paymentMethods: ReadonlyMap<string, Stripe.PaymentMethod>;
  statementDescriptor: string;
}

function outcome(rng: Rng, decline: DeclineSpec | null): Stripe.Charge.Outcome {
  if (!decline) {
    return { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: rng.range(2, 55), seller_message: 'Payment complete.', type: 'authorized' };
  }
  const blocked = decline.outcomeType === 'blocked';
  return {
    advice_code: decline.adviceCode,
    network_advice_code: decline.adviceCode === 'do_not_try_again' ? '03' : decline.adviceCode === 'try_again_later' ? '02' : null,
    network_decline_code: decline.networkCode,
    network_status: decline.networkStatus,
    reason: decline.declineCode,
    risk_level: blocked ? 'highest' : 'normal',
    risk_score: blocked ? rng.range(76, 99) : rng.range(5, 64),
    seller_message: decline.sellerMessage,
    type: decline.outcomeType,
  };
}

function charge(ctx: PaymentBuildContext, inv: InvoicePlan, a: AttemptPlan, paymentIntentId: string, description: string): Stripe.Charge {
  const { rng, ids } = ctx;
  const ok = a.decline == null;
  const card = a.card;
  return {
    id: ids.long('ch'),
    object: 'charge',
    amount: inv.total,
    amount_captured: ok ? inv.total : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? ids.long('txn') : null,
    billing_details: ctx.billing,
    calculated_statement_descriptor: ctx.statementDescriptor,
    captured: ok,
    created: a.at,
    currency: ctx.currency,
    customer: ctx.customerId,
    description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: ok ? null : a.decline!.errorCode,
    failure_message: ok ? null : a.decline!.message,
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: outcome(rng, a.decline),
    paid: ok,
    payment_intent: paymentIntentId,
    payment_method: card.id,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: ok ? inv.total : null,
        authorization_code: ok ? rng.digits(6) : null,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: null },
        country: card.country,
        electronic_commerce_indicator: null,
        exp_month: card.expMonth,
        exp_year: card.expYear,
        fingerprint: card.fingerprint,
        funding: card.funding,
        installments: null,
        last4: card.last4,
        mandate: null,
        network: card.brand,
        network_transaction_id: ok ? rng.digits(15) : null,
        regulated_status: card.funding === 'debit' ? 'regulated' : 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
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
    status: ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

function lastPaymentError(ctx: PaymentBuildContext, a: AttemptPlan, chargeId: string): Stripe.PaymentIntent.LastPaymentError {
  const d = a.decline!;
  return {
    type: 'card_error',
    code: d.errorCode as Stripe.PaymentIntent.LastPaymentError.Code,
    decline_code: d.declineCode,
    ...(d.adviceCode ? { advice_code: d.adviceCode } : {}),
    ...(d.networkCode ? { network_decline_code: d.networkCode } : {}),
    message: d.message,
    doc_url: `https://docs.stripe.com/error-codes/${d.errorCode.replace(/_/g, '-')}`,
    charge: chargeId,
    payment_method: ctx.paymentMethods.get(a.card.id)!,
    payment_method_type: 'card',
  };
}

/** `invoice.payments` for a planned invoice (an empty list when nothing was attempted). */
export function buildInvoicePayments(ctx: PaymentBuildContext, inv: InvoicePlan): Stripe.InvoicePayment[] {
  const groups = new Map<number, AttemptPlan[]>();
  for (const a of inv.attempts) {
    let g = groups.get(a.group);
    if (!g) groups.set(a.group, (g = []));
    g.push(a);
  }
  const ordered = [...groups.entries()].sort((x, y) => x[0] - y[0]).map(([, attempts]) => attempts);
  const description = inv.slot.billingReason === 'subscription_create' ? 'Subscription creation' : inv.slot.billingReason === 'manual' ? `Invoice ${inv.number}` : 'Subscription update';

  return ordered.map((attempts, index) => {
    const { ids } = ctx;
    const first = attempts[0];
    const last = attempts[attempts.length - 1];
    const isLastGroup = index === ordered.length - 1;
    const succeeded = last.decline == null;
    // A declined PaymentIntent replaced by a newer one, or left on a voided invoice, is canceled.
    const canceled = !succeeded && (!isLastGroup || inv.status === 'void');
    const canceledAt = !canceled ? null : isLastGroup ? inv.voidedAt : ordered[index + 1][0].at;
    const piId = ids.long('pi');
    const latest = charge(ctx, inv, last, piId, description);
    const lastFailure = [...attempts].reverse().find((a) => a.decline);
    const paymentIntent: Stripe.PaymentIntent = {
      id: piId,
      object: 'payment_intent',
      allowed_payment_method_types: null,
      amount: inv.total,
      amount_capturable: 0,
      amount_received: succeeded ? inv.total : 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: canceledAt,
      cancellation_reason: canceled ? (isLastGroup ? 'void_invoice' : 'abandoned') : null,
      capture_method: 'automatic',
      // The real value lets a browser confirm the payment; the console never needs it.
      client_secret: null,
      confirmation_method: 'automatic',
      created: first.at,
      currency: ctx.currency,
      customer: ctx.customerId,
      customer_account: null,
      description,
      excluded_payment_method_types: null,
      // Cleared when a retry on the same PaymentIntent succeeds, as Stripe does.
      last_payment_error: !succeeded && lastFailure ? lastPaymentError(ctx, lastFailure, latest.id) : null,
      latest_charge: latest,
      livemode: false,
      managed_payments: null,
      metadata: {},
      next_action: null,
      on_behalf_of: null,
      payment_method: last.card.id,
      payment_method_configuration_details: null,
      payment_method_options: null,
      payment_method_types: ['card'],
      payment_record: null,
      processing: null,
      receipt_email: null,
      review: null,
      setup_future_usage: 'off_session',
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: succeeded ? 'succeeded' : canceled ? 'canceled' : 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    };
    return {
      id: ids.long('inpay'),
      object: 'invoice_payment',
      amount_paid: succeeded ? inv.total : null,
      amount_requested: inv.total,
      created: first.at,
      currency: ctx.currency,
      invoice: inv.id,
      is_default: isLastGroup,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      status: succeeded ? 'paid' : canceled ? 'canceled' : 'open',
      status_transitions: { canceled_at: canceledAt, paid_at: succeeded ? last.at : null },
    };
  });
}
