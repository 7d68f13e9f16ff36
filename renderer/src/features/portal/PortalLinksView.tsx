import { PORTAL_FLOW_LABELS, type PortalLinkRecord } from '../../../../shared/contract/portal';
import { errorMessage } from '../../api/client';
import { useCall } from '../../api/queries';
import { useApp } from '../../app/store';
import { CopyId, When } from '../../ui/format';
import { Icon } from '../../ui/icons';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { copyText } from '../../ui/clipboard';
import './portal.css';

/** The "Portal links" page: who sent which flow to whom, when — newest first, across customers. */
export function PortalLinksView() {
  const history = useCall('portal.history', { limit: 200 });
  const links: PortalLinkRecord[] | null = history.data ?? null;
  const error = history.error ? errorMessage(history.error) : null;
  const load = () => void history.refetch();

  return (
    <div className="portal-links-view">
      <div className="page-header">
        <h1>Portal links</h1>
        <span className="muted">Customer Portal links sent from this console, newest first</span>
      </div>
      {error ? (
        <ErrorState message={`Could not load the portal links: ${error}`} onRetry={load} />
      ) : !links ? (
        <Loading label="Loading portal links…" />
      ) : links.length === 0 ? (
        <EmptyState
          title="No portal links sent yet"
          hint={
            <>
              Open a customer and press <kbd>P</kbd> to send a Customer Portal link: update a card, cancel, change or pause a plan.
            </>
          }
        />
      ) : (
        <table className="dense portal-links-table">
          <thead>
            <tr>
              <th scope="col">Sent</th>
              <th scope="col">Customer</th>
              <th scope="col">Flow</th>
              <th scope="col">Subscription</th>
              <th scope="col">By</th>
              <th scope="col">Link</th>
            </tr>
          </thead>
          <tbody>
            {links.map((l) => (
              <LinkRow key={l.id} link={l} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function LinkRow({ link }: { link: PortalLinkRecord }) {
  const openCustomer = useApp((s) => s.openCustomer);
  const toast = useApp((s) => s.showToast);
  const copy = async () => {
    try {
      await copyText(link.url);
      toast(link.simulated ? 'Link copied (simulated: demo workspace)' : 'Link copied — it may have expired: create a new one if the customer cannot log in');
    } catch {
      toast('Could not copy to the clipboard.', 'error');
    }
  };
  return (
    <tr data-testid="portal-link-row">
      <td>
        <When at={link.createdAt} unit="ms" />
      </td>
      <td>
        <button type="button" className="portal-link-customer" onClick={() => openCustomer(link.customerId)} title={`Open ${link.customerId}`}>
          {link.customerName ?? link.customerEmail ?? link.customerId}
        </button>
        {link.customerName && link.customerEmail && <span className="muted"> {link.customerEmail}</span>}
      </td>
      <td>
        {PORTAL_FLOW_LABELS[link.flow] ?? link.flow}
        {link.simulated && (
          <>
            {' '}
            <span className="badge warn" title="Demo workspace: no Stripe session was created">
              Simulated
            </span>
          </>
        )}
      </td>
      <td>{link.subscriptionId ? <CopyId id={link.subscriptionId} /> : <span className="muted">—</span>}</td>
      <td>{link.createdBy}</td>
      <td>
        <button type="button" className="icon-button" onClick={copy} aria-label={`Copy the ${PORTAL_FLOW_LABELS[link.flow] ?? link.flow} link for ${link.customerName ?? link.customerId}`} title="Copy link">
          <Icon name="copy" size={13} />
        </button>
      </td>
    </tr>
  );
}
