import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type Stripe from 'stripe';
import { mapInvoice, mapInvoicePayment, mapSubscription } from '../../electron/services/stripe/mappers';

// The columns that drive money and state, with literal expected values written by hand, on
// Stripe's own fixture objects (tests/fixtures/stripe-fixtures3.json) given values that tell the
// fields apart: amount due / paid / remaining all different, a subscription whose items have
// different periods, a decline recorded on both the PaymentIntent and the Charge.

const FIXTURES = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/stripe-fixtures3.json'), 'utf8')).resources as Record<string, Record<string, unknown>>;
const fixture = <T>(name: string, patch: Record<string, unknown>): T => ({ ...structuredClone(FIXTURES[name]!), ...patch }) as T;

describe('mappers: money and state columns (literal values)', () => {
  it('an open invoice partly paid: due, paid and remaining each from their own field; the retry picture; the basil subscription', () => {
    const inv = fixture<Stripe.Invoice>('invoice', {
      id: 'in_Literal1',
      customer: 'cus_Literal1',
      status: 'open',
      currency: 'eur',
      total: 12_000,
      amount_due: 9_000,
      amount_paid: 2_500,
      amount_remaining: 6_500,
      attempt_count: 3,
      attempted: true,
      next_payment_attempt: 1_750_086_400,
      parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: 'sub_Literal1' } },
    });
    expect(mapInvoice(inv).row).toMatchObject({
      id: 'in_Literal1',
      customer_id: 'cus_Literal1',
      subscription_id: 'sub_Literal1',
      status: 'open',
      currency: 'eur',
      total: 12_000,
      amount_due: 9_000,
      amount_paid: 2_500,
      amount_remaining: 6_500,
      attempt_count: 3,
      attempted: 1,
      next_payment_attempt: 1_750_086_400,
    });
  });

  it('a zero-decimal invoice keeps its integer yen; send_invoice has no next attempt', () => {
    const inv = fixture<Stripe.Invoice>('invoice', { id: 'in_Yen1', customer: 'cus_Yen1', status: 'open', currency: 'jpy', total: 5_000, amount_due: 5_000, amount_paid: 0, amount_remaining: 5_000, attempt_count: 0, attempted: false, next_payment_attempt: null, collection_method: 'send_invoice' });
    expect(mapInvoice(inv).row).toMatchObject({ currency: 'jpy', amount_due: 5_000, amount_remaining: 5_000, attempt_count: 0, attempted: 0, next_payment_attempt: null, collection_method: 'send_invoice' });
  });

  it("a subscription's period is the span of its items' periods; status as Stripe says", () => {
    const item = FIXTURES.subscription_item!;
    const sub = fixture<Stripe.Subscription>('subscription', {
      id: 'sub_Span1',
      customer: 'cus_Span1',
      status: 'past_due',
      currency: 'usd',
      items: { object: 'list', has_more: false, url: '/v1/subscription_items', data: [
        { ...structuredClone(item), id: 'si_A', current_period_start: 1_700_000_000, current_period_end: 1_702_592_000 },
        { ...structuredClone(item), id: 'si_B', current_period_start: 1_699_000_000, current_period_end: 1_703_000_000 },
      ] },
    });
    expect(mapSubscription(sub).row).toMatchObject({ id: 'sub_Span1', customer_id: 'cus_Span1', status: 'past_due', currency: 'usd', current_period_start: 1_699_000_000, current_period_end: 1_703_000_000 });
  });

  it("a failed payment: the PaymentIntent's last_payment_error names the decline (not the Charge's outcome); the amount is what was asked", () => {
    const charge = fixture<Stripe.Charge>('charge', { id: 'ch_Lit1', status: 'failed', failure_code: 'card_declined', failure_message: 'Your card was declined.', outcome: { type: 'issuer_declined', reason: 'generic_decline', network_status: 'declined_by_network', advice_code: null, risk_level: 'normal', seller_message: 'declined' } });
    const pi = fixture<Stripe.PaymentIntent>('payment_intent', {
      id: 'pi_Lit1',
      customer: 'cus_Lit1',
      status: 'requires_payment_method',
      latest_charge: charge,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', advice_code: 'try_again_later', message: 'Your card has insufficient funds.' },
    });
    const payment = fixture<Stripe.InvoicePayment>('invoice_payment', { id: 'inpay_Lit1', status: 'open', currency: 'usd', amount_paid: null, amount_requested: 4_900, created: 1_750_000_000, payment: { type: 'payment_intent', payment_intent: pi } });
    expect(mapInvoicePayment('in_Lit1', 'cus_Lit1', payment)).toMatchObject({
      status: 'failed',
      amount: 4_900,
      currency: 'usd',
      decline_code: 'insufficient_funds',
      failure_code: 'card_declined',
      advice_code: 'try_again_later',
      charge_id: 'ch_Lit1',
      payment_intent_id: 'pi_Lit1',
    });
  });

  it('a decline known only from the Charge (no last_payment_error): its outcome reason', () => {
    const charge = fixture<Stripe.Charge>('charge', { id: 'ch_Lit2', status: 'failed', failure_code: 'expired_card', outcome: { type: 'issuer_declined', reason: 'expired_card', network_status: 'declined_by_network', advice_code: null, risk_level: 'normal', seller_message: 'declined' } });
    const pi = fixture<Stripe.PaymentIntent>('payment_intent', { id: 'pi_Lit2', status: 'requires_payment_method', latest_charge: charge, last_payment_error: null });
    const payment = fixture<Stripe.InvoicePayment>('invoice_payment', { id: 'inpay_Lit2', status: 'open', currency: 'gbp', amount_paid: null, amount_requested: 12_000, payment: { type: 'payment_intent', payment_intent: pi } });
    expect(mapInvoicePayment('in_Lit2', 'cus_Lit2', payment)).toMatchObject({ status: 'failed', amount: 12_000, currency: 'gbp', decline_code: 'expired_card', failure_code: 'expired_card' });
  });

  it('a paid payment: the amount paid, no decline', () => {
    const charge = fixture<Stripe.Charge>('charge', { id: 'ch_Lit3', status: 'succeeded', failure_code: null, outcome: { type: 'authorized', reason: null, network_status: 'approved_by_network', advice_code: null, risk_level: 'normal', seller_message: 'ok' } });
    const pi = fixture<Stripe.PaymentIntent>('payment_intent', { id: 'pi_Lit3', status: 'succeeded', latest_charge: charge, last_payment_error: null });
    const payment = fixture<Stripe.InvoicePayment>('invoice_payment', { id: 'inpay_Lit3', status: 'paid', currency: 'usd', amount_paid: 2_500, amount_requested: 9_000, payment: { type: 'payment_intent', payment_intent: pi } });
    expect(mapInvoicePayment('in_Lit3', 'cus_Lit3', payment)).toMatchObject({ status: 'paid', amount: 2_500, decline_code: null, failure_code: null });
  });
});
