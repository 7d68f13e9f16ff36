import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { ensureAccount, ingestCustomer, ingestInvoice, ingestPaymentMethod, ingestSubscription, markCustomerDeleted } from '../../electron/services/stripe/ingest';

// Stripe-shaped objects (API version of the installed SDK: invoice.payments, items with periods)
// written through the real ingest path, so search and the 360 view are tested on what sync writes.

export const T0 = 1_760_000_000; // a fixed "now" in unix seconds for created/period fields

export interface FixtureCustomer {
  id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  created?: number;
  delinquent?: boolean;
  livemode?: boolean;
  defaultPaymentMethod?: string | null;
  currency?: string | null;
  balance?: number;
}

export function customer(c: FixtureCustomer): Stripe.Customer {
  return {
    id: c.id,
    object: 'customer',
    name: c.name ?? null,
    email: c.email ?? null,
    phone: c.phone ?? null,
    description: c.description ?? null,
    metadata: c.metadata ?? {},
    created: c.created ?? T0,
    delinquent: c.delinquent ?? false,
    livemode: c.livemode ?? false,
    balance: c.balance ?? 0,
    currency: c.currency ?? 'usd',
    address: null,
    invoice_settings: { default_payment_method: c.defaultPaymentMethod ?? null, custom_fields: null, footer: null, rendering_options: null },
  } as unknown as Stripe.Customer;
}

export interface FixtureItem {
  id: string;
  priceId?: string;
  productName?: string;
  nickname?: string | null;
  unitAmount: number;
  currency?: string;
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  quantity?: number;
  periodStart?: number;
  periodEnd?: number;
}

export function subscription(s: {
  id: string;
  customer: string;
  status?: Stripe.Subscription.Status;
  currency?: string;
  items: FixtureItem[];
  cancelAtPeriodEnd?: boolean;
  trialEnd?: number | null;
  created?: number;
}): Stripe.Subscription {
  return {
    id: s.id,
    object: 'subscription',
    customer: s.customer,
    status: s.status ?? 'active',
    currency: s.currency ?? 'usd',
    collection_method: 'charge_automatically',
    cancel_at_period_end: s.cancelAtPeriodEnd ?? false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    trial_start: s.trialEnd ? T0 - 86400 * 7 : null,
    trial_end: s.trialEnd ?? null,
    pause_collection: null,
    default_payment_method: null,
    latest_invoice: null,
    metadata: {},
    created: s.created ?? T0 - 86400 * 90,
    items: {
      object: 'list',
      data: s.items.map((i) => ({
        id: i.id,
        object: 'subscription_item',
        quantity: i.quantity ?? 1,
        current_period_start: i.periodStart ?? T0 - 86400 * 10,
        current_period_end: i.periodEnd ?? T0 + 86400 * 20,
        price: {
          id: i.priceId ?? `price_${i.id}`,
          object: 'price',
          nickname: i.nickname ?? null,
          unit_amount: i.unitAmount,
          currency: i.currency ?? s.currency ?? 'usd',
          recurring: { interval: i.interval, interval_count: i.intervalCount ?? 1 },
          product: { id: `prod_${i.id}`, object: 'product', name: i.productName ?? 'Plan' },
        },
      })),
    },
  } as unknown as Stripe.Subscription;
}

export interface FixtureAttempt {
  id: string;
  paymentIntent?: string;
  charge?: string;
  status: 'paid' | 'failed' | 'open';
  amount: number;
  declineCode?: string | null;
  code?: string | null;
  adviceCode?: string | null;
  message?: string | null;
  brand?: string;
  last4?: string;
  created?: number;
}

