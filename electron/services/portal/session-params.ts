import type Stripe from 'stripe';
import type { PortalFlow } from '../../../shared/contract/portal';

export interface SessionRequest {
  customerId: string;
  flow: PortalFlow;
  /** Set for the subscription flows (checked by the caller). */
  subscriptionId: string | null;
  returnUrl: string;
  configurationId: string | null;
  /** subscription_update_confirm: the items the customer confirms. */
  items?: Array<{ id: string; price?: string; quantity?: number }>;
}

/**
 * The exact billing_portal.sessions.create parameters for one link. In this API version
 * `after_expiration` sits at the top level (not inside flow_data): with `customer_login` an
 * expired link (sessions are short-lived) lets the customer recover it through an email login, so
 * a link pasted into an email still works when it is opened hours later.
 */
export function buildSessionParams(req: SessionRequest): Stripe.BillingPortal.SessionCreateParams {
  const params: Stripe.BillingPortal.SessionCreateParams = {
    customer: req.customerId,
    return_url: req.returnUrl,
    after_expiration: { type: 'customer_login' },
  };
  if (req.configurationId) params.configuration = req.configurationId;
  const flowData = buildFlowData(req);
  if (flowData) params.flow_data = flowData;
  return params;
}

function buildFlowData(req: SessionRequest): Stripe.BillingPortal.SessionCreateParams.FlowData | null {
  // After the customer finishes a deep link, send them back to where the agent said, rather than
  // leaving them on a portal page they did not ask for.
  const afterCompletion: Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion = { type: 'redirect', redirect: { return_url: req.returnUrl } };
  const sub = req.subscriptionId;
  switch (req.flow) {
    case 'home':
      return null;
    case 'payment_method_update':
    case 'customer_update':
      return { type: req.flow, after_completion: afterCompletion };
    case 'subscription_cancel':
      return { type: 'subscription_cancel', subscription_cancel: { subscription: required(sub, req.flow) }, after_completion: afterCompletion };
    case 'subscription_update':
      return { type: 'subscription_update', subscription_update: { subscription: required(sub, req.flow) }, after_completion: afterCompletion };
    case 'subscription_pause':
      return { type: 'subscription_pause', subscription_pause: { subscription: required(sub, req.flow) }, after_completion: afterCompletion };
    case 'subscription_update_confirm': {
      if (!req.items?.length) throw new Error('subscription_update_confirm needs the items to confirm');
      const items = req.items.map((i) => ({ id: i.id, ...(i.price ? { price: i.price } : {}), ...(i.quantity != null ? { quantity: i.quantity } : {}) }));
      return { type: 'subscription_update_confirm', subscription_update_confirm: { subscription: required(sub, req.flow), items }, after_completion: afterCompletion };
    }
  }
}

function required(subscriptionId: string | null, flow: PortalFlow): string {
  if (!subscriptionId) throw new Error(`${flow} needs a subscription`);
  return subscriptionId;
}
