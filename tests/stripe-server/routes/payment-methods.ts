import { paginate } from '../list';
import { allowOnly, int, metadata, obj, oneOf, str } from '../params';
import type { RouteModule } from '../router';

export const paymentMethodRoutes: RouteModule = {
  name: 'payment_methods',
  routes: [
    {
      method: 'POST',
      path: '/v1/payment_methods',
      handle: ({ store, params }) => {
        allowOnly(params, ['type', 'card', 'billing_details', 'metadata']);
        oneOf(params, 'type', ['card'] as const);
        const card = obj(params, 'card') ?? {};
        allowOnly(card, ['token', 'number', 'exp_month', 'exp_year', 'cvc', 'brand', 'last4']);
        const number = str(card, 'number');
        const bd = obj(params, 'billing_details') ?? {};
        const md = metadata(params);
        return store.createPaymentMethod({
          token: str(card, 'token') ?? (number ? undefined : 'pm_card_visa'),
          card: {
            ...(number ? { last4: number.slice(-4), brand: number.startsWith('5') ? 'mastercard' : number.startsWith('3') ? 'amex' : 'visa' } : {}),
            ...(str(card, 'brand') ? { brand: str(card, 'brand') } : {}),
            ...(str(card, 'last4') ? { last4: str(card, 'last4') } : {}),
            ...(int(card, 'exp_month') ? { exp_month: int(card, 'exp_month') } : {}),
            ...(int(card, 'exp_year') ? { exp_year: int(card, 'exp_year') } : {}),
          },
          billingName: str(bd, 'name') ?? null,
          billingEmail: str(bd, 'email') ?? null,
          metadata: md ? (Object.fromEntries(Object.entries(md).filter(([, v]) => v !== null)) as Record<string, string>) : undefined,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/payment_methods',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'type'], { list: true });
        const customer = str(params, 'customer');
        return paginate(store.collection('payment_method'), params, {
          url: '/v1/payment_methods',
          kind: 'payment_method',
          ids: customer ? store.owned('payment_method', customer) : undefined,
          filter: customer ? (pm) => pm.customer === customer : (pm) => pm.customer != null,
        });
      },
    },
    { method: 'GET', path: '/v1/payment_methods/:id', handle: ({ store, pathParams }) => store.require('payment_method', pathParams.id, 'PaymentMethod') },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['card', 'billing_details', 'metadata']);
        const card = obj(params, 'card');
        const bd = obj(params, 'billing_details');
        const patch: Record<string, unknown> = {};
        if (card) {
          allowOnly(card, ['exp_month', 'exp_year']);
          patch.card = { ...(int(card, 'exp_month') ? { exp_month: int(card, 'exp_month') } : {}), ...(int(card, 'exp_year') ? { exp_year: int(card, 'exp_year') } : {}) };
        }
        if (bd) patch.billing_details = { ...(bd.name !== undefined ? { name: str(bd, 'name') || null } : {}), ...(bd.email !== undefined ? { email: str(bd, 'email') || null } : {}) };
        const md = metadata(params);
        if (md) patch.metadata = md;
        return store.updatePaymentMethod(pathParams.id, patch);
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id/attach',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['customer']);
        return store.attachPaymentMethod(pathParams.id, str(params, 'customer', { required: true })!);
      },
    },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id/detach',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, []);
        return store.detachPaymentMethod(pathParams.id);
      },
    },
  ],
};
