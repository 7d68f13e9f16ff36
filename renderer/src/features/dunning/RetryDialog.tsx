import { useEffect, useId, useRef, useState } from 'react';
import type { DunningCaseDetail, RetryOutcome } from '../../../../shared/contract/dunning';
import { CallFailure, errorMessage } from '../../api/client';
import { fetchCall, useCallMutation } from '../../api/queries';
import { CASE_READS } from './queries';
import { Money, When } from '../../ui/format';
import { Loading } from '../../ui/states';
import { CATEGORY_BADGE, CATEGORY_LABELS } from './labels';
import './dunning.css';
import { Modal } from '../../ui/Modal';
import { withKeys } from '../../app/keymap';
import { useWorkspace } from '../../app/workspace';

type Phase = { kind: 'loading' } | { kind: 'confirm'; detail: DunningCaseDetail } | { kind: 'running'; detail: DunningCaseDetail } | { kind: 'done'; detail: DunningCaseDetail; outcome: RetryOutcome } | { kind: 'error'; detail: DunningCaseDetail | null; message: string; refused: boolean };

/**
 * Confirmation before retrying a failed payment now (invoices.pay), then the outcome in words.
 * The confirm button is disabled while the request runs, and the service makes a double submit
 * one charge anyway (same idempotency key).
 */
export function RetryDialog({ caseId, onClose }: { caseId: number; onClose: (changed: boolean) => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const titleId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const mode = useWorkspace()?.mode;
  // A retry changes the case, the invoice and the metrics: they are read again whatever the outcome.
  const retry = useCallMutation('dunning.retry', { invalidates: CASE_READS });

  useEffect(() => {
    let live = true;
    fetchCall('dunning.get', { caseId })
      .then((detail) => live && setPhase({ kind: 'confirm', detail }))
      .catch((err) => live && setPhase({ kind: 'error', detail: null, message: errorMessage(err), refused: false }));
    return () => {
      live = false;
    };
  }, [caseId]);

  useEffect(() => {
    if (phase.kind === 'confirm') (phase.detail.retry.allowed ? confirmRef : closeRef).current?.focus();
    if (phase.kind === 'done' || phase.kind === 'error') closeRef.current?.focus();
  }, [phase]);

  const changed = phase.kind === 'done';
  // Esc and the backdrop close it, except while Stripe is being asked.
  const close = () => phase.kind !== 'running' && onClose(changed);

  const confirm = async () => {
    if (phase.kind !== 'confirm') return;
    const detail = phase.detail;
    setPhase({ kind: 'running', detail });
    try {
      setPhase({ kind: 'done', detail, outcome: await retry.mutateAsync({ caseId }) });
    } catch (err) {
      setPhase({ kind: 'error', detail, message: errorMessage(err), refused: err instanceof CallFailure && err.code === 'refused' });
    }
  };

  const detail = phase.kind === 'loading' ? null : phase.detail;
  return (
    <Modal onClose={close} aria-labelledby={titleId}>
      <div className="dunning-dialog">
        <h2 id={titleId}>Retry the payment now</h2>
        {phase.kind === 'loading' && <Loading label="Loading the case…" />}
        {detail && (
          <dl className="dunning-facts">
            <dt>Customer</dt>
            <dd>{detail.customerName ?? detail.customerEmail ?? detail.customerId}</dd>
            <dt>Invoice</dt>
            <dd>
              <code>{detail.invoiceNumber ?? detail.invoiceId ?? '—'}</code>
            </dd>
            <dt>Amount</dt>
            <dd>
              <Money amount={detail.amountAtRisk} currency={detail.currency} />
            </dd>
            <dt>Last decline</dt>
            <dd>
              <span className={CATEGORY_BADGE[detail.category]}>{CATEGORY_LABELS[detail.category]}</span> {detail.declineCode && <code>{detail.declineCode}</code>} — {detail.declineExplanation}
            </dd>
            <dt>Stripe's next retry</dt>
            <dd>{detail.nextPaymentAttempt ? <When at={detail.nextPaymentAttempt} /> : 'none scheduled'}</dd>
          </dl>
        )}
        {phase.kind === 'confirm' && !phase.detail.retry.allowed && (
          <p className="dunning-refusal" role="alert">
            {phase.detail.retry.reason}
          </p>
        )}
        {phase.kind === 'confirm' && phase.detail.retry.allowed && (
          <p className="muted">
            {mode === 'demo'
              ? 'Demo workspace: the retry is simulated, no payment is attempted.'
              : `Stripe charges the customer's ${phase.detail.retry.paymentMethodChanged ? 'new' : 'current'} default payment method now. This is a real charge${mode === 'live' ? ' in LIVE mode' : ' (test mode)'}.`}
          </p>
        )}
        {phase.kind === 'running' && <Loading label="Asking Stripe…" />}
        {phase.kind === 'done' && <RetryOutcomeView outcome={phase.outcome} />}
        {phase.kind === 'error' && (
          <p className={phase.refused ? 'dunning-refusal' : 'dunning-outcome error'} role="alert">
            {phase.message}
          </p>
        )}
        <div className="dunning-dialog-actions">
          {(phase.kind === 'confirm' || phase.kind === 'running') && (
            <button ref={confirmRef} type="button" className="primary" disabled={phase.kind === 'running' || (phase.kind === 'confirm' && !phase.detail.retry.allowed)} onClick={() => void confirm()}>
              {phase.kind === 'running' ? 'Retrying…' : 'Retry payment now'}
            </button>
          )}
          <button ref={closeRef} type="button" disabled={phase.kind === 'running'} onClick={() => onClose(changed)}>
            {phase.kind === 'done' || phase.kind === 'error' ? 'Close' : 'Cancel'}
          </button>
        </div>
      </div>
    </Modal>
  );
}

export function RetryOutcomeView({ outcome }: { outcome: RetryOutcome }) {
  if (outcome.result === 'succeeded') {
    return (
      <div className="dunning-outcome ok" role="status">
        <strong>Payment succeeded:</strong> <Money amount={outcome.amountPaid} currency={outcome.currency} /> collected. {outcome.message}
      </div>
    );
  }
  if (outcome.result === 'simulated') {
    return (
      <div className="dunning-outcome simulated" role="status">
        <strong>Simulated.</strong> {outcome.message}
      </div>
    );
  }
  return (
    <div className="dunning-outcome error" role="alert">
      <strong>Declined again{outcome.declineCode ? ` (${outcome.declineCode})` : ''}:</strong> {outcome.explanation}
      {outcome.advice && <p>Stripe's advice: {outcome.advice}</p>}
      <p className="muted">Stripe said: “{outcome.message}”</p>
    </div>
  );
}

/**
 * "Retry payment" for one dunning case, with its own confirmation dialog. Mount it anywhere a case
 * is shown (the customer view's actions bar, the copilot's retry card).
 */
export function RetryPaymentButton({ caseId, disabledReason, onDone, compact }: { caseId: number; disabledReason?: string | null; onDone?: () => void; compact?: boolean }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={buttonRef} type="button" className={compact ? '' : 'primary'} onClick={() => setOpen(true)} title={disabledReason ?? withKeys('Retry the failed payment now', 'queue.retry')}>
        Retry payment{compact ? '' : ' now'}
      </button>
      {open && (
        <RetryDialog
          caseId={caseId}
          onClose={(changed) => {
            setOpen(false);
            buttonRef.current?.focus();
            if (changed) onDone?.();
          }}
        />
      )}
    </>
  );
}
