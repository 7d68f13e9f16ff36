import { useEffect, useState } from 'react';
import { CallFailure, errorMessage } from '../../api/client';
import { useShortcut } from '../../app/key-dispatch';
import { withKeys } from '../../app/keymap';
import { useApp, type View } from '../../app/store';
import { ErrorState, Loading } from '../../ui/states';
import { CustomerHeader } from './sections/CustomerHeader';
import { DunningSection } from './sections/DunningSection';
import { InvoicesSection } from './sections/InvoicesSection';
import { NotesSection } from './sections/NotesSection';
import { PaymentMethodsSection } from './sections/PaymentMethodsSection';
import { PortalLinksSection } from './sections/PortalLinksSection';
import { ProfileSection } from './sections/ProfileSection';
import { SubscriptionsSection } from './sections/SubscriptionsSection';
import { TimelineSection } from './sections/TimelineSection';
import { useCustomer360 } from './queries';
import { useReportPresence } from '../presence/usePresence';
import './customers.css';

const BACK_LABELS: Record<View, string> = { customers: 'Customers', dunning: 'Dunning', portal: 'Portal links', settings: 'Settings' };

/**
 * Everything about one customer on one screen: profile, subscriptions, invoices with their payment
 * attempts, cards, dunning, timeline, notes and portal links. Kept current by the query cache (a
 * change notice about this customer fetches it again, quietly: the view stays on screen); Esc (or
 * the back button) returns to the list.
 */
export function Customer360View({ customerId }: { customerId: string }) {
  // Opening a customer reads it again; meanwhile the cached copy is shown, unless that read fails:
  // a customer deleted since it was cached must say so, not show its old page.
  const query = useCustomer360(customerId, { refetchOnMount: 'always' });
  const [openedAt] = useState(() => Date.now());
  const customer = query.data && (query.dataUpdatedAt >= openedAt || !query.isError) ? query.data : null;
  const status = query.isError ? 'error' : query.isPending ? 'loading' : 'ready';
  const error = query.error ? errorMessage(query.error) : null;
  const errorCode = query.error instanceof CallFailure ? query.error.code : null;
  const loadCustomer = () => void query.refetch();
  const openCustomer = useApp((s) => s.openCustomer);
  // Back (Esc) returns to where the customer was opened from: the list, the dunning queue, the portal links.
  const backLabel = BACK_LABELS[useApp((s) => s.backTo)];

  // Opened from the palette or the list, focus would be left on the page: put it on the customer's
  // name, so Tab goes on through this customer's view instead of starting again at the rail.
  const loaded = !!customer;
  useEffect(() => {
    if (!loaded) return;
    const active = document.activeElement;
    if (!active || active === document.body) document.querySelector<HTMLElement>('[data-testid="customer-360"] h1')?.focus();
  }, [loaded]);

  useShortcut('customer.back', () => openCustomer(null));
  // The team sees that this customer is open here ("Ana is looking at this" on their desks).
  useReportPresence({ customerId, caseId: null });

  if (!customer) {
    if (status === 'error') {
      return (
        <div className="customer-360" data-testid="customer-360-error">
          <BackOnly label={backLabel} onBack={() => openCustomer(null)} />
          {errorCode === 'not_found' ? (
            // Trying again cannot bring back a deleted customer: say what can.
            <div className="error-state" role="alert">
              <p>Could not open {customerId}: {error}</p>
              <p className="muted">If the customer was re-created in Stripe they have a new id: search for them by name or email.</p>
              <button type="button" onClick={() => useApp.getState().setPaletteOpen(true)}>
                Search customers <kbd>Ctrl K</kbd>
              </button>
            </div>
          ) : (
            <ErrorState message={`Could not open ${customerId}: ${error}`} onRetry={loadCustomer} />
          )}
        </div>
      );
    }
    return <Loading label="Opening the customer…" />;
  }

  return (
    <div className="customer-360" data-testid="customer-360">
      <CustomerHeader customer={customer} backLabel={backLabel} onBack={() => openCustomer(null)} />
      {status === 'error' && (
        <p className="inline-error" role="alert">
          Could not reload this customer: {error} The data shown was read earlier.
        </p>
      )}
      <div className="c360-grid">
        <div className="c360-main">
          <SubscriptionsSection subscriptions={customer.subscriptions} />
          <InvoicesSection invoices={customer.invoices} />
          <TimelineSection timeline={customer.timeline} />
        </div>
        <div className="c360-side">
          <ProfileSection customer={customer} />
          <DunningSection customer={customer} />
          <PaymentMethodsSection paymentMethods={customer.paymentMethods} />
          <NotesSection customerId={customer.id} notes={customer.notes} />
          <PortalLinksSection links={customer.portalLinks} />
        </div>
      </div>
    </div>
  );
}

function BackOnly({ label, onBack }: { label: string; onBack: () => void }) {
  return (
    <header className="page-header">
      <button type="button" onClick={onBack} title={withKeys(`Back to ${label}`, 'customer.back')}>
        ← {label}
      </button>
    </header>
  );
}
