import { AppError } from '../../../shared/contract/errors';
import type { CustomerRefreshResult } from '../../../shared/contract/customers';
import type { ServiceContext } from '../core/context';
import { buildCustomer360, requireCustomer } from './customer-360';

// On-demand refresh of one customer. The fetching belongs to the sync layer (it owns the rate
// limiter, the expand lists and the clock); this module only asks it through a small indirection,
// so the customer view does not depend on how sync is built. The sync layer provides it for each
// set of services when it registers (sync/handlers.ts).

export type CustomerRefresher = (ctx: ServiceContext, accountId: string, customerId: string) => Promise<unknown>;

const refreshers = new WeakMap<ServiceContext, CustomerRefresher>();

export function provideCustomerRefresher(ctx: ServiceContext, fn: CustomerRefresher | null): void {
  if (fn) refreshers.set(ctx, fn);
  else refreshers.delete(ctx);
}

export async function refreshCustomer360(ctx: ServiceContext, customerId: string): Promise<CustomerRefreshResult> {
  const account = ctx.workspace.current();
  requireCustomer(ctx.db, account.id, customerId);
  if (account.isDemo) {
    return {
      customer: buildCustomer360(ctx.db, account.id, customerId, ctx.now()),
      source: 'local',
      message: 'The demo workspace has no Stripe account: this is the local data, re-read.',
    };
  }
  const refresher = refreshers.get(ctx);
  if (!refresher) {
    throw new AppError('not_configured', 'On-demand refresh is not available in this build: the sync service did not register it. The cached data is shown.');
  }
  await refresher(ctx, account.id, customerId);
  ctx.hub.emit('data.changed', { accountId: account.id, kinds: ['customers', 'subscriptions', 'invoices', 'payment_methods'], customerIds: [customerId] });
  return { customer: buildCustomer360(ctx.db, account.id, customerId, ctx.now()), source: 'stripe', message: 'Refreshed from Stripe.' };
}
