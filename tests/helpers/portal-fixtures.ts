import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { ingestCustomer, ingestSubscription } from '../../electron/services/stripe/ingest';

// Minimal Stripe-shaped customers and subscriptions for the portal tests, written through the
// same ingest path as sync so the cache holds exactly what sync would hold.

export function seedCustomer(db: Database.Database, accountId: string, id: string, name = 'Ada Lovelace', email = 'ada@example.com'): void {
  const c = { id, object: 'customer', name, email, created: 1_700_000_000, livemode: false, metadata: {}, balance: 0, delinquent: false, invoice_settings: { default_payment_method: null } };
  ingestCustomer(db, accountId, c as unknown as Stripe.Customer, 1_700_000_000);
}

export function subscriptionObject(id: string, customer: string, status: string, opts: { itemId?: string; cancelAtPeriodEnd?: boolean; created?: number } = {}) {
  return {
    id,
    object: 'subscription',
    customer,
    status,
    currency: 'usd',
    collection_method: 'charge_automatically',
    cancel_at_period_end: opts.cancelAtPeriodEnd ?? false,
    cancel_at: null,
    canceled_at: status === 'canceled' ? 1_700_100_000 : null,
    ended_at: null,
    trial_start: null,
    trial_end: null,
    pause_collection: null,
    default_payment_method: null,
    latest_invoice: null,
    metadata: {},
    created: opts.created ?? 1_700_000_000,
    items: {
      object: 'list',
      data: [
        {
          id: opts.itemId ?? `si_${id.slice(4)}`,
          object: 'subscription_item',
          quantity: 1,
          current_period_start: 1_700_000_000,
          current_period_end: 1_702_592_000,
          price: { id: 'price_basic', object: 'price', currency: 'usd', unit_amount: 1500, nickname: 'Basic', product: 'prod_basic', recurring: { interval: 'month', interval_count: 1 } },
        },
      ],
    },
  };
}

export function seedSubscription(db: Database.Database, accountId: string, id: string, customer: string, status: string, opts: { itemId?: string; cancelAtPeriodEnd?: boolean; created?: number } = {}): void {
  ingestSubscription(db, accountId, subscriptionObject(id, customer, status, opts) as unknown as Stripe.Subscription, 1_700_000_000);
}
