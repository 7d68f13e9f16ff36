import { paginate } from '../list';
import { allowOnly, bool, int, metadata, nullableStr, obj, oneOf, str } from '../params';
import type { RouteModule } from '../router';

function cleanMd(m: Record<string, string | null> | undefined): Record<string, string> | undefined {
  return m ? (Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null)) as Record<string, string>) : undefined;
}

export const productRoutes: RouteModule = {
  name: 'products',
  routes: [
    {
      method: 'POST',
      path: '/v1/products',
      handle: ({ store, params }) => {
        allowOnly(params, ['name', 'description', 'metadata', 'active']);
        return store.createProduct({ name: str(params, 'name', { required: true })!, description: nullableStr(params, 'description'), metadata: cleanMd(metadata(params)) });
      },
    },
    { method: 'GET', path: '/v1/products', handle: ({ store, params }) => (allowOnly(params, ['active'], { list: true }), paginate(store.collection('product'), params, { url: '/v1/products', kind: 'product' })) },
    { method: 'GET', path: '/v1/products/:id', handle: ({ store, pathParams }) => store.require('product', pathParams.id, 'product') },
    {
      method: 'POST',
      path: '/v1/products/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['name', 'description', 'metadata', 'active']);
        const patch: Record<string, unknown> = {};
        if (params.name !== undefined) patch.name = str(params, 'name');
        if (params.description !== undefined) patch.description = nullableStr(params, 'description');
        if (params.active !== undefined) patch.active = bool(params, 'active');
        const md = metadata(params);
        if (md) patch.metadata = md;
        return store.updateProduct(pathParams.id, patch);
      },
    },
    {
      method: 'POST',
      path: '/v1/prices',
      handle: ({ store, params }) => {
        allowOnly(params, ['product', 'unit_amount', 'currency', 'recurring', 'nickname', 'metadata', 'product_data']);
        let product = str(params, 'product');
        const pd = obj(params, 'product_data');
        if (!product && pd) product = store.createProduct({ name: str(pd, 'name', { required: true })! }).id;
        if (!product) str(params, 'product', { required: true });
        const rec = obj(params, 'recurring');
        return store.createPrice({
          product: product!,
          unitAmount: int(params, 'unit_amount', { required: true, min: 0 })!,
          currency: str(params, 'currency', { required: true })!,
          interval: rec ? oneOf(rec, 'interval', ['day', 'week', 'month', 'year'] as const) : null,
          intervalCount: rec ? int(rec, 'interval_count', { min: 1 }) : undefined,
          nickname: nullableStr(params, 'nickname'),
          metadata: cleanMd(metadata(params)),
        });
      },
    },
    { method: 'GET', path: '/v1/prices', handle: ({ store, params }) => (allowOnly(params, ['active', 'product', 'type'], { list: true }), paginate(store.collection('price'), params, { url: '/v1/prices', kind: 'price', filter: params.product ? (p) => p.product === params.product : undefined })) },
    { method: 'GET', path: '/v1/prices/:id', handle: ({ store, pathParams }) => store.require('price', pathParams.id, 'price') },
  ],
};
