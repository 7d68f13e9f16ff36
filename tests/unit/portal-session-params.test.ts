import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSessionParams } from '../../electron/services/portal/session-params';
import { PORTAL_FLOWS, SUBSCRIPTION_FLOWS } from '../../shared/contract/portal';

const base = { customerId: 'cus_A1', returnUrl: 'https://example.com/account', configurationId: null };
const redirect = { type: 'redirect', redirect: { return_url: 'https://example.com/account' } };

describe('billing portal session parameters', () => {
  it('home page: no flow_data, but an expired link still recovers through an email login', () => {
    expect(buildSessionParams({ ...base, flow: 'home', subscriptionId: null })).toEqual({
      customer: 'cus_A1',
      return_url: 'https://example.com/account',
      after_expiration: { type: 'customer_login' },
    });
  });

  it('payment method and customer update deep links carry no subscription and redirect back', () => {
    for (const flow of ['payment_method_update', 'customer_update'] as const) {
      expect(buildSessionParams({ ...base, flow, subscriptionId: null })).toEqual({
        customer: 'cus_A1',
        return_url: 'https://example.com/account',
        after_expiration: { type: 'customer_login' },
        flow_data: { type: flow, after_completion: redirect },
      });
    }
  });

  it('subscription deep links name the subscription under the flow type', () => {
    for (const flow of ['subscription_cancel', 'subscription_update', 'subscription_pause'] as const) {
      expect(buildSessionParams({ ...base, flow, subscriptionId: 'sub_X' }).flow_data).toEqual({ type: flow, [flow]: { subscription: 'sub_X' }, after_completion: redirect });
    }
  });

  it('confirming a plan change sends the items to confirm, only with the fields given', () => {
    const p = buildSessionParams({ ...base, flow: 'subscription_update_confirm', subscriptionId: 'sub_X', items: [{ id: 'si_1', price: 'price_B' }, { id: 'si_2', quantity: 3 }] });
    expect(p.flow_data).toEqual({
      type: 'subscription_update_confirm',
      subscription_update_confirm: { subscription: 'sub_X', items: [{ id: 'si_1', price: 'price_B' }, { id: 'si_2', quantity: 3 }] },
      after_completion: redirect,
    });
  });

  it('passes a chosen configuration, and none otherwise (Stripe then uses the account default)', () => {
    expect(buildSessionParams({ ...base, configurationId: 'bpc_9', flow: 'home', subscriptionId: null }).configuration).toBe('bpc_9');
    expect('configuration' in buildSessionParams({ ...base, flow: 'home', subscriptionId: null })).toBe(false);
  });

  it('refuses to build a subscription flow without its subscription (a programming error, never a silent portal home)', () => {
    expect(() => buildSessionParams({ ...base, flow: 'subscription_cancel', subscriptionId: null })).toThrow(/needs a subscription/);
    expect(() => buildSessionParams({ ...base, flow: 'subscription_update_confirm', subscriptionId: 'sub_X' })).toThrow(/items/);
  });

  it('for any flow, subscription and return URL: customer, return URL and after_expiration are always set, flow_data.type is the flow', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PORTAL_FLOWS), fc.stringMatching(/^sub_[A-Za-z0-9]{1,20}$/), fc.webUrl(), (flow, sub, url) => {
        const p = buildSessionParams({ customerId: 'cus_Z', flow, subscriptionId: sub, returnUrl: url, configurationId: null, items: [{ id: 'si_1', price: 'price_1' }] });
        expect(p.customer).toBe('cus_Z');
        expect(p.return_url).toBe(url);
        expect(p.after_expiration).toEqual({ type: 'customer_login' });
        if (flow === 'home') {
          expect(p.flow_data).toBeUndefined();
          return;
        }
        expect(p.flow_data!.type).toBe(flow);
        expect(p.flow_data!.after_completion).toEqual({ type: 'redirect', redirect: { return_url: url } });
        const nested = (p.flow_data as unknown as Record<string, { subscription?: string } | undefined>)[flow];
        if (SUBSCRIPTION_FLOWS.includes(flow)) expect(nested?.subscription).toBe(sub);
        else expect(nested).toBeUndefined();
      }),
    );
  });
});
