import { PORTAL_FLOW_LABELS, SUBSCRIPTION_FLOWS, type PortalFlow } from '../contract/portal';

// Which subscription states each deep link can act on. Stripe refuses a flow on a subscription in
// the wrong state with a terse error after a round trip; checking first lets the agent read why
// and pick another flow before anything is sent.

export function needsSubscription(flow: PortalFlow): boolean {
  return SUBSCRIPTION_FLOWS.includes(flow);
}

/** Statuses that can never be changed in the portal: the subscription is over or never started. */
const ENDED = new Set(['canceled', 'incomplete_expired']);

const ALLOWED: Partial<Record<PortalFlow, ReadonlySet<string>>> = {
  subscription_cancel: new Set(['active', 'trialing', 'past_due', 'unpaid', 'paused']),
  subscription_update: new Set(['active', 'trialing', 'past_due']),
  subscription_update_confirm: new Set(['active', 'trialing', 'past_due']),
  subscription_pause: new Set(['active', 'trialing']),
};

export interface SubscriptionFacts {
  id: string;
  status: string;
  cancelAtPeriodEnd: boolean;
}

/** Null when the flow fits the subscription; otherwise the reason in words. */
export function flowRefusal(flow: PortalFlow, sub: SubscriptionFacts): string | null {
  const allowed = ALLOWED[flow];
  if (!allowed) return null;
  const label = PORTAL_FLOW_LABELS[flow].toLowerCase();
  if (ENDED.has(sub.status)) {
    const what = sub.status === 'canceled' ? 'is canceled' : 'expired before its first payment';
    return `Subscription ${sub.id} ${what}, so the portal cannot ${label} on it. Send the portal home page instead, where the customer can see their billing history.`;
  }
  if (sub.status === 'incomplete') {
    return `Subscription ${sub.id} is incomplete (its first payment has not succeeded), so the portal cannot ${label} on it. Send "Update payment method" so the customer can pay.`;
  }
  if (flow === 'subscription_cancel' && sub.cancelAtPeriodEnd) {
    return `Subscription ${sub.id} is already set to cancel at the end of its period. Send "Change plan" or the portal home page if the customer wants to keep it.`;
  }
  if (!allowed.has(sub.status)) {
    return `Subscription ${sub.id} is ${sub.status.replace(/_/g, ' ')}; the portal can ${label} only on a subscription that is ${[...allowed].map((s) => s.replace(/_/g, ' ')).join(', ')}.`;
  }
  return null;
}

/** The subscriptions a flow could act on, for picking one when the agent did not. */
export function eligibleSubscriptions<T extends SubscriptionFacts>(flow: PortalFlow, subs: readonly T[]): T[] {
  return subs.filter((s) => flowRefusal(flow, s) === null);
}
