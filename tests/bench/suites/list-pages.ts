import type Stripe from 'stripe';
import { PAGE_SIZE } from '../../../electron/services/sync/backfill';
import { INVOICE_PAYMENTS_EXPAND } from '../../../electron/services/sync/fetch-objects';
import type { BackfillResource } from '../../../electron/services/sync/sync-state';

// One page of a backfill list as the backfill asks for it (same page size, filters and expands):
// the benches that need the account's objects without the backfill's pacing or sink read them so.

export type ListResource = Exclude<BackfillResource, 'payment_methods'>;
export const LIST_RESOURCES: readonly ListResource[] = ['customers', 'subscriptions', 'invoices', 'invoice_payments'];

export async function fetchList(stripe: Stripe, resource: ListResource, after: string | undefined): Promise<Stripe.ApiList<{ id: string }>> {
  const p = { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) };
  switch (resource) {
    case 'customers':
      return (await stripe.customers.list({ ...p, expand: ['data.invoice_settings.default_payment_method'] })) as never;
    case 'subscriptions':
      return (await stripe.subscriptions.list({ ...p, status: 'all' })) as never;
    case 'invoices':
      return (await stripe.invoices.list(p)) as never;
    case 'invoice_payments':
      return (await stripe.invoicePayments.list({ ...p, expand: INVOICE_PAYMENTS_EXPAND })) as never;
  }
}
