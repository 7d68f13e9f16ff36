import { paginate } from '../list';
import { allowOnly, str } from '../params';
import type { RouteModule } from '../router';

export const paymentRoutes: RouteModule = {
  name: 'payment_intents_and_charges',
  routes: [
    { method: 'GET', path: '/v1/payment_intents/:id', handle: ({ store, pathParams }) => store.require('payment_intent', pathParams.id, 'payment_intent') },
    {
      method: 'GET',
      path: '/v1/payment_intents',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer'], { list: true });
        const customer = str(params, 'customer');
        return paginate(store.collection('payment_intent'), params, { url: '/v1/payment_intents', kind: 'payment_intent', ids: customer ? store.owned('payment_intent', customer) : undefined });
      },
    },
    { method: 'GET', path: '/v1/charges/:id', handle: ({ store, pathParams }) => store.require('charge', pathParams.id, 'charge') },
    {
      method: 'GET',
      path: '/v1/charges',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'payment_intent'], { list: true });
        const customer = str(params, 'customer');
        const pi = str(params, 'payment_intent');
        return paginate(store.collection('charge'), params, {
          url: '/v1/charges',
          kind: 'charge',
          ids: customer ? store.owned('charge', customer) : undefined,
          filter: pi ? (c) => c.payment_intent === pi : undefined,
        });
      },
    },
  ],
};
