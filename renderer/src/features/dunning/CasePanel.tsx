import { format } from 'date-fns';
import { useEffect, useState } from 'react';
import type { DunningCaseDetail, ManualDunningStage } from '../../../../shared/contract/dunning';
import { useApp } from '../../app/store';
import { CopyId, Money, NextRetry, When } from '../../ui/format';
import { EmptyState, ErrorState } from '../../ui/states';
import { CATEGORY_BADGE, CATEGORY_HINTS, CATEGORY_LABELS, STAGE_BADGE, STAGE_LABELS } from './labels';
import { RetryPaymentButton } from './RetryDialog';
import { copyLinks } from './copy-links';
import { caseWrites, invalidateCase, useAssignees, useCaseDetail, useQueue } from './queries';
import { isOpenDunningStage } from '../../../../shared/contract/dunning';
import { useDunning } from './store';
import { errorMessage } from '../../api/client';
import { noteTooLong } from '../../ui/note-limit';
import { withKeys } from '../../app/keymap';
import { PresenceNote } from '../presence/PresenceNote';
import { useReportPresence } from '../presence/usePresence';

const MOVES: Array<{ to: ManualDunningStage; label: string }> = [
  { to: 'contacted', label: 'Mark contacted' },
  { to: 'awaiting_customer', label: 'Awaiting customer' },
  { to: 'new', label: 'Back to new' },
  { to: 'lost', label: 'Write off (lost)' },
];

/** The case under the cursor: why it failed, what can be done, who is on it, notes and history. */
export function CasePanel() {
  const { rows } = useQueue();
  const cursor = useDunning((s) => s.cursor);
  const current = rows[cursor];
  // The panel follows the cursor after a short pause, so holding J does not fetch every row.
  const [shownId, setShownId] = useState<number | null>(current?.id ?? null);
  useEffect(() => {
    const t = setTimeout(() => setShownId(current?.id ?? null), 120);
    return () => clearTimeout(t);
  }, [current?.id]);
  const query = useCaseDetail(shownId);
  const detail = query.data;
  if (query.error) return <aside className="dunning-panel"><ErrorState message={`Could not load the case: ${errorMessage(query.error)}`} onRetry={() => void query.refetch()} /></aside>;
  if (!current) return <aside className="dunning-panel" aria-label="Case details"><EmptyState title="No case selected" hint="Move through the queue with J / K or the arrow keys." /></aside>;
  if (!detail || detail.id !== current.id) return <aside className="dunning-panel" aria-label="Case details" aria-busy="true" />;
  return <CaseDetails key={detail.id} detail={detail} />;
}

