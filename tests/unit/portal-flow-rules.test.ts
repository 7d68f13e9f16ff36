import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eligibleSubscriptions, flowRefusal, needsSubscription } from '../../shared/domain/portal-flow-rules';
import { PORTAL_FLOWS, SUBSCRIPTION_FLOWS } from '../../shared/contract/portal';

const STATUSES = ['active', 'trialing', 'past_due', 'unpaid', 'paused', 'incomplete', 'incomplete_expired', 'canceled'];
const sub = (status: string, cancelAtPeriodEnd = false) => ({ id: 'sub_T', status, cancelAtPeriodEnd });

describe('which subscriptions a portal flow can act on', () => {
  it('only the four subscription flows need a subscription', () => {
    expect(PORTAL_FLOWS.filter(needsSubscription)).toEqual(['subscription_cancel', 'subscription_update', 'subscription_update_confirm', 'subscription_pause']);
  });

  it('a canceled subscription is refused for every subscription flow, in words that name it and suggest the home page', () => {
    for (const flow of SUBSCRIPTION_FLOWS) {
      const why = flowRefusal(flow, sub('canceled'));
      expect(why).toContain('sub_T is canceled');
      expect(why).toContain('portal home page');
    }
  });

  it('an incomplete subscription points the agent to the payment method flow', () => {
    expect(flowRefusal('subscription_update', sub('incomplete'))).toMatch(/first payment has not succeeded.*Update payment method/);
  });

  it('a subscription already cancelling at period end is not sent another cancel link', () => {
    expect(flowRefusal('subscription_cancel', sub('active', true))).toMatch(/already set to cancel/);
    expect(flowRefusal('subscription_update', sub('active', true))).toBeNull();
  });

  it('a past_due subscription can be cancelled or changed but not paused', () => {
    expect(flowRefusal('subscription_cancel', sub('past_due'))).toBeNull();
    expect(flowRefusal('subscription_update', sub('past_due'))).toBeNull();
    expect(flowRefusal('subscription_pause', sub('past_due'))).toMatch(/past due; the portal can pause subscription only on a subscription that is active, trialing/);
  });

  it('flows that do not act on a subscription never refuse one', () => {
    fc.assert(
      fc.property(fc.constantFrom('home', 'payment_method_update', 'customer_update' as const), fc.constantFrom(...STATUSES), fc.boolean(), (flow, status, cape) => {
        expect(flowRefusal(flow as never, sub(status, cape))).toBeNull();
      }),
    );
  });

  it('eligible subscriptions are exactly those without a refusal, in the given order', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBSCRIPTION_FLOWS), fc.array(fc.record({ status: fc.constantFrom(...STATUSES), cancelAtPeriodEnd: fc.boolean() }), { maxLength: 8 }), (flow, raw) => {
        const subs = raw.map((s, i) => ({ ...s, id: `sub_${i}` }));
        const picked = eligibleSubscriptions(flow, subs);
        expect(picked).toEqual(subs.filter((s) => flowRefusal(flow, s) === null));
        expect(picked.some((s) => s.status === 'canceled' || s.status === 'incomplete_expired')).toBe(false);
      }),
    );
  });
});
