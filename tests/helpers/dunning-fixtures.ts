import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { ingestCustomer, ingestInvoice, ingestSubscription } from '../../electron/services/stripe/ingest';

// Stripe-shaped objects (basil: invoice.payments, invoice.parent.subscription_details) written into
// the cache through ingest, the same path the sync uses, so the dunning tests read what a real
// sync would have written.

export interface FailureSpec {
  declineCode?: string | null;
  /** PaymentIntent.last_payment_error.code; 'card_declined' unless given. */
  code?: string;
  adviceCode?: string | null;
  paymentMethod?: string | null;
  created: number;
}

export interface InvoiceSpec {
  customer: string;
  status?: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  amountDue?: number;
  amountPaid?: number;
  currency?: string;
  attemptCount?: number;
  nextPaymentAttempt?: number | null;
  subscription?: string | null;
  failures?: FailureSpec[];
  created?: number;
  paidAt?: number | null;
  voidedAt?: number | null;
  number?: string | null;
}

/** Writes Stripe objects for one account; every write gets a newer source_ts so the version guard accepts it. */
export class StripeRows {
  private ts: number;
  constructor(
    private readonly db: Database.Database,
    readonly accountId: string,
    readonly nowS: number,
  ) {
    this.ts = nowS;
  }

  private nextTs(): number {
    return ++this.ts;
  }

  customer(id: string, opts: { email?: string | null; name?: string | null; defaultPm?: string | null } = {}): void {
    const c = {
      id,
      object: 'customer',
      name: opts.name ?? `Customer ${id.slice(4)}`,
      email: opts.email === undefined ? `${id.slice(4).toLowerCase()}@example.com` : opts.email,
      created: this.nowS - 400 * 86_400,
      livemode: false,
      metadata: {},
      balance: 0,
      delinquent: false,
      invoice_settings: { default_payment_method: opts.defaultPm ?? null },
    } as unknown as Stripe.Customer;
    ingestCustomer(this.db, this.accountId, c, this.nextTs());
  }

  subscription(id: string, customer: string, status: Stripe.Subscription.Status, opts: { defaultPm?: string | null; latestInvoice?: string | null; currency?: string; unitAmount?: number } = {}): void {
    const s = {
      id,
      object: 'subscription',
      customer,
      status,
      currency: opts.currency ?? 'usd',
      collection_method: 'charge_automatically',
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: status === 'canceled' ? this.nowS : null,
      ended_at: null,
      trial_start: null,
      trial_end: null,
      default_payment_method: opts.defaultPm ?? null,
      latest_invoice: opts.latestInvoice ?? null,
      metadata: {},
      created: this.nowS - 200 * 86_400,
      items: {
        object: 'list',
        data: [
          {
            id: `si_${id.slice(4)}`,
            object: 'subscription_item',
            quantity: 1,
            current_period_start: this.nowS - 10 * 86_400,
            current_period_end: this.nowS + 20 * 86_400,
            price: { id: 'price_basic', object: 'price', unit_amount: opts.unitAmount ?? 2_000, currency: opts.currency ?? 'usd', nickname: 'Basic', product: 'prod_basic', recurring: { interval: 'month', interval_count: 1 } },
          },
        ],
      },
    } as unknown as Stripe.Subscription;
    ingestSubscription(this.db, this.accountId, s, this.nextTs());
  }

  invoice(id: string, spec: InvoiceSpec): void {
    const currency = spec.currency ?? 'usd';
    const status = spec.status ?? 'open';
    const amountDue = spec.amountDue ?? 5_000;
    const amountPaid = spec.amountPaid ?? (status === 'paid' ? amountDue : 0);
    const failures = spec.failures ?? [];
    const payments = failures.map((f, i) => ({
      id: `inpay_${id.slice(3)}${i}`,
      object: 'invoice_payment',
      invoice: id,
      amount_paid: null,
      amount_requested: amountDue,
      currency,
      created: f.created,
      is_default: i === failures.length - 1,
      livemode: false,
      status: 'open',
      status_transitions: { canceled_at: null, paid_at: null },
      payment: {
        type: 'payment_intent',
        payment_intent: {
          id: `pi_${id.slice(3)}${i}`,
          object: 'payment_intent',
          status: 'requires_payment_method',
          payment_method: null,
          latest_charge: null,
          last_payment_error: {
            type: 'card_error',
            code: f.code ?? 'card_declined',
            decline_code: f.declineCode ?? undefined,
            advice_code: f.adviceCode ?? undefined,
            message: 'Your card was declined.',
            payment_method: f.paymentMethod ? { id: f.paymentMethod, object: 'payment_method', card: { brand: 'visa', last4: '0341' } } : undefined,
          },
        },
      },
    }));
    const inv = {
      id,
      object: 'invoice',
      customer: spec.customer,
      number: spec.number === undefined ? `INV-${id.slice(3).toUpperCase()}` : spec.number,
      status,
      billing_reason: spec.subscription ? 'subscription_cycle' : 'manual',
      collection_method: 'charge_automatically',
      currency,
      amount_due: amountDue,
      amount_paid: amountPaid,
      amount_remaining: Math.max(0, amountDue - amountPaid),
      total: amountDue,
      attempt_count: spec.attemptCount ?? failures.length,
      attempted: (spec.attemptCount ?? failures.length) > 0,
      next_payment_attempt: spec.nextPaymentAttempt ?? null,
      due_date: null,
      period_start: this.nowS - 30 * 86_400,
      period_end: this.nowS,
      status_transitions: { paid_at: spec.paidAt ?? null, voided_at: spec.voidedAt ?? null, marked_uncollectible_at: status === 'uncollectible' ? this.nowS : null, finalized_at: null },
      hosted_invoice_url: null,
      description: null,
      lines: { object: 'list', data: [] },
      metadata: {},
      created: spec.created ?? (failures[0]?.created ?? this.nowS) - 60,
      parent: spec.subscription ? { type: 'subscription_details', subscription_details: { subscription: spec.subscription } } : null,
      payments: { object: 'list', data: payments },
    } as unknown as Stripe.Invoice;
    ingestInvoice(this.db, this.accountId, inv, this.nextTs());
  }
}

export const DAY = 86_400;
