import type Stripe from 'stripe';
import type { CatalogPrice, Interval, PlanTier } from './catalog';
import type { DeclineSpec } from './declines';
import type { DemoCurrency } from './locales';

// A customer is generated in two steps: first a plan of what happened (subscriptions, billing
// slots, payment attempts, cards) in plain records, then the Stripe objects built from it. The plan
// is needed because later events change earlier facts: a card that declines as expired must have
// expired before that day, and a successful payment after that needs a card the customer added.

export type SubscriptionStatus = Stripe.Subscription.Status;

export const ALL_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'paused'];

export type CollectionMethod = 'charge_automatically' | 'send_invoice';

export interface ItemPlan {
  id: string;
  price: CatalogPrice;
  quantity: number;
  created: number;
}

export interface SubscriptionPlan {
  id: string;
  status: SubscriptionStatus;
  currency: DemoCurrency;
  tier: PlanTier;
  interval: Interval;
  collection: CollectionMethod;
  daysUntilDue: number | null;
  created: number;
  billingAnchor: number;
  /** Items as they are now (after any upgrade). */
  items: ItemPlan[];
  currentPeriodStart: number;
  currentPeriodEnd: number;
  trialStart: number | null;
  trialEnd: number | null;
  missingPaymentMethodBehavior: 'create_invoice' | 'pause' | 'cancel';
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  canceledAt: number | null;
  endedAt: number | null;
  cancellation: { reason: 'cancellation_requested' | 'payment_failed' | null; feedback: Stripe.Subscription.CancellationDetails.Feedback | null; comment: string | null } | null;
  pauseCollection: { behavior: 'keep_as_draft' | 'mark_uncollectible' | 'void'; resumesAt: number | null } | null;
  /** A card pinned on the subscription instead of the customer's default (some customers do). */
  pinsDefaultCard: boolean;
  latestInvoiceId: string | null;
  metadata: Record<string, string>;
}

/** What happens to one invoice; decided by the subscription's status and story, not by chance later. */
export type InvoiceFate =
  | 'paid'
  | 'trial_zero'
  | 'fail_retrying'
  | 'fail_exhausted_open'
  | 'fail_uncollectible'
  | 'fail_void'
  | 'fail_incomplete'
  | 'fail_incomplete_expired'
  | 'draft_pending'
  | 'draft_held'
  | 'send_open'
  | 'send_paid'
  | 'pause_void'
  | 'pause_uncollectible'
  | 'pause_draft'
  | 'manual_void';

export interface LinePlan {
  price: CatalogPrice | null;
  description: string;
  quantity: number;
  amount: number;
  periodStart: number;
  periodEnd: number;
  subscriptionItemId: string | null;
}

/** One billing moment of a subscription (or a one-off invoice), before payments are simulated. */
export interface BillingSlot {
  at: number;
  subscription: SubscriptionPlan | null;
  billingReason: 'subscription_create' | 'subscription_cycle' | 'subscription_update' | 'manual';
  collection: CollectionMethod;
  daysUntilDue: number | null;
  fate: InvoiceFate;
  lines: LinePlan[];
  /** Invoice period_start/period_end (Stripe: the window in which its items were added). */
  periodStart: number;
  periodEnd: number;
  description: string | null;
}

export interface CardPlan {
  id: string;
  created: number;
  brand: string;
  last4: string;
  funding: 'credit' | 'debit' | 'prepaid';
  country: string;
  wallet: 'apple_pay' | 'google_pay' | 'link' | null;
  fingerprint: string;
  expMonth: number;
  expYear: number;
  /** Month index of the latest attempt made with the card (its expiry cannot move before it). */
  lastUseMonth: number;
  /** Why it was added, for the timeline. */
  reason: 'signup' | 'update' | 'replacement';
}

export interface AttemptPlan {
  at: number;
  card: CardPlan;
  decline: DeclineSpec | null;
  /** Attempts on one PaymentIntent share a group; a new group is a new PaymentIntent. */
  group: number;
}

export interface InvoicePlan {
  id: string;
  slot: BillingSlot;
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  number: string | null;
  total: number;
  finalizedAt: number | null;
  paidAt: number | null;
  voidedAt: number | null;
  markedUncollectibleAt: number | null;
  dueDate: number | null;
  autoAdvance: boolean;
  automaticallyFinalizesAt: number | null;
  attempts: AttemptPlan[];
  /** Smart Retries' next try, null when none is scheduled. */
  nextPaymentAttempt: number | null;
  /** Paid by bank transfer outside Stripe (no payment on the invoice). */
  paidOutOfBand: boolean;
}

export interface TimelineEventPlan {
  type: string;
  objectId: string | null;
  summary: string;
  created: number;
}
