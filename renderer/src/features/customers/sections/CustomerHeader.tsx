import { withKeys } from '../../../app/keymap';
import type { Customer360 } from '../../../../../shared/contract/customers';
import { CopyId } from '../../../ui/format';
import { PortalLinkButton } from '../../portal/PortalLinkButton';
import { PresenceNote } from '../../presence/PresenceNote';
import { ExternalLink } from '../ExternalLink';
import { FreshnessStamp } from './FreshnessStamp';

/** Who this is, at a glance, and the actions on the whole customer: back, Stripe, portal link, refresh. */
export function CustomerHeader({ customer, backLabel, onBack }: { customer: Customer360; backLabel: string; onBack: () => void }) {
  return (
    <header className="page-header c360-header">
      <button type="button" onClick={onBack} title={withKeys(`Back to ${backLabel}`, 'customer.back')}>
        <span aria-hidden="true">←</span> {backLabel} <kbd>Esc</kbd>
      </button>
      <div className="c360-title">
        <h1 tabIndex={-1}>
          {customer.name || 'No name'} {customer.delinquent && <span className="badge danger">Delinquent</span>}
        </h1>
        <span className="muted">
          {customer.email ?? 'no email'} · <CopyId id={customer.id} />
        </span>
        <PresenceNote customerId={customer.id} />
      </div>
      <span className="spacer" />
      <ExternalLink href={customer.dashboardUrl} title={`Open ${customer.id} in the Stripe Dashboard (${customer.livemode ? 'live' : 'test'} mode)`}>
        Stripe Dashboard
      </ExternalLink>
      <PortalLinkButton customerId={customer.id} subscriptions={customer.subscriptions} />
      <FreshnessStamp customer={customer} />
    </header>
  );
}
