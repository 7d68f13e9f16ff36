import { invalidRequest } from '../errors';
import type { FormObject } from '../form';
import { paginate, parseCreatedFilter } from '../list';
import { allowOnly, defined, int, metadata, nullableStr, obj, str } from '../params';
import type { RouteModule } from '../router';
import type { Metadata } from '../shapes';

const ADDRESS_KEYS = ['city', 'country', 'line1', 'line2', 'postal_code', 'state'];

function address(params: FormObject): Record<string, string | null> | null | undefined {
  const a = obj(params, 'address');
  if (a == null) return a;
  allowOnly(a, ADDRESS_KEYS);
  const out: Record<string, string | null> = {};
  for (const k of ADDRESS_KEYS) if (a[k] !== undefined) out[k] = a[k] === '' ? null : String(a[k]);
  return out;
}

function cleanMetadata(m: Record<string, string | null> | undefined): Metadata | undefined {
  if (!m) return undefined;
  const out: Metadata = {};
  for (const [k, v] of Object.entries(m)) if (v !== null) out[k] = v;
  return out;
}

export const customerRoutes: RouteModule = {
  name: 'customers',
  routes: [
    {
      method: 'GET',
      path: '/v1/customers',
      handle: ({ store, params }) => {
        allowOnly(params, ['email', 'test_clock'], { list: true });
        const email = str(params, 'email');
        return paginate(store.collection('customer'), params, {
          url: '/v1/customers',
          kind: 'customer',
          created: parseCreatedFilter(params.created),
          filter: email !== undefined ? (c) => c.email === email : undefined,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/customers',
      handle: ({ store, params }) => {
        allowOnly(params, ['name', 'email', 'phone', 'description', 'metadata', 'address', 'payment_method', 'invoice_settings', 'balance', 'preferred_locales']);
        const inv = obj(params, 'invoice_settings');
        const pm = str(params, 'payment_method');
        const dpm = inv ? str(inv, 'default_payment_method') : undefined;
        if (dpm && dpm !== pm) throw invalidRequest('invoice_settings[default_payment_method] must be the payment_method passed at creation.', 'invoice_settings[default_payment_method]');
        return store.createCustomer({
          name: nullableStr(params, 'name'),
          email: nullableStr(params, 'email'),
          phone: nullableStr(params, 'phone'),
          description: nullableStr(params, 'description'),
          balance: int(params, 'balance'),
          address: address(params),
          metadata: cleanMetadata(metadata(params)),
          paymentMethod: pm,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/customers/:id',
      handle: ({ store, pathParams }) => {
        if (store.collection('customer').isDeleted(pathParams.id)) return { id: pathParams.id, object: 'customer', deleted: true };
        return store.customer(pathParams.id);
      },
    },
    {
      method: 'POST',
      path: '/v1/customers/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['name', 'email', 'phone', 'description', 'metadata', 'address', 'invoice_settings', 'balance', 'preferred_locales']);
        const inv = obj(params, 'invoice_settings');
        if (inv) allowOnly(inv, ['default_payment_method']);
        return store.updateCustomer(
          pathParams.id,
          defined({
            name: nullableStr(params, 'name'),
            email: nullableStr(params, 'email'),
            phone: nullableStr(params, 'phone'),
            description: nullableStr(params, 'description'),
            balance: int(params, 'balance'),
            address: address(params),
            metadata: metadata(params),
            invoice_settings: inv ? { default_payment_method: nullableStr(inv, 'default_payment_method') } : undefined,
          }),
        );
      },
    },
    { method: 'DELETE', path: '/v1/customers/:id', handle: ({ store, pathParams }) => store.deleteCustomer(pathParams.id) },
    {
      method: 'GET',
      path: '/v1/customers/:id/payment_methods',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['type', 'allow_redisplay'], { list: true });
        store.customer(pathParams.id);
        return paginate(store.collection('payment_method'), params, {
          url: `/v1/customers/${pathParams.id}/payment_methods`,
          kind: 'payment_method',
          ids: store.owned('payment_method', pathParams.id),
          filter: (pm) => pm.customer === pathParams.id,
        });
      },
    },
  ],
};
