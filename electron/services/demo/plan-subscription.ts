import type Stripe from 'stripe';
import { PLAN_TIER_WEIGHTS, SEAT_RANGE, type CatalogPrice, type DemoCatalog, type Interval, type PlanTier } from './catalog';
import type { IdFactory } from './ids';
import type { DemoCurrency } from './locales';
import { moneyText } from './money-text';
import type { BillingSlot, CollectionMethod, InvoiceFate, ItemPlan, LinePlan, SubscriptionPlan, SubscriptionStatus, TimelineEventPlan } from './plan-types';
import { Weighted, type Rng } from './rng';
import { addMonths, DAY, HOUR, MINUTE } from './time';

// One subscription's life up to the anchor: when it started, its billing periods, how it ended,
// and the fate of each period's invoice. The status decides the shape (a past_due subscription's
// latest invoice was finalized less than two weeks ago and is still being retried; an unpaid one
// ran out of retries and its later invoices stay drafts). Payments are simulated afterwards.

export interface PlanContext {
  rng: Rng;
  ids: IdFactory;
  catalog: DemoCatalog;
  currency: DemoCurrency;
  anchor: number;
  /** How far back this customer's history may reach (seconds before the anchor). */
  maxHistory: number;
}

export interface PlannedSubscription {
  plan: SubscriptionPlan;
  slots: BillingSlot[];
  events: TimelineEventPlan[];
}

const MONTH = 30.44 * DAY;
const FEEDBACK = new Weighted<Stripe.Subscription.CancellationDetails.Feedback | null>([
  ['too_expensive', 30], ['unused', 22], ['switched_service', 15], ['missing_features', 12], ['customer_service', 4], ['low_quality', 4], ['too_complex', 5], ['other', 3], [null, 20],
]);
const CANCEL_COMMENTS = ['We are consolidating tools.', 'Budget cuts this quarter.', 'Project finished.', 'Moving to an in-house solution.', 'Too many seats for our size.', 'Will come back next year.'];
const PREVIOUS_TIER: Record<PlanTier, PlanTier | null> = { starter: null, team: 'starter', business: 'team', enterprise: 'business' };

function between(rng: Rng, min: number, max: number): number {
  return rng.range(Math.floor(min), Math.floor(Math.max(min, max)));
}

/** Keeps a billing day on 1..28 so months can be stepped back and forward to the same instant. */
function safeBillingDay(sec: number): number {
  const day = new Date(sec * 1000).getUTCDate();
  return day > 28 ? sec - (day - 28) * DAY : sec;
}

function intervalMonths(interval: Interval): number {
  return interval === 'month' ? 1 : 12;
}

function quantityFor(rng: Rng, tier: PlanTier): number {
  const [min, max] = SEAT_RANGE[tier];
  if (min === max) return min;
  // Most teams are small; a few buy many seats.
  return Math.min(max, min + Math.floor((max - min) * rng.next() ** 2.2));
}

function itemsFor(ctx: PlanContext, tier: PlanTier, interval: Interval, created: number): ItemPlan[] {
  const { rng, ids, catalog, currency } = ctx;
  const items: ItemPlan[] = [{ id: ids.short('si'), price: catalog.price(tier, currency, interval), quantity: quantityFor(rng, tier), created }];
  if ((tier === 'business' || tier === 'enterprise') && rng.chance(0.25)) {
    items.push({ id: ids.short('si'), price: catalog.price('priority_support', currency, interval), quantity: 1, created });
  }
  if ((tier === 'team' || tier === 'business') && rng.chance(0.1)) {
    items.push({ id: ids.short('si'), price: catalog.price('extra_storage', currency, interval), quantity: rng.range(1, 10), created });
  }
  return items;
}

function lineFor(price: CatalogPrice, quantity: number, start: number, end: number, itemId: string, trial: boolean): LinePlan {
  return {
    price,
    description: trial ? `Trial period for ${price.product.name}` : `${quantity} × ${price.product.name} (at ${price.label})`,
    quantity,
    amount: trial ? 0 : price.unitAmount * quantity,
    periodStart: start,
    periodEnd: end,
    subscriptionItemId: itemId,
  };
}

