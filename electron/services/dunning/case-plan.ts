import { classifyDecline } from '../../../shared/domain/decline-codes';
import type { DunningClosedReason, DunningStage } from '../../../shared/contract/dunning';
import type { CaseRecord } from './case-store';
import type { ObservedSubject } from './observe';
import { decide } from './stage-machine';

// What one Stripe observation does to a subject's latest case, pure: the rules reconcile applies
// on the desk (SQLite) and the team server applies to its PostgreSQL rows, so the two derive the
// same category, attempts, amount at risk and closing from the same Stripe objects. The callers
// only read the current case and write what the plan says.

/** The decline code to classify: Stripe's decline_code, else a specific failure code (never the generic 'card_declined'). */
export function effectiveDeclineCode(declineCode: string | null, failureCode: string | null): string | null {
  if (declineCode) return declineCode;
  if (failureCode && failureCode !== 'card_declined') return failureCode;
  return null;
}

/** The failure picture a case carries, from an observation. */
export function failureFields(s: ObservedSubject) {
  const code = effectiveDeclineCode(s.failure.declineCode, s.failure.failureCode);
  return {
    amount_at_risk: s.amountAtRisk,
    currency: s.currency,
    attempt_count: s.attemptCount,
    next_payment_attempt: s.nextPaymentAttempt,
    decline_code: code,
    advice_code: s.failure.adviceCode,
    category: classifyDecline(code),
    last_failure_at: s.failure.lastFailureAt,
    failure_mark: s.observation.kind === 'failing' ? s.observation.failureMark : 0,
    subscription_id: s.subscriptionId,
  };
}

export type FailureFields = ReturnType<typeof failureFields>;

/** The part of a case the plan reads (the desk's row shape; the server's rows use the same column names). */
export type PlannedCase = Pick<CaseRecord, 'stage' | 'failure_mark' | 'amount_at_risk' | 'opened_at' | 'payment_method_at_decline'> & Pick<CaseRecord, keyof FailureFields>;

export type CasePlan =
  | { kind: 'none' }
  /** A new case: the first of the subject, or a new failure after the previous one closed. */
  | { kind: 'open'; fields: FailureFields; enteredAmount: number; paymentMethodAtDecline: string | null; openedAt: number }
  /** The open case's failure details changed; `newFailure` when a new attempt failed (worth a history line). */
  | { kind: 'refresh'; changes: Partial<FailureFields & { payment_method_at_decline: string | null; opened_at: number }>; newFailure: boolean; declineCode: string | null }
  /** Stripe closed it: recovered when paid, lost when voided, uncollectible, canceled or gone. */
  | { kind: 'close'; to: DunningStage; reason: DunningClosedReason | null; recoveredAmount: number; closedAt: number };

function changedFields<T extends object>(current: object, next: T): Partial<T> {
  const out: Partial<T> = {};
  const held = current as Record<string, unknown>;
  for (const [k, v] of Object.entries(next) as Array<[keyof T, T[keyof T]]>) {
    if (held[k as string] !== v) out[k] = v;
  }
  return out;
}

/**
 * A case opened before any failed attempt's time was known (the invoice said attempt_count > 0,
 * its payments came in a later page or event) took the time of that observation; once the first
 * failure's own time is known it is the opening, so the result does not depend on the order in
 * which the objects arrived. A case with a known failure (a reopened one among them) keeps its opening.
 */
function earlierOpening(current: PlannedCase, s: ObservedSubject): { opened_at?: number } {
  const first = s.failure.firstFailureAt;
  return current.last_failure_at == null && first != null && first < current.opened_at ? { opened_at: first } : {};
}

export function planStripeCase(current: PlannedCase | null, s: ObservedSubject, nowS: number): CasePlan {
  const decision = decide(current ? { stage: current.stage, failureMark: current.failure_mark, amountAtRisk: current.amount_at_risk } : null, { type: 'stripe', observation: s.observation });
  switch (decision.kind) {
    case 'open': {
      // A case reopened after closing starts at the new failure; a first case at the first failure.
      const openedAt = (current ? s.failure.lastFailureAt : (s.failure.firstFailureAt ?? s.failure.lastFailureAt)) ?? nowS;
      return { kind: 'open', fields: failureFields(s), enteredAmount: s.amountAtRisk, paymentMethodAtDecline: s.failure.paymentMethodId ?? s.currentPaymentMethod, openedAt: Math.min(openedAt, nowS) };
    }
    case 'refresh': {
      const f = failureFields(s);
      const changes = changedFields(current!, {
        ...f,
        ...(s.failure.paymentMethodId ? { payment_method_at_decline: s.failure.paymentMethodId } : {}),
        ...earlierOpening(current!, s),
      });
      if (Object.keys(changes).length === 0) return { kind: 'none' };
      return { kind: 'refresh', changes, newFailure: changes.last_failure_at != null || changes.failure_mark != null, declineCode: f.decline_code };
    }
    case 'move':
      return {
        kind: 'close',
        to: decision.to,
        reason: decision.reason,
        recoveredAmount: decision.recoveredAmount ?? 0,
        closedAt: Math.max(current!.opened_at, Math.min(s.closedAt ?? nowS, nowS)),
      };
    default:
      return { kind: 'none' };
  }
}

/** How far back closed invoices with failed attempts become historical cases (the metrics look back 90 days). */
export const HISTORY_WINDOW_SECONDS = 120 * 86_400;

export interface SettledCasePlan {
  fields: FailureFields;
  enteredAmount: number;
  paymentMethodAtDecline: string | null;
  openedAt: number;
  closedAt: number;
  to: DunningStage;
  reason: DunningClosedReason | null;
  recoveredAmount: number;
}

/**
 * An invoice that went through dunning and was settled (paid, voided, uncollectible) before it
 * was first seen, with no case yet: a case opened and closed at once, so the recovery figures
 * cover the recent past. `s.amountAtRisk` is what was due while it was in dunning.
 */
export function planSettledCase(s: ObservedSubject, nowS: number): SettledCasePlan | null {
  const decision = decide({ stage: 'new', failureMark: s.attemptCount, amountAtRisk: s.amountAtRisk }, { type: 'stripe', observation: s.observation });
  if (decision.kind !== 'move') return null;
  const openedAt = Math.min(s.failure.firstFailureAt ?? s.failure.lastFailureAt ?? s.createdAt ?? nowS, nowS);
  return {
    fields: { ...failureFields(s), failure_mark: s.attemptCount },
    enteredAmount: s.amountAtRisk,
    paymentMethodAtDecline: s.failure.paymentMethodId,
    openedAt,
    closedAt: Math.max(openedAt, Math.min(s.closedAt ?? nowS, nowS)),
    to: decision.to,
    reason: decision.reason,
    recoveredAmount: decision.recoveredAmount ?? 0,
  };
}