function CaseDetails({ detail }: { detail: DunningCaseDetail }) {
  const { moveStage, assign, addNote, sendPortalLinks } = caseWrites;
  const assignees = useAssignees();
  const openCustomer = useApp((s) => s.openCustomer);
  const toast = useApp((s) => s.showToast);
  // The unsaved note lives in the store by case: clicking another case and back keeps it.
  const note = useDunning((s) => s.noteDrafts[detail.id] ?? '');
  const setNote = (text: string) => useDunning.getState().setNoteDraft(detail.id, text);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [assignee, setAssignee] = useState(detail.assignee ?? '');
  const open = isOpenDunningStage(detail.stage);
  // The case under the cursor is the one this agent works on: the team sees it on their desks.
  useReportPresence({ customerId: detail.customerId, caseId: detail.id });
  const refresh = () => invalidateCase();
  const act = async (fn: () => Promise<string>) => {
    try {
      toast(await fn());
      await refresh();
    } catch (err) {
      toast(err instanceof Error ? err.message : String(err), 'error');
    }
  };

  return (
    <aside className="dunning-panel" aria-label="Case details">
      <header className="dunning-panel-head">
        <div>
          <button type="button" className="dunning-link customer-link" onClick={() => openCustomer(detail.customerId)} title={withKeys('Open the customer', 'list.open')}>
            {detail.customerName ?? detail.customerEmail ?? detail.customerId}
          </button>
          {detail.customerEmail && detail.customerName && <div className="muted">{detail.customerEmail}</div>}
          <CopyId id={detail.customerId} />
          <PresenceNote customerId={detail.customerId} caseId={detail.id} />
        </div>
        <span className={STAGE_BADGE[detail.stage]}>{STAGE_LABELS[detail.stage]}</span>
      </header>

      <section className="dunning-panel-section">
        <div className="dunning-amount">
          <Money amount={detail.amountAtRisk} currency={detail.currency} /> <span className="muted">at risk</span>
        </div>
        {detail.invoiceId && (
          <div>
            Invoice <code>{detail.invoiceNumber}</code> <CopyId id={detail.invoiceId} />
          </div>
        )}
        <dl className="dunning-facts">
          <dt>Decline</dt>
          <dd>
            <span className={CATEGORY_BADGE[detail.category]} title={CATEGORY_HINTS[detail.category]}>
              {CATEGORY_LABELS[detail.category]}
            </span>{' '}
            {detail.declineCode && <code>{detail.declineCode}</code>}
            <div>{detail.declineExplanation}</div>
            {detail.adviceExplanation && <div className="muted">Stripe's advice: {detail.adviceExplanation}</div>}
          </dd>
          <dt>Attempts</dt>
          <dd>{detail.attemptCount}</dd>
          <dt>Next retry</dt>
          <dd>{detail.nextPaymentAttempt ? <NextRetry at={detail.nextPaymentAttempt} /> : 'none scheduled by Stripe'}</dd>
          <dt>In dunning</dt>
          <dd>
            {/* The exact opening date: a relative "2 days ago" beside a whole-day count of 1 read as a contradiction. */}
            {detail.daysInDunning} day{detail.daysInDunning === 1 ? '' : 's'} (opened <time dateTime={new Date(detail.openedAt * 1000).toISOString()}>{format(detail.openedAt * 1000, 'd MMM yyyy, HH:mm')}</time>)
          </dd>
          {!open && (
            <>
              <dt>Closed</dt>
              <dd>
                <When at={detail.closedAt} /> {detail.recoveredAmount > 0 && <>— recovered <Money amount={detail.recoveredAmount} currency={detail.currency} /></>}
              </dd>
            </>
          )}
        </dl>
      </section>

      {open && (
        <section className="dunning-panel-section dunning-actions">
          <div className="dunning-action-row">
            {detail.invoiceId && <RetryPaymentButton caseId={detail.id} disabledReason={detail.retry.reason} onDone={() => void refresh()} />}
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const r = await sendPortalLinks([detail.id]);
                  if (r.failed.length) throw new Error(r.failed[0]);
                  const copied = await copyLinks(r.sent.map((s) => s.url));
                  return `Payment-method update link created${r.sent[0]?.simulated ? ' (simulated: demo workspace)' : ''}${copied ? ' and copied' : ''}.`;
                })
              }
            >
              Send card-update link
            </button>
          </div>
          {!detail.retry.allowed && detail.retry.reason && <p className="dunning-refusal">{detail.retry.reason}</p>}
          <div className="dunning-action-row" role="group" aria-label="Move the case">
            {MOVES.filter((m) => m.to !== detail.stage).map((m) => (
              <button
                key={m.to}
                type="button"
                className={m.to === 'lost' ? 'danger' : ''}
                onClick={() =>
                  void act(async () => {
                    const r = await moveStage([detail.id], m.to);
                    if (r.refused.length) throw new Error(r.refused[0]);
                    return `Moved to ${STAGE_LABELS[m.to].toLowerCase()}.`;
                  })
                }
              >
                {m.label}
              </button>
            ))}
          </div>
          <form
            className="dunning-assign"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await assign([detail.id], assignee.trim() || null);
                return assignee.trim() ? `Assigned to ${assignee.trim()}.` : 'Unassigned.';
              });
            }}
          >
            <input list="dunning-assignees" aria-label="Assignee of this case" placeholder="Unassigned" value={assignee} onChange={(e) => setAssignee(e.target.value)} maxLength={80} />
            <datalist id="dunning-assignees">
              {assignees.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <button type="submit">Assign</button>
          </form>
        </section>
      )}

      <section className="dunning-panel-section">
        <h3>Notes</h3>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!note.trim()) return;
            // No maxLength on the box: it would cut a long paste silently. Say it, keep the text.
            const tooLong = noteTooLong(note);
            if (tooLong) return setNoteError(`${tooLong} Your text is still here: shorten it and add it again.`);
            setNoteError(null);
            void act(async () => {
              await addNote(detail.id, note.trim());
              setNote('');
              return 'Note added.';
            });
          }}
        >
          <textarea
            aria-label="New note on this case"
            rows={2}
            placeholder="What was said, what was promised…"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={noteError ? `dunning-note-error-${detail.id}` : undefined}
          />
          <button type="submit" disabled={!note.trim()}>
            Add note
          </button>
        </form>
        {noteError && (
          <p className="dunning-refusal" role="alert" id={`dunning-note-error-${detail.id}`}>
            {noteError}
          </p>
        )}
        {detail.notes.length === 0 ? (
          <p className="muted">No notes yet.</p>
        ) : (
          <ul className="dunning-notes">
            {detail.notes.map((n) => (
              <li key={n.id}>
                <p>{n.body}</p>
                <span className="muted">
                  {n.author}, <When at={n.createdAt} unit="ms" />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="dunning-panel-section">
        <h3>History</h3>
        <ul className="dunning-history">
          {detail.history.map((h) => (
            <li key={h.id}>
              <When at={h.at} unit="ms" /> <span className="muted">{h.actor}</span> {describeHistory(h)}
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}

function describeHistory(h: DunningCaseDetail['history'][number]): string {
  switch (h.kind) {
    case 'opened':
      return `opened the case${h.detail ? ` (${h.detail})` : ''}`;
    case 'stage':
      return `moved it ${h.fromStage ? `from ${STAGE_LABELS[h.fromStage as keyof typeof STAGE_LABELS] ?? h.fromStage} ` : ''}to ${STAGE_LABELS[h.toStage as keyof typeof STAGE_LABELS] ?? h.toStage}${h.detail ? ` (${h.detail.replace(/_/g, ' ')})` : ''}`;
    case 'assigned':
      return `assigned it to ${h.detail}`;
    case 'failure':
      return `recorded a new failed attempt${h.detail ? ` (${h.detail})` : ''}`;
    case 'retry':
      return `retried the payment: ${h.detail}`;
    case 'portal_link':
      return `sent a card-update link${h.detail?.includes('simulated') ? ' (simulated)' : ''}`;
  }
}