/** Billing timeline shape, decided per status before any slot is built. */
interface Shape {
  /** Start of period 0 (the billing cycle anchor). */
  billingAnchor: number;
  /** Number of periods that produced an invoice (period k starts at anchor + k intervals). */
  periods: number;
  fateOf: (k: number) => InvoiceFate;
  trial: { start: number; end: number } | null;
  endedAt: number | null;
  canceledAt: number | null;
  cancellationReason: 'cancellation_requested' | 'payment_failed' | null;
}

function pickTier(rng: Rng, interval: Interval | null): { tier: PlanTier; interval: Interval } {
  const tier = PLAN_TIER_WEIGHTS.pick(rng);
  return { tier, interval: interval ?? (rng.chance(tier === 'enterprise' ? 0.55 : 0.22) ? 'year' : 'month') };
}

/** Prior periods that fit in the customer's history before `lastStart`. */
function priorPeriods(ctx: PlanContext, lastStart: number, months: number, fillHistory: boolean): number {
  const room = ctx.maxHistory - (ctx.anchor - lastStart);
  const max = Math.max(0, Math.floor(room / (months * MONTH)));
  return fillHistory ? max : ctx.rng.range(0, max);
}

export function planSubscription(ctx: PlanContext, status: SubscriptionStatus, opts: { collection: CollectionMethod; firstOfCustomer: boolean }): PlannedSubscription {
  const { rng, anchor } = ctx;
  const { tier, interval } = pickTier(rng, null);
  const m = intervalMonths(interval);
  const periodLength = m * MONTH;
  const collection: CollectionMethod = status === 'trialing' || status === 'paused' || status === 'incomplete' || status === 'incomplete_expired' ? 'charge_automatically' : opts.collection;
  const sendInvoice = collection === 'send_invoice';
  const daysUntilDue = sendInvoice ? (interval === 'month' ? 14 : 30) : null;
  const paidFate: InvoiceFate = sendInvoice ? 'send_paid' : 'paid';
  const fill = opts.firstOfCustomer;

  let shape: Shape;
  switch (status) {
    case 'active': {
      const justRenewed = !sendInvoice && rng.chance(0.02);
      const lastStart = safeBillingDay(justRenewed ? anchor - between(rng, 5 * MINUTE, 55 * MINUTE) : anchor - between(rng, HOUR, periodLength - 2 * DAY));
      const k = priorPeriods(ctx, lastStart, m, fill);
      const withTrial = k >= 1 && rng.chance(0.15);
      const billingAnchor = addMonths(lastStart, -k * m);
      shape = {
        billingAnchor,
        periods: k + 1,
        fateOf: (i) => {
          if (i < k) return paidFate;
          if (justRenewed) return 'draft_pending';
          if (sendInvoice) return anchor - lastStart < daysUntilDue! * DAY && rng.chance(0.5) ? 'send_open' : 'send_paid';
          return 'paid';
        },
        trial: withTrial ? { start: billingAnchor - 14 * DAY, end: billingAnchor } : null,
        endedAt: null,
        canceledAt: null,
        cancellationReason: null,
      };
      break;
    }
    case 'past_due': {
      // Charged automatically: still inside the two-week retry window. Sent invoices: overdue.
      const lastStart = safeBillingDay(
        sendInvoice ? anchor - (daysUntilDue! + between(rng, 1, Math.min(13, interval === 'month' ? 13 : 60))) * DAY : anchor - between(rng, 2 * HOUR, 12.5 * DAY),
      );
      const k = priorPeriods(ctx, lastStart, m, fill);
      shape = { billingAnchor: addMonths(lastStart, -k * m), periods: k + 1, fateOf: (i) => (i < k ? paidFate : sendInvoice ? 'send_open' : 'fail_retrying'), trial: null, endedAt: null, canceledAt: null, cancellationReason: null };
      break;
    }
    case 'unpaid': {
      const failStart = safeBillingDay(anchor - between(rng, 16 * DAY, interval === 'month' ? 75 * DAY : 120 * DAY));
      const k = priorPeriods(ctx, failStart, m, fill);
      const billingAnchor = addMonths(failStart, -k * m);
      let periods = k + 1;
      while (addMonths(billingAnchor, periods * m) <= anchor) periods++;
      shape = { billingAnchor, periods, fateOf: (i) => (i < k ? 'paid' : i === k ? 'fail_exhausted_open' : 'draft_held'), trial: null, endedAt: null, canceledAt: null, cancellationReason: null };
      break;
    }
    case 'canceled': {
      if (!sendInvoice && rng.chance(0.35)) {
        const failStart = safeBillingDay(anchor - between(rng, 16 * DAY, 300 * DAY));
        const k = priorPeriods(ctx, failStart, m, fill);
        const endedAt = failStart + 15 * DAY + between(rng, 0, 12 * HOUR);
        const fate: InvoiceFate = rng.chance(0.6) ? 'fail_uncollectible' : 'fail_void';
        shape = { billingAnchor: addMonths(failStart, -k * m), periods: k + 1, fateOf: (i) => (i < k ? 'paid' : fate), trial: null, endedAt, canceledAt: endedAt, cancellationReason: 'payment_failed' };
      } else {
        const lastStart = safeBillingDay(anchor - between(rng, periodLength + DAY, Math.max(periodLength + 2 * DAY, 420 * DAY)));
        const k = priorPeriods(ctx, lastStart, m, fill);
        const billingAnchor = addMonths(lastStart, -k * m);
        const periodEnd = addMonths(lastStart, m);
        const atPeriodEnd = rng.chance(0.7);
        const endedAt = atPeriodEnd ? periodEnd : between(rng, lastStart + DAY, periodEnd - DAY);
        const canceledAt = atPeriodEnd ? Math.max(lastStart + HOUR, endedAt - between(rng, DAY, 20 * DAY)) : endedAt;
        shape = { billingAnchor, periods: k + 1, fateOf: () => paidFate, trial: null, endedAt, canceledAt, cancellationReason: 'cancellation_requested' };
      }
      break;
    }
    case 'trialing': {
      const start = anchor - between(rng, HOUR, 13 * DAY);
      shape = { billingAnchor: start + 14 * DAY, periods: 0, fateOf: () => 'paid', trial: { start, end: start + 14 * DAY }, endedAt: null, canceledAt: null, cancellationReason: null };
      break;
    }
    case 'paused': {
      const start = anchor - between(rng, 15 * DAY, 80 * DAY);
      shape = { billingAnchor: start + 14 * DAY, periods: 0, fateOf: () => 'paid', trial: { start, end: start + 14 * DAY }, endedAt: null, canceledAt: null, cancellationReason: null };
      break;
    }
    case 'incomplete': {
      const start = anchor - between(rng, 20 * MINUTE, 22 * HOUR);
      shape = { billingAnchor: start, periods: 1, fateOf: () => 'fail_incomplete', trial: null, endedAt: null, canceledAt: null, cancellationReason: null };
      break;
    }
    case 'incomplete_expired': {
      const start = anchor - between(rng, 2 * DAY, Math.min(240 * DAY, Math.max(2 * DAY, ctx.maxHistory)));
      shape = { billingAnchor: start, periods: 1, fateOf: () => 'fail_incomplete_expired', trial: null, endedAt: start + 23 * HOUR, canceledAt: null, cancellationReason: null };
      break;
    }
    default:
      throw new Error(`unknown subscription status ${String(status)}`);
  }

  return buildPlan(ctx, status, { tier, interval, collection, daysUntilDue }, shape);
}

