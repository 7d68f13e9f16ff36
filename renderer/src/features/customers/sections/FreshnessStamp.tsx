import type { Customer360 } from '../../../../../shared/contract/customers';
import { errorMessage } from '../../../api/client';
import { When } from '../../../ui/format';
import { Icon } from '../../../ui/icons';
import { useRefreshCustomer } from '../queries';

/** How old the cached data is, and the on-demand refresh (re-fetches this customer from Stripe). */
export function FreshnessStamp({ customer }: { customer: Customer360 }) {
  const refresh = useRefreshCustomer(customer.id);
  // The cached data stays on screen after a failed refresh; the message says it failed and why.
  const message = refresh.error ? `Refresh failed: ${errorMessage(refresh.error)} The cached data is shown.` : refresh.data?.message ?? null;
  const failed = !!refresh.error;
  return (
    <span className="freshness" data-testid="freshness">
      <span className="muted">
        Synced {customer.syncedAt > 0 ? <When at={customer.syncedAt} unit="ms" /> : 'never'}
      </span>
      <button type="button" onClick={() => refresh.mutate({ customerId: customer.id })} disabled={refresh.isPending} title="Fetch this customer again from Stripe" aria-label="Refresh this customer">
        <Icon name="refresh" size={13} /> {refresh.isPending ? 'Refreshing…' : 'Refresh'}
      </button>
      {message && !refresh.isPending && (
        <span className={failed ? 'freshness-message error-text' : 'freshness-message muted'} role={failed ? 'alert' : 'status'}>
          {message}
        </span>
      )}
    </span>
  );
}
