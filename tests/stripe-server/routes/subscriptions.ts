import { invalidRequest } from '../errors';
import type { FormObject } from '../form';
import { paginate, parseCreatedFilter } from '../list';
import { allowOnly, arr, bool, int, metadata, nullableInt, nullableStr, obj, oneOf, str } from '../params';
import type { RouteModule } from '../router';

const STATUSES = ['active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing', 'paused', 'all', 'ended'] as const;

function itemParams(params: FormObject): Array<Record<string, unknown>> | undefined {
  const items = arr(params, 'items');
  if (!items) return undefined;
  return items.map((raw, n) => {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest(`Invalid items[${n}]`, `items[${n}]`);
    allowOnly(raw, ['id', 'price', 'quantity', 'deleted', 'metadata']);
    return { id: str(raw, 'id'), price: str(raw, 'price'), quantity: int(raw, 'quantity', { min: 0 }), deleted: bool(raw, 'deleted') };
  });
}

export const subscriptionRoutes: RouteModule = {
  name: 'subscriptions',
  routes: [
    {
      method: 'GET',
      path: '/v1/subscriptions',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'status', 'price', 'collection_method'], { list: true });
        const status = oneOf(params, 'status', STATUSES);
        const customer = str(params, 'customer');
        const price = str(params, 'price');
        const collection = str(params, 'collection_method');
        const statusOk =
          status === 'all' ? null : status === undefined ? (s: string) => s !== 'canceled' && s !== 'incomplete_expired' : status === 'ended' ? (s: string) => s === 'canceled' || s === 'incomplete_expired' : (s: string) => s === status;
        const needsFilter = statusOk || customer || price || collection;
        return paginate(store.collection('subscription'), params, {
          url: '/v1/subscriptions',
          kind: 'subscription',
          created: parseCreatedFilter(params.created),
          ids: customer ? store.owned('subscription', customer) : undefined,
          filter: needsFilter
            ? (s) =>
                (!statusOk || statusOk(s.status)) &&
                (!customer || s.customer === customer) &&
                (!collection || s.collection_method === collection) &&
                (!price || s.items.data.some((i: { price: { id: string } }) => i.price.id === price))
            : undefined,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/subscriptions',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'items', 'default_payment_method', 'collection_method', 'days_until_due', 'trial_period_days', 'trial_end', 'cancel_at_period_end', 'metadata', 'description', 'payment_behavior', 'proration_behavior', 'off_session']);
        const md = metadata(params);
        const items = itemParams(params);
        if (!items) throw invalidRequest('Missing required param: items.', 'items');
        const trialEnd = params.trial_end === 'now' ? store.now() : int(params, 'trial_end');
        return store.createSubscription({
          customer: str(params, 'customer', { required: true })!,
          items: items.map((i, n) => {
            if (!i.price) throw invalidRequest('Missing required param: items[0][price].', `items[${n}][price]`);
            return { price: i.price as string, quantity: i.quantity as number | undefined };
          }),
          defaultPaymentMethod: nullableStr(params, 'default_payment_method'),
          collectionMethod: oneOf(params, 'collection_method', ['charge_automatically', 'send_invoice'] as const),
          daysUntilDue: int(params, 'days_until_due', { min: 0 }),
          trialPeriodDays: int(params, 'trial_period_days', { min: 0 }),
          trialEnd,
          cancelAtPeriodEnd: bool(params, 'cancel_at_period_end'),
          metadata: md ? (Object.fromEntries(Object.entries(md).filter(([, v]) => v !== null)) as Record<string, string>) : undefined,
          description: nullableStr(params, 'description'),
          paymentBehavior: oneOf(params, 'payment_behavior', ['allow_incomplete', 'error_if_incomplete', 'default_incomplete'] as const),
        });
      },
    },
    { method: 'GET', path: '/v1/subscriptions/:id', handle: ({ store, pathParams }) => store.subscriptionById(pathParams.id) },
    {
      method: 'POST',
      path: '/v1/subscriptions/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['cancel_at_period_end', 'cancel_at', 'pause_collection', 'default_payment_method', 'metadata', 'description', 'trial_end', 'items', 'proration_behavior', 'payment_behavior', 'cancellation_details']);
        const patch: Record<string, unknown> = {};
        if (params.cancel_at_period_end !== undefined) patch.cancel_at_period_end = bool(params, 'cancel_at_period_end');
        if (params.cancel_at !== undefined) patch.cancel_at = nullableInt(params, 'cancel_at');
        if (params.pause_collection !== undefined) {
          const pc = obj(params, 'pause_collection');
          if (pc) allowOnly(pc, ['behavior', 'resumes_at']);
          patch.pause_collection = pc ? { behavior: str(pc, 'behavior', { required: true }), resumes_at: int(pc, 'resumes_at') ?? null } : null;
        }
        if (params.default_payment_method !== undefined) patch.default_payment_method = nullableStr(params, 'default_payment_method');
        if (params.description !== undefined) patch.description = nullableStr(params, 'description');
        if (params.trial_end !== undefined) patch.trial_end = params.trial_end === 'now' ? 'now' : int(params, 'trial_end');
        const md = metadata(params);
        if (md) patch.metadata = md;
        const items = itemParams(params);
        if (items) patch.items = items;
        return store.updateSubscription(pathParams.id, patch);
      },
    },
    {
      method: 'DELETE',
      path: '/v1/subscriptions/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['invoice_now', 'prorate', 'cancellation_details']);
        return store.cancelSubscription(pathParams.id);
      },
    },
  ],
};
