import type { CustomerRefreshResult } from '../../../shared/contract/customers';
import type { ServiceContext } from '../core/context';
import { buildCustomer360, requireCustomer } from './customer-360';

// On-demand refresh of one customer. The fetching belongs to the sync layer (it owns the rate
// limiter, the expand lists and the clock); this module only asks it through a small indirection,
// so the customer view does not depend on how sync is built. The services wire the sync's
// refresh in when they build the context (registries.ts: `ctx.registries.refreshCustomer`).

export type CustomerRefresher = (ctx: ServiceContext, accountId: string, customerId: string) => Promise<unknown>;

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
  await ctx.registries.refreshCustomer(ctx, account.id, customerId);
  ctx.hub.emit('data.changed', { accountId: account.id, kinds: ['customers', 'subscriptions', 'invoices', 'payment_methods'], customerIds: [customerId] });
  return { customer: buildCustomer360(ctx.db, account.id, customerId, ctx.now()), source: 'stripe', message: 'Refreshed from Stripe.' };
}
