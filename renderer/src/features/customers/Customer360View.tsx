import { useEffect } from 'react';
import type { DataChanged } from '../../../../shared/contract/streams';
import { api } from '../../api/client';
import { isTyping } from '../../app/shortcuts';
import { useApp, type View } from '../../app/store';
import { ErrorState, Loading } from '../../ui/states';
import { onPortalLinkCreated } from '../portal/portal-events';
import { CustomerHeader } from './sections/CustomerHeader';
import { DunningSection } from './sections/DunningSection';
import { InvoicesSection } from './sections/InvoicesSection';
import { NotesSection } from './sections/NotesSection';
import { PaymentMethodsSection } from './sections/PaymentMethodsSection';
import { PortalLinksSection } from './sections/PortalLinksSection';
import { ProfileSection } from './sections/ProfileSection';
import { SubscriptionsSection } from './sections/SubscriptionsSection';
import { TimelineSection } from './sections/TimelineSection';
import { useCustomers } from './store';
import './customers.css';

const BACK_LABELS: Record<View, string> = { customers: 'Customers', dunning: 'Dunning', portal: 'Portal links', settings: 'Settings' };

/** Kinds of change that alter something this view shows (audit rows and the KB do not). */
const SHOWN_KINDS: ReadonlyArray<DataChanged['kinds'][number]> = ['customers', 'subscriptions', 'invoices', 'payment_methods', 'dunning', 'notes', 'portal_links'];

/**
 * Everything about one customer on one screen: profile, subscriptions, invoices with their payment
 * attempts, cards, dunning, timeline, notes and portal links. Kept current from the 'data.changed'
 * stream; Esc (or the back button) returns to the list.
 */
export function Customer360View({ customerId }: { customerId: string }) {
  const customer = useCustomers((s) => (s.customer?.id === customerId ? s.customer : null));
  const status = useCustomers((s) => s.customerStatus);
  const error = useCustomers((s) => s.customerError);
  const errorCode = useCustomers((s) => s.customerErrorCode);
  const { loadCustomer, closeCustomer } = useCustomers.getState();
  const openCustomer = useApp((s) => s.openCustomer);
  // Back (Esc) returns to where the customer was opened from: the list, the dunning queue, the portal links.
  const backLabel = BACK_LABELS[useApp((s) => s.backTo)];

  useEffect(() => {
    void loadCustomer(customerId);
    // Bursts of changes (a sync page, a portal link + its audit) become one quiet reload.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reloadSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void loadCustomer(customerId, { quiet: true }), 120);
    };
    const offChanged = api.on('data.changed', (c) => {
      if (c.customerIds && !c.customerIds.includes(customerId)) return;
      if (c.kinds.some((k) => SHOWN_KINDS.includes(k))) reloadSoon();
    });
    const offPortal = onPortalLinkCreated((link) => link.customerId === customerId && reloadSoon());
    return () => {
      clearTimeout(timer);
      offChanged();
      offPortal();
      closeCustomer();
    };
  }, [customerId, loadCustomer, closeCustomer]);

  // Opened from the palette or the list, focus would be left on the page: put it on the customer's
  // name, so Tab goes on through this customer's view instead of starting again at the rail.
  const loaded = !!customer;
  useEffect(() => {
    if (!loaded) return;
    const active = document.activeElement;
    if (!active || active === document.body) document.querySelector<HTMLElement>('[data-testid="customer-360"] h1')?.focus();
  }, [loaded]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || isTyping(e.target) || useApp.getState().paletteOpen) return;
      e.preventDefault();
      openCustomer(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openCustomer]);

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
            <ErrorState message={`Could not open ${customerId}: ${error}`} onRetry={() => void loadCustomer(customerId)} />
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
      <button type="button" onClick={onBack} title={`Back to ${label} (Esc)`}>
        ← {label}
      </button>
    </header>
  );
}
