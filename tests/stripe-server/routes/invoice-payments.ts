import { paginate, parseCreatedFilter } from '../list';
import { allowOnly, obj, oneOf, str } from '../params';
import type { RouteModule } from '../router';

export const invoicePaymentRoutes: RouteModule = {
  name: 'invoice_payments',
  routes: [
    {
      method: 'GET',
      path: '/v1/invoice_payments',
      handle: ({ store, params }) => {
        allowOnly(params, ['invoice', 'status', 'payment'], { list: true });
        const invoice = str(params, 'invoice');
        const status = oneOf(params, 'status', ['open', 'paid', 'canceled'] as const);
        const payment = obj(params, 'payment');
        const pi = payment ? str(payment, 'payment_intent') : undefined;
        return paginate(store.collection('invoice_payment'), params, {
          url: '/v1/invoice_payments',
          kind: 'invoice_payment',
          created: parseCreatedFilter(params.created),
          ids: invoice ? store.owned('invoice_payment', invoice) : undefined,
          filter: status || pi ? (p) => (!status || p.status === status) && (!pi || p.payment?.payment_intent === pi) : undefined,
        });
      },
    },
    { method: 'GET', path: '/v1/invoice_payments/:id', handle: ({ store, pathParams }) => store.require('invoice_payment', pathParams.id, 'invoice_payment') },
  ],
};
