import { invalidRequest } from '../errors';
import { paginate, parseCreatedFilter } from '../list';
import { allowOnly, bool, int, metadata, nullableInt, nullableStr, oneOf, str } from '../params';
import type { RouteModule } from '../router';
import { list } from '../shapes';

const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

export const invoiceRoutes: RouteModule = {
  name: 'invoices',
  routes: [
    {
      method: 'GET',
      path: '/v1/invoices',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'status', 'subscription', 'collection_method', 'due_date'], { list: true });
        const customer = str(params, 'customer');
        const status = oneOf(params, 'status', STATUSES);
        const subscription = str(params, 'subscription');
        const collection = str(params, 'collection_method');
        const needsFilter = customer || status || subscription || collection;
        return paginate(store.collection('invoice'), params, {
          url: '/v1/invoices',
          kind: 'invoice',
          created: parseCreatedFilter(params.created),
          ids: customer ? store.owned('invoice', customer) : undefined,
          filter: needsFilter
            ? (i) =>
                (!customer || i.customer === customer) &&
                (!status || i.status === status) &&
                (!collection || i.collection_method === collection) &&
                (!subscription || i.parent?.subscription_details?.subscription === subscription)
            : undefined,
        });
      },
    },
    {
      method: 'POST',
      path: '/v1/invoices',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'subscription', 'collection_method', 'days_until_due', 'due_date', 'description', 'metadata', 'auto_advance', 'default_payment_method', 'pending_invoice_items_behavior', 'currency']);
        const md = metadata(params);
        return store.createInvoice({
          customer: str(params, 'customer', { required: true })!,
          subscription: str(params, 'subscription'),
          collectionMethod: oneOf(params, 'collection_method', ['charge_automatically', 'send_invoice'] as const),
          daysUntilDue: int(params, 'days_until_due', { min: 0 }),
          dueDate: int(params, 'due_date'),
          description: nullableStr(params, 'description'),
          metadata: md ? (Object.fromEntries(Object.entries(md).filter(([, v]) => v !== null)) as Record<string, string>) : undefined,
          autoAdvance: bool(params, 'auto_advance'),
          defaultPaymentMethod: nullableStr(params, 'default_payment_method'),
          includePendingItems: oneOf(params, 'pending_invoice_items_behavior', ['include', 'exclude'] as const) === 'include',
          currency: str(params, 'currency'),
        });
      },
    },
    { method: 'GET', path: '/v1/invoices/:id', handle: ({ store, pathParams }) => store.invoiceById(pathParams.id) },
    {
      method: 'POST',
      path: '/v1/invoices/:id',
      handle: ({ store, pathParams, params }) => {
        allowOnly(params, ['description', 'metadata', 'auto_advance', 'due_date', 'days_until_due', 'default_payment_method', 'footer']);
        const patch: Record<string, unknown> = {};
        if (params.description !== undefined) patch.description = nullableStr(params, 'description');
        if (params.auto_advance !== undefined) patch.auto_advance = bool(params, 'auto_advance');
        if (params.due_date !== undefined) patch.due_date = nullableInt(params, 'due_date');
        if (params.default_payment_method !== undefined) patch.default_payment_method = nullableStr(params, 'default_payment_method');
        const md = metadata(params);
        if (md) patch.metadata = md;
        return store.updateInvoice(pathParams.id, patch);
      },
    },
    { method: 'DELETE', path: '/v1/invoices/:id', handle: ({ store, pathParams }) => store.deleteInvoice(pathParams.id) },
    {
      method: 'POST',
      path: '/v1/invoices/:id/finalize',
      handle: ({ store, pathParams, params }) => (allowOnly(params, ['auto_advance']), store.finalizeInvoice(pathParams.id)),
    },
    {
      method: 'POST',
      path: '/v1/invoices/:id/pay',
      handle: ({ store, pathParams, params, faults, method, path }) => {
        allowOnly(params, ['payment_method', 'paid_out_of_band', 'off_session', 'forgive', 'source']);
        return store.payInvoice(pathParams.id, {
          paymentMethod: str(params, 'payment_method'),
          paidOutOfBand: bool(params, 'paid_out_of_band'),
          forceDecline: faults.takeDecline(method, path),
        });
      },
    },
    { method: 'POST', path: '/v1/invoices/:id/void', handle: ({ store, pathParams }) => store.voidInvoice(pathParams.id) },
    { method: 'POST', path: '/v1/invoices/:id/mark_uncollectible', handle: ({ store, pathParams }) => store.markUncollectible(pathParams.id) },
    {
      method: 'GET',
      path: '/v1/invoices/:id/lines',
      handle: ({ store, pathParams }) => {
        const inv = store.invoiceById(pathParams.id);
        return list(inv.lines.data, `/v1/invoices/${inv.id}/lines`);
      },
    },
    {
      method: 'POST',
      path: '/v1/invoiceitems',
      handle: ({ store, params }) => {
        allowOnly(params, ['customer', 'amount', 'currency', 'description', 'invoice', 'quantity', 'metadata']);
        const amount = int(params, 'amount');
        if (amount === undefined) throw invalidRequest('Missing required param: amount.', 'amount');
        return store.createInvoiceItem({
          customer: str(params, 'customer', { required: true })!,
          amount,
          currency: str(params, 'currency') ?? store.customer(str(params, 'customer')!).currency ?? 'usd',
          description: nullableStr(params, 'description'),
          invoice: str(params, 'invoice'),
          quantity: int(params, 'quantity', { min: 1 }),
        });
      },
    },
  ],
};
