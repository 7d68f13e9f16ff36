import { useRef, useState } from 'react';
import type { CopilotAction, CopilotCitation } from '../../../../shared/contract/copilot';
import { errorMessage } from '../../api/client';
import { useApp } from '../../app/store';
import { copyText } from '../../ui/clipboard';
import { CitationChip } from './CitationChip';
import { ACTION_KIND } from './labels';
import { useProposalOutcomes, type ProposalState } from './proposal-outcomes';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { useCallMutation } from '../../api/queries';

// A proposed action as a component: portal-link card, retry card, cancellation flow, pause,
// refund escalation — or an information card (explain an invoice, nothing to do). A write only
// runs after the agent confirms it in a dialog; it then goes through the same services as the
// buttons elsewhere in the console (audit, idempotency).

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
  // A confirmed action changed Stripe data: the customer, the queue and the links are read again.
  const confirmAction = useCallMutation('copilot.confirmAction', { invalidates: ['customers.get', 'dunning.list', 'dunning.get', 'portal.history'] });
  const dismissAction = useCallMutation('copilot.dismissAction');
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
      const r = await confirmAction.mutateAsync({ customerId, proposalId });
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
      await dismissAction.mutateAsync({ customerId, proposalId });
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
      {asking && <ConfirmActionDialog action={action} customerId={customerId} customerName={customerName} onConfirm={confirm} onCancel={cancel} />}
    </article>
  );
}
