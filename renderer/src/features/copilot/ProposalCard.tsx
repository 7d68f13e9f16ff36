import { useEffect, useRef, useState } from 'react';
import type { CopilotAction, CopilotCitation } from '../../../../shared/contract/copilot';
import { api, errorMessage } from '../../api/client';
import { useApp } from '../../app/store';
import { copyText } from '../portal/clipboard';
import { CitationChip } from './CitationChip';
import { ACTION_KIND } from './labels';
import { useProposalOutcomes, type ProposalState } from './proposal-outcomes';
import { keepTabInside } from '../../ui/keep-tab-inside';

// A proposed action as a component: portal-link card, retry card, cancellation flow, pause,
// refund escalation — or an information card (explain an invoice, nothing to do). A write only
// runs after the agent confirms it in a dialog; it then goes through the same services as the
// buttons elsewhere in the console (audit, idempotency).

const CONFIRM_WORDS: Partial<Record<CopilotAction['type'], (customer: string) => string>> = {
  send_portal_link: (c) => `Create a Stripe Customer Portal link for ${c}? You send it to the customer yourself; it expires soon after it is opened.`,
  retry_payment: (c) => `Charge ${c}'s default payment method for the open invoice now?`,
  cancel_subscription: (c) => `Set ${c}'s subscription to cancel at the end of the current period?`,
  pause_subscription: (c) => `Pause collection on ${c}'s subscription? Invoices are voided until it is resumed.`,
  escalate_refund: (c) => `Escalate a refund request for ${c} to the billing team (adds a note)?`,
};

export function ProposalCard({
  action,
  customerId,
  customerName,
  catalog,
  onInsert,
}: {
  action: CopilotAction;
  customerId: string;
  customerName: string;
  catalog: Map<string, CopilotCitation>;
  onInsert: (text: string) => void;
}) {
  // The outcome lives in a store by proposal id, so a rebuilt card (panel reopened, customer
  // revisited, reply redrafted) still shows what was done.
  const proposalId = action.proposalId;
  const outcome = useProposalOutcomes((s) => (proposalId ? s.byId[proposalId] : undefined));
  const record = useProposalOutcomes((s) => s.record);
  const state: ProposalState = outcome?.state ?? (action.status === 'confirmed' || action.status === 'dismissed' ? action.status : 'proposed');
  const result = outcome?.result ?? null;
  const error = outcome?.error ?? null;
  const [asking, setAsking] = useState(false);
  const toast = useApp((s) => s.showToast);
  const flow = action.args.flow ? ` · ${action.args.flow.replace(/_/g, ' ')}` : '';
  const cardRef = useRef<HTMLElement>(null);
  const confirmButtonRef = useRef<HTMLButtonElement>(null);

  // The dialog and the Confirm button go away when the agent decides: focus stays on this card
  // (its Copy button when a link was made), never dropped on the page.
  const focusCard = () => requestAnimationFrame(() => (cardRef.current?.querySelector<HTMLElement>('[data-focus-after-confirm]') ?? cardRef.current)?.focus());

  const confirm = async () => {
    setAsking(false);
    if (!proposalId) return;
    record(proposalId, { state: 'confirming', error: null });
    focusCard();
    try {
      const r = await api.call('copilot.confirmAction', { customerId, proposalId });
      record(proposalId, { state: 'confirmed', result: r, error: null });
      focusCard();
      if (r.portalLink) {
        try {
          await copyText(r.portalLink.url);
          toast(r.portalLink.simulated ? 'Link copied (simulated: demo workspace).' : 'Portal link copied.');
        } catch {
          toast('Link created. Copy it from the card.');
        }
      }
    } catch (err) {
      record(proposalId, { state: 'failed', error: errorMessage(err) });
      focusCard();
    }
  };

  const cancel = () => {
    setAsking(false);
    requestAnimationFrame(() => (confirmButtonRef.current ?? cardRef.current)?.focus());
  };

  const dismiss = async () => {
    if (!proposalId) return;
    try {
      await api.call('copilot.dismissAction', { customerId, proposalId });
      record(proposalId, { state: 'dismissed', error: null });
      focusCard();
    } catch (err) {
      record(proposalId, { error: errorMessage(err) });
    }
  };

  const write = action.requiresConfirmation;
  return (
    <article ref={cardRef} tabIndex={-1} className={`cp-card cp-card-${action.type} cp-state-${state}${write ? '' : ' cp-card-info'}`} aria-label={action.title} data-testid="copilot-proposal" data-type={action.type}>
      <header className="cp-card-head">
        <span className={`badge ${write ? 'info' : ''}`}>{ACTION_KIND[action.type]}{flow}</span>
        <strong>{action.title}</strong>
        {action.source === 'model' && <span className="badge" title="Suggested by the model and checked against this customer's data">model</span>}
      </header>
      <p className="cp-card-reason">{action.reason}</p>
      {action.citations.length > 0 && (
        <div className="cp-cites">
          {action.citations.map((r) => {
            const c = catalog.get(r);
            return c ? <CitationChip key={r} citation={c} /> : null;
          })}
        </div>
      )}
      {write && state === 'proposed' && (
        <div className="cp-card-actions">
          <button ref={confirmButtonRef} type="button" className="primary" onClick={() => setAsking(true)} disabled={!action.proposalId}>
            Confirm…
          </button>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {state === 'confirming' && (
        <p className="cp-card-status" role="status">
          <span className="spinner" aria-hidden="true" /> Working…
        </p>
      )}
      {state === 'confirmed' && result && (
        <div className="cp-card-result" role="status" data-testid="copilot-action-result">
          <p>{result.message}{result.alreadyDone ? ' (already done earlier: nothing ran twice)' : ''}</p>
          {result.portalLink && (
            <div className="cp-link-row">
              <input readOnly value={result.portalLink.url} aria-label="Portal link" onFocus={(e) => e.currentTarget.select()} />
              <button type="button" data-focus-after-confirm onClick={() => copyText(result.portalLink!.url).then(() => toast('Link copied.'), () => toast('Could not copy the link.', 'error'))}>
                Copy
              </button>
              <button type="button" onClick={() => onInsert(result.portalLink!.url)}>
                Insert
              </button>
            </div>
          )}
        </div>
      )}
      {state === 'dismissed' && <p className="muted cp-card-status">Dismissed.</p>}
      {error && (
        <div className="cp-card-error" role="alert">
          <p>{error}</p>
          {state === 'failed' && (
            <button type="button" onClick={() => setAsking(true)}>
              Try again…
            </button>
          )}
        </div>
      )}
      {asking && <ConfirmDialog title={action.title} text={(CONFIRM_WORDS[action.type] ?? ((c: string) => `Run this action for ${c}?`))(customerName)} reason={action.reason} onConfirm={confirm} onCancel={cancel} />}
    </article>
  );
}

function ConfirmDialog({ title, text, reason, onConfirm, onCancel }: { title: string; text: string; reason: string; onConfirm: () => void; onCancel: () => void }) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div className="cp-backdrop" onClick={onCancel}>
      <div
        className="cp-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="cp-confirm-title"
        aria-describedby="cp-confirm-text"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onCancel();
          }
          // Modal: Tab cycles between Confirm and Cancel, never out to the page behind.
          keepTabInside(e);
        }}
      >
        <h3 id="cp-confirm-title">{title}</h3>
        <p id="cp-confirm-text">{text}</p>
        <p className="muted">Why: {reason}</p>
        <div className="cp-card-actions">
          <button ref={confirmRef} type="button" className="primary" onClick={onConfirm} data-testid="copilot-confirm">
            Confirm
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
