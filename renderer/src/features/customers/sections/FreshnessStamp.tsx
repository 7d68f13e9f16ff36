import type { Customer360 } from '../../../../../shared/contract/customers';
import { When } from '../../../ui/format';
import { Icon } from '../../../ui/icons';
import { useCustomers } from '../store';

/** How old the cached data is, and the on-demand refresh (re-fetches this customer from Stripe). */
export function FreshnessStamp({ customer }: { customer: Customer360 }) {
  const refreshing = useCustomers((s) => s.refreshing);
  const message = useCustomers((s) => s.refreshMessage);
  const refresh = useCustomers((s) => s.refreshCustomer);
  const failed = !!message?.startsWith('Refresh failed');
  return (
    <span className="freshness" data-testid="freshness">
      <span className="muted">
        Synced {customer.syncedAt > 0 ? <When at={customer.syncedAt} unit="ms" /> : 'never'}
      </span>
      <button type="button" onClick={() => void refresh()} disabled={refreshing} title="Fetch this customer again from Stripe" aria-label="Refresh this customer">
        <Icon name="refresh" size={13} /> {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
      {message && (
        <span className={failed ? 'freshness-message error-text' : 'freshness-message muted'} role={failed ? 'alert' : 'status'}>
          {message}
        </span>
      )}
    </span>
  );
}