export function invoice(inv: {
  id: string;
  customer: string;
  number?: string | null;
  status?: Stripe.Invoice.Status;
  currency?: string;
  amountDue: number;
  amountPaid?: number;
  attemptCount?: number;
  subscription?: string | null;
  nextPaymentAttempt?: number | null;
  created?: number;
  attempts?: FixtureAttempt[];
}): Stripe.Invoice {
  const currency = inv.currency ?? 'usd';
  return {
    id: inv.id,
    object: 'invoice',
    customer: inv.customer,
    number: inv.number ?? null,
    status: inv.status ?? 'paid',
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    currency,
    amount_due: inv.amountDue,
    amount_paid: inv.amountPaid ?? (inv.status === 'paid' || !inv.status ? inv.amountDue : 0),
    amount_remaining: inv.status === 'paid' || !inv.status ? 0 : inv.amountDue - (inv.amountPaid ?? 0),
    total: inv.amountDue,
    attempt_count: inv.attemptCount ?? inv.attempts?.length ?? 0,
    attempted: (inv.attemptCount ?? inv.attempts?.length ?? 0) > 0,
    next_payment_attempt: inv.nextPaymentAttempt ?? null,
    due_date: null,
    period_start: (inv.created ?? T0) - 86400 * 30,
    period_end: inv.created ?? T0,
    status_transitions: { paid_at: inv.status === 'paid' || !inv.status ? (inv.created ?? T0) : null, voided_at: null, marked_uncollectible_at: null, finalized_at: inv.created ?? T0 },
    hosted_invoice_url: `https://invoice.stripe.com/i/${inv.id}`,
    description: null,
    metadata: {},
    created: inv.created ?? T0,
    parent: inv.subscription ? { type: 'subscription_details', subscription_details: { subscription: inv.subscription, metadata: {} } } : null,
    lines: { object: 'list', data: [{ description: '1 × Plan', amount: inv.amountDue, currency, quantity: 1, period: { start: (inv.created ?? T0) - 86400 * 30, end: inv.created ?? T0 } }] },
    payments: inv.attempts
      ? {
          object: 'list',
          data: inv.attempts.map((a) => ({
            id: a.id,
            object: 'invoice_payment',
            status: a.status === 'paid' ? 'paid' : 'open',
            amount_paid: a.status === 'paid' ? a.amount : null,
            amount_requested: a.amount,
            currency,
            created: a.created ?? inv.created ?? T0,
            payment: {
              type: 'payment_intent',
              payment_intent: {
                id: a.paymentIntent ?? `pi_${a.id}`,
                object: 'payment_intent',
                last_payment_error:
                  a.status === 'failed'
                    ? { type: 'card_error', code: a.code ?? 'card_declined', decline_code: a.declineCode ?? null, advice_code: a.adviceCode ?? null, message: a.message ?? 'Your card was declined.', payment_method: { id: 'pm_x', card: { brand: a.brand ?? 'visa', last4: a.last4 ?? '4242' } } }
                    : null,
                latest_charge: {
                  id: a.charge ?? `ch_${a.id}`,
                  object: 'charge',
                  status: a.status === 'failed' ? 'failed' : 'succeeded',
                  outcome: { type: a.status === 'failed' ? 'issuer_declined' : 'authorized', reason: a.declineCode ?? null, network_status: a.status === 'failed' ? 'declined_by_network' : 'approved_by_network', advice_code: a.adviceCode ?? null },
                  failure_code: a.status === 'failed' ? (a.code ?? 'card_declined') : null,
                  failure_message: null,
                  payment_method_details: { type: 'card', card: { brand: a.brand ?? 'visa', last4: a.last4 ?? '4242' } },
                },
              },
            },
          })),
        }
      : undefined,
  } as unknown as Stripe.Invoice;
}

export function paymentMethod(pm: { id: string; customer: string; brand?: string; last4: string; expMonth: number; expYear: number; created?: number }): Stripe.PaymentMethod {
  return {
    id: pm.id,
    object: 'payment_method',
    type: 'card',
    customer: pm.customer,
    created: pm.created ?? T0,
    card: { brand: pm.brand ?? 'visa', last4: pm.last4, exp_month: pm.expMonth, exp_year: pm.expYear, funding: 'credit', country: 'US', wallet: null },
  } as unknown as Stripe.PaymentMethod;
}

/** Writes objects through ingest (one transaction), as a sync page would. */
export function seed(db: Database.Database, accountId: string, objects: Array<Stripe.Customer | Stripe.Subscription | Stripe.Invoice | Stripe.PaymentMethod>, sourceTs = T0): void {
  ensureAccount(db, { id: accountId, name: accountId, livemode: false, isDemo: accountId === 'demo' });
  db.transaction(() => {
    for (const o of objects) {
      switch (o.object) {
        case 'customer':
          ingestCustomer(db, accountId, o as Stripe.Customer, sourceTs);
          break;
        case 'subscription':
          ingestSubscription(db, accountId, o as Stripe.Subscription, sourceTs);
          break;
        case 'invoice':
          ingestInvoice(db, accountId, o as Stripe.Invoice, sourceTs);
          break;
        case 'payment_method':
          ingestPaymentMethod(db, accountId, o as Stripe.PaymentMethod, sourceTs);
          break;
      }
    }
  })();
}

export function deleteCustomer(db: Database.Database, accountId: string, id: string, sourceTs = T0 + 1): void {
  markCustomerDeleted(db, accountId, id, sourceTs);
}
