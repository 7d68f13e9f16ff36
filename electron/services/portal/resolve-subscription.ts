import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import { PORTAL_FLOW_LABELS, type PortalFlow } from '../../../shared/contract/portal';
import type { ServiceContext } from '../core/context';
import { toPortalAppError } from './portal-errors';
import { eligibleSubscriptions, flowRefusal, needsSubscription, type SubscriptionFacts } from '../../../shared/domain/portal-flow-rules';

export interface KnownSubscription extends SubscriptionFacts {
  customerId: string;
  itemIds: string[];
}

interface SubRow {
  id: string;
  customer_id: string;
  status: string;
  cancel_at_period_end: number;
}

// The cache answers first (offline-first, and ownership never changes); a subscription the cache
// has not seen yet is fetched from Stripe so a fresh one is not refused for being unknown.

function cachedSubscription(ctx: ServiceContext, accountId: string, id: string): KnownSubscription | null {
  const row = ctx.db.prepare('SELECT id, customer_id, status, cancel_at_period_end FROM subscriptions WHERE account_id = ? AND id = ?').get(accountId, id) as SubRow | undefined;
  return row ? fromRow(ctx, accountId, row) : null;
}

function cachedSubscriptionsOf(ctx: ServiceContext, accountId: string, customerId: string): KnownSubscription[] {
  const rows = ctx.db
    .prepare('SELECT id, customer_id, status, cancel_at_period_end FROM subscriptions WHERE account_id = ? AND customer_id = ? ORDER BY created DESC')
    .all(accountId, customerId) as SubRow[];
  return rows.map((r) => fromRow(ctx, accountId, r));
}

function fromRow(ctx: ServiceContext, accountId: string, r: SubRow): KnownSubscription {
  const items = ctx.db.prepare('SELECT id FROM subscription_items WHERE account_id = ? AND subscription_id = ?').all(accountId, r.id) as { id: string }[];
  return { id: r.id, customerId: r.customer_id, status: r.status, cancelAtPeriodEnd: r.cancel_at_period_end === 1, itemIds: items.map((i) => i.id) };
}

function fromStripe(s: Stripe.Subscription): KnownSubscription {
  return {
    id: s.id,
    customerId: typeof s.customer === 'string' ? s.customer : s.customer.id,
    status: s.status,
    cancelAtPeriodEnd: s.cancel_at_period_end,
    itemIds: (s.items?.data ?? []).map((i) => i.id),
  };
}

async function lookup(ctx: ServiceContext, accountId: string, id: string, demo: boolean): Promise<KnownSubscription | null> {
  const cached = cachedSubscription(ctx, accountId, id);
  if (cached || demo) return cached;
  try {
    return fromStripe(await ctx.workspace.stripe(accountId).subscriptions.retrieve(id));
  } catch (err) {
    const mapped = toPortalAppError(err, `looking up subscription ${id}`);
    if (mapped.code === 'not_found') return null;
    throw mapped;
  }
}

async function subscriptionsOf(ctx: ServiceContext, accountId: string, customerId: string, demo: boolean): Promise<KnownSubscription[]> {
  const cached = cachedSubscriptionsOf(ctx, accountId, customerId);
  if (cached.length || demo) return cached;
  try {
    const page = await ctx.workspace.stripe(accountId).subscriptions.list({ customer: customerId, status: 'all', limit: 20 });
    return page.data.map(fromStripe);
  } catch (err) {
    throw toPortalAppError(err, `listing the subscriptions of ${customerId}`);
  }
}

/**
 * The subscription a link acts on, checked: it exists, belongs to the customer and its status
 * fits the flow. For a subscription flow without an explicit subscription, the customer's only
 * fitting subscription is chosen; several fitting ones are a question back to the agent.
 * Flows that do not act on a subscription keep a given one only as context for the history.
 */
export async function resolveSubscription(
  ctx: ServiceContext,
  args: { accountId: string; customerId: string; flow: PortalFlow; subscriptionId?: string; items?: Array<{ id: string }>; demo: boolean },
): Promise<KnownSubscription | null> {
  const { accountId, customerId, flow, demo } = args;
  const label = PORTAL_FLOW_LABELS[flow];
  if (args.subscriptionId) {
    const sub = await lookup(ctx, accountId, args.subscriptionId, demo);
    if (!sub) throw new AppError('not_found', `Customer ${customerId} has no subscription ${args.subscriptionId}. Pick one of the customer's subscriptions.`);
    if (sub.customerId !== customerId) {
      throw new AppError('conflict', `Subscription ${sub.id} belongs to another customer (${sub.customerId}), not ${customerId}. A portal link can only act on the customer's own subscriptions.`);
    }
    if (needsSubscription(flow)) {
      const refusal = flowRefusal(flow, sub);
      if (refusal) throw new AppError('conflict', refusal, { subscription: sub.id, status: sub.status });
      checkItems(flow, sub, args.items);
    }
    return sub;
  }
  if (!needsSubscription(flow)) return null;

  const subs = await subscriptionsOf(ctx, accountId, customerId, demo);
  if (subs.length === 0) {
    throw new AppError('conflict', `Customer ${customerId} has no subscription, so "${label}" has nothing to act on. Send "Update payment method" or the portal home page instead.`);
  }
  const fitting = eligibleSubscriptions(flow, subs);
  if (fitting.length === 1) {
    checkItems(flow, fitting[0]!, args.items);
    return fitting[0]!;
  }
  if (fitting.length === 0) {
    const refusal = flowRefusal(flow, subs[0]!)!;
    throw new AppError('conflict', subs.length === 1 ? refusal : `None of the ${subs.length} subscriptions of ${customerId} fits "${label}". ${refusal}`);
  }
  throw new AppError('bad_input', `Customer ${customerId} has ${fitting.length} subscriptions that fit "${label}": ${fitting.map((s) => `${s.id} (${s.status})`).join(', ')}. Choose one.`);
}

function checkItems(flow: PortalFlow, sub: KnownSubscription, items: Array<{ id: string }> | undefined): void {
  if (flow !== 'subscription_update_confirm') return;
  if (!items?.length) {
    throw new AppError('bad_input', `"${PORTAL_FLOW_LABELS[flow]}" needs the change to confirm: the subscription item and its new price or quantity.`);
  }
  const foreign = items.filter((i) => !sub.itemIds.includes(i.id));
  if (foreign.length && sub.itemIds.length) {
    throw new AppError('bad_input', `Item ${foreign.map((i) => i.id).join(', ')} is not on subscription ${sub.id} (its items: ${sub.itemIds.join(', ')}).`);
  }
}
