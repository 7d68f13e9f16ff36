import type { PortalLinkView } from '../../../../../shared/contract/customers';
import { PORTAL_FLOW_LABELS, type PortalFlow } from '../../../../../shared/contract/portal';
import { When } from '../../../ui/format';
import { ShowMore } from '../ShowMore';
import { usePaged } from '../usePaged';

const PAGE = 5;

/** Portal links already sent to this customer: which flow, by whom, when (P makes a new one). */
export function PortalLinksSection({ links }: { links: PortalLinkView[] }) {
  const { shown, hidden, showMore } = usePaged(links, PAGE);
  return (
    <section className="section" aria-labelledby="c360-portal-h" data-testid="c360-portal-links">
      <h2 id="c360-portal-h">Portal links</h2>
      {links.length === 0 ? (
        <p className="muted">
          No portal link sent yet. Press <kbd>P</kbd> to send one.
        </p>
      ) : (
        <ul className="portal-history">
          {shown.map((l) => (
            <li key={l.id}>
              <strong>{PORTAL_FLOW_LABELS[l.flow as PortalFlow] ?? l.flow}</strong>{' '}
              {l.simulated && (
                <span className="badge warn" title="Demo workspace: no Stripe session was created">
                  Simulated
                </span>
              )}
              <span className="muted">
                {' '}
                · {l.createdBy} · <When at={l.createdAt} unit="ms" />
                {l.subscriptionId && <> · {l.subscriptionId}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ShowMore hidden={hidden} pageSize={PAGE} what="links" onClick={showMore} />
    </section>
  );
}
