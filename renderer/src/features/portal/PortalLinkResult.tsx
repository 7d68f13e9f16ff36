import { useState } from 'react';
import { PORTAL_FLOW_LABELS, type PortalLinkRecord } from '../../../../shared/contract/portal';
import { useApp } from '../../app/store';
import { Icon } from '../../ui/icons';
import { copyText } from '../../ui/clipboard';
import { canInsertIntoReply, insertPortalLinkIntoReply } from './portal-events';
import './portal.css';

/** The link just made: copied or not, simulated or real, with copy and insert-into-reply. */
export function PortalLinkResult({ link, copied }: { link: PortalLinkRecord; copied: boolean }) {
  const [copiedAgain, setCopiedAgain] = useState(false);
  const toast = useApp((s) => s.showToast);
  const copy = async () => {
    try {
      await copyText(link.url);
      setCopiedAgain(true);
    } catch (err) {
      // Said, not swallowed: the link is still in the field to select and copy by hand.
      toast(`Could not copy the link (${err instanceof Error ? err.message : String(err)}): select it in the field and copy it.`, 'error');
    }
  };
  return (
    <div className="portal-result" data-testid="portal-link-result">
      <p className="portal-result-head" role="status">
        <Icon name={copied ? 'check' : 'link'} size={14} />
        <strong>{copied ? 'Link copied' : 'Link created'}</strong>
        <span className="muted">· {PORTAL_FLOW_LABELS[link.flow]}</span>
        {link.subscriptionId && <code className="muted">{link.subscriptionId}</code>}
        {link.simulated && <span className="badge warn" title="Demo workspace: no Stripe session was created">Simulated</span>}
      </p>
      <div className="portal-result-url">
        <input readOnly value={link.url} aria-label="Portal link" onFocus={(e) => e.currentTarget.select()} data-testid="portal-link-url" />
        <button type="button" onClick={copy} aria-label="Copy the portal link">
          <Icon name={copiedAgain ? 'check' : 'copy'} size={13} /> Copy
        </button>
        {canInsertIntoReply() && (
          <button type="button" onClick={() => insertPortalLinkIntoReply(link)}>
            Insert into reply
          </button>
        )}
      </div>
      <p className="muted portal-result-note">
        {link.simulated
          ? 'Demo workspace: this link is simulated and opens nothing. Add a Stripe key in Settings to send real links.'
          : link.recoversAfterExpiry
            ? 'Portal sessions are short-lived; if it has expired when the customer opens it, they can get back in with an email login.'
            : 'Portal sessions are short-lived: send it now.'}
      </p>
    </div>
  );
}