function buildPlan(
  ctx: PlanContext,
  status: SubscriptionStatus,
  terms: { tier: PlanTier; interval: Interval; collection: CollectionMethod; daysUntilDue: number | null },
  planned: Shape,
): PlannedSubscription {
  let shape = planned;
  const { rng, ids, anchor } = ctx;
  const m = intervalMonths(terms.interval);
  const periodStart = (k: number) => addMonths(shape.billingAnchor, k * m);
  // A running subscription has an invoice for every period begun by the anchor; one that began in
  // the last moments (a billing day snapped back to the 28th) gets its still-draft renewal.
  if (status === 'active' || status === 'past_due') {
    const planned = shape.periods;
    const fateOf = shape.fateOf;
    while (periodStart(shape.periods) <= anchor) shape.periods++;
    if (shape.periods > planned) shape = { ...shape, fateOf: (k) => (k >= planned ? 'draft_pending' : fateOf(k)) };
  }
  const created = shape.trial ? shape.trial.start : shape.billingAnchor;
  const items = itemsFor(ctx, terms.tier, terms.interval, created);

  // An upgrade some periods ago: earlier invoices bill the previous tier on the same item.
  const previousTier = PREVIOUS_TIER[terms.tier];
  const upgradeAt = previousTier && shape.periods >= 3 && rng.chance(0.1) ? rng.range(1, shape.periods - 1) : null;
  const previousPrice = previousTier ? ctx.catalog.price(previousTier, ctx.currency, terms.interval) : null;
  const previousQuantity = previousTier ? quantityFor(rng, previousTier) : 1;

  // Current period: the one holding the anchor, or the last one for ended subscriptions.
  let current = Math.max(0, shape.periods - 1);
  let currentStart = shape.periods > 0 ? periodStart(current) : shape.billingAnchor;
  let currentEnd = shape.periods > 0 ? periodStart(current + 1) : shape.billingAnchor;
  if (shape.trial && shape.periods === 0) {
    currentStart = shape.trial.start;
    currentEnd = shape.trial.end;
  }
  if (status === 'unpaid' || status === 'active' || status === 'past_due') {
    while (periodStart(current + 1) <= anchor) current++;
    currentStart = periodStart(current);
    currentEnd = periodStart(current + 1);
  }

  const plan: SubscriptionPlan = {
    id: ids.long('sub'),
    status,
    currency: ctx.currency,
    tier: terms.tier,
    interval: terms.interval,
    collection: terms.collection,
    daysUntilDue: terms.daysUntilDue,
    created,
    billingAnchor: shape.billingAnchor,
    items,
    currentPeriodStart: currentStart,
    currentPeriodEnd: currentEnd,
    trialStart: shape.trial?.start ?? null,
    trialEnd: shape.trial?.end ?? null,
    missingPaymentMethodBehavior: status === 'paused' ? 'pause' : 'create_invoice',
    cancelAtPeriodEnd: false,
    cancelAt: null,
    canceledAt: shape.canceledAt,
    endedAt: shape.endedAt,
    cancellation: shape.cancellationReason
      ? { reason: shape.cancellationReason, feedback: shape.cancellationReason === 'cancellation_requested' ? FEEDBACK.pick(rng) : null, comment: shape.cancellationReason === 'cancellation_requested' && rng.chance(0.3) ? rng.pick(CANCEL_COMMENTS) : null }
      : null,
    pauseCollection: null,
    pinsDefaultCard: rng.chance(0.08),
    latestInvoiceId: null,
    metadata: rng.chance(0.4) ? { workspace_id: `ws_${rng.digits(6)}` } : {},
  };
  if (status === 'canceled' && shape.cancellationReason === 'cancellation_requested' && plan.canceledAt !== plan.endedAt) plan.cancelAt = plan.endedAt;

  const events: TimelineEventPlan[] = [];
  const mainPrice = items[0].price;
  const seats = items[0].quantity > 1 ? ` × ${items[0].quantity}` : '';
  events.push({
    type: 'customer.subscription.created',
    objectId: plan.id,
    summary: shape.trial
      ? `Started a 14-day trial of ${mainPrice.product.name}${seats} (${terms.interval}ly, ${ctx.currency.toUpperCase()})`
      : `Subscribed to ${mainPrice.product.name}${seats} at ${moneyText(mainPrice.unitAmount * items[0].quantity, ctx.currency)} / ${terms.interval}`,
    created,
  });

  // Pauses, scheduled cancellations: only on subscriptions that are running now.
  if ((status === 'active' || status === 'trialing') && rng.chance(status === 'trialing' ? 0.1 : 0.08)) {
    plan.cancelAtPeriodEnd = true;
    plan.cancelAt = plan.currentPeriodEnd;
    plan.canceledAt = anchor - between(rng, 0, Math.min(anchor - plan.currentPeriodStart, 20 * DAY));
    plan.cancellation = { reason: 'cancellation_requested', feedback: FEEDBACK.pick(rng), comment: rng.chance(0.3) ? rng.pick(CANCEL_COMMENTS) : null };
    events.push({ type: 'customer.subscription.updated', objectId: plan.id, summary: `Cancellation requested: ${mainPrice.product.name} ends at the end of the current period${plan.cancellation.feedback ? ` (feedback: ${plan.cancellation.feedback.replace(/_/g, ' ')})` : ''}`, created: plan.canceledAt });
  }
  let pausedFrom: number | null = null;
  if (status === 'active' && terms.interval === 'month' && terms.collection === 'charge_automatically' && !plan.cancelAtPeriodEnd && shape.periods >= 4 && rng.chance(0.04)) {
    const behavior = rng.pick(['keep_as_draft', 'mark_uncollectible', 'void'] as const);
    pausedFrom = shape.periods - 1 - rng.range(0, 1);
    plan.pauseCollection = { behavior, resumesAt: rng.chance(0.5) ? null : addMonths(plan.currentPeriodEnd, rng.range(0, 1)) };
    const label = behavior === 'keep_as_draft' ? 'invoices kept as drafts' : behavior === 'void' ? 'invoices voided' : 'invoices marked uncollectible';
    events.push({ type: 'customer.subscription.updated', objectId: plan.id, summary: `Payment collection paused (${label})`, created: periodStart(pausedFrom) - between(rng, HOUR, 5 * DAY) });
  }
  if (status === 'paused') {
    events.push({ type: 'customer.subscription.paused', objectId: plan.id, summary: 'Trial ended without a payment method: subscription paused', created: shape.trial!.end });
  }
  if (shape.trial && status !== 'trialing' && status !== 'paused') {
    events.push({ type: 'customer.subscription.updated', objectId: plan.id, summary: `Trial ended: ${mainPrice.product.name} is now billed`, created: shape.trial.end });
  }
  if (plan.endedAt != null) {
    const why = status === 'incomplete_expired' ? 'first payment never completed: subscription expired' : shape.cancellationReason === 'payment_failed' ? 'canceled after payment failed' : 'canceled at the customer\'s request';
    events.push({ type: 'customer.subscription.deleted', objectId: plan.id, summary: `${mainPrice.product.name} ${why}`, created: plan.endedAt });
  }

  // Slots: the trial's zero invoice, then one per billing period.
  const slots: BillingSlot[] = [];
  if (shape.trial) {
    slots.push({
      at: shape.trial.start,
      subscription: plan,
      billingReason: 'subscription_create',
      collection: 'charge_automatically',
      daysUntilDue: null,
      fate: 'trial_zero',
      lines: items.map((it) => lineFor(it.price, it.quantity, shape.trial!.start, shape.trial!.end, it.id, true)),
      periodStart: shape.trial.start,
      periodEnd: shape.trial.start,
      description: null,
    });
  }
  for (let k = 0; k < shape.periods; k++) {
    const start = periodStart(k);
    const end = periodStart(k + 1);
    const beforeUpgrade = upgradeAt != null && k < upgradeAt;
    const lines = beforeUpgrade
      ? [lineFor(previousPrice!, previousQuantity, start, end, items[0].id, false)]
      : items.map((it) => lineFor(it.price, it.quantity, start, end, it.id, false));
    let fate = shape.fateOf(k);
    if (pausedFrom != null && k >= pausedFrom) fate = plan.pauseCollection!.behavior === 'void' ? 'pause_void' : plan.pauseCollection!.behavior === 'keep_as_draft' ? 'pause_draft' : 'pause_uncollectible';
    const first = k === 0 && !shape.trial;
    slots.push({
      at: start,
      subscription: plan,
      billingReason: first ? 'subscription_create' : upgradeAt === k ? 'subscription_update' : 'subscription_cycle',
      collection: terms.collection,
      daysUntilDue: terms.daysUntilDue,
      fate,
      lines,
      periodStart: k === 0 ? start : periodStart(k - 1),
      periodEnd: start,
      description: null,
    });
    if (upgradeAt === k) {
      events.push({ type: 'customer.subscription.updated', objectId: plan.id, summary: `Plan changed from ${previousPrice!.product.name} to ${mainPrice.product.name}`, created: start - between(rng, MINUTE, 2 * HOUR) });
    }
  }
  return { plan, slots, events };
}
