import { isOpenDunningStage, type DunningClosedReason, type DunningStage, type ManualDunningStage } from '../../../shared/contract/dunning';

// The dunning stage machine, pure: given the latest case of a subject (an invoice, or a
// subscription with no open invoice) and one event, what happens.
//
//   new → contacted → awaiting_customer → recovered | lost
//
// Automatic events come from Stripe data as reconciled from the cache; manual ones from a person.
// Rules that keep the queue honest:
// - `recovered` only ever comes from Stripe reporting the invoice paid (a person cannot claim it);
// - terminal cases (recovered, lost) are never reopened or moved: a NEW failure after closing
//   (a higher failure mark than the case last saw) opens a new case in the same subject's chain;
// - a person may move an open case between the open stages or write it off (lost).


/** What reconcile observed in the cache for one subject. */
export type StripeObservation =
  /** Unpaid with a failure (or a past_due/unpaid subscription); `failureMark` grows with each new failure. */
  | { kind: 'failing'; failureMark: number }
  | { kind: 'paid'; amountPaid: number }
  | { kind: 'voided' }
  | { kind: 'uncollectible' }
  | { kind: 'subscription_canceled' }
  /** The subscription is active again (subscription-only cases): its invoice was paid. */
  | { kind: 'subscription_active'; amountPaid: number | null }
  /** The invoice or subscription no longer exists in the cache. */
  | { kind: 'gone' }
  /** Nothing dunning-related (e.g. a payment still processing). */
  | { kind: 'quiet' };

export type CaseEvent = { type: 'stripe'; observation: StripeObservation } | { type: 'manual'; to: ManualDunningStage | 'recovered' };

/** The part of a case the machine decides on. */
export interface CaseState {
  stage: DunningStage;
  failureMark: number;
  amountAtRisk: number;
}

export type Decision =
  | { kind: 'none' }
  /** Open a new case (the first for this subject, or after the previous one closed). */
  | { kind: 'open' }
  /** The open case stays open; its failure details are refreshed from Stripe data. */
  | { kind: 'refresh' }
  | { kind: 'move'; to: DunningStage; reason: DunningClosedReason | null; recoveredAmount?: number }
  | { kind: 'refused'; reason: string };

const CLOSE_ON: Partial<Record<StripeObservation['kind'], DunningClosedReason>> = {
  voided: 'voided',
  uncollectible: 'uncollectible',
  subscription_canceled: 'subscription_canceled',
  gone: 'object_gone',
};

export function decide(current: CaseState | null, event: CaseEvent): Decision {
  if (event.type === 'manual') return decideManual(current, event.to);
  const obs = event.observation;
  if (current == null || !isOpenDunningStage(current.stage)) {
    if (obs.kind !== 'failing') return { kind: 'none' };
    if (current == null || obs.failureMark > current.failureMark) return { kind: 'open' };
    return { kind: 'none' };
  }
  switch (obs.kind) {
    case 'failing':
      return { kind: 'refresh' };
    case 'paid':
      return { kind: 'move', to: 'recovered', reason: 'paid', recoveredAmount: recovered(obs.amountPaid, current.amountAtRisk) };
    case 'subscription_active':
      return { kind: 'move', to: 'recovered', reason: 'subscription_active', recoveredAmount: recovered(obs.amountPaid ?? current.amountAtRisk, current.amountAtRisk) };
    case 'quiet':
      return { kind: 'none' };
    default:
      return { kind: 'move', to: 'lost', reason: CLOSE_ON[obs.kind] ?? 'object_gone' };
  }
}

/** What was at risk is what came back; a payment larger than that (e.g. with later items) counts up to it. */
function recovered(amountPaid: number, atRisk: number): number {
  if (atRisk <= 0) return Math.max(0, amountPaid);
  return Math.max(0, Math.min(amountPaid, atRisk));
}

function decideManual(current: CaseState | null, to: ManualDunningStage | 'recovered'): Decision {
  if (current == null) return { kind: 'refused', reason: 'There is no such case.' };
  if (!isOpenDunningStage(current.stage)) {
    return { kind: 'refused', reason: `The case is closed (${current.stage}); a new failure opens a new case.` };
  }
  if (to === 'recovered') {
    return { kind: 'refused', reason: 'A case becomes recovered only when Stripe reports the invoice paid.' };
  }
  if (to === current.stage) return { kind: 'refused', reason: `The case is already ${label(to)}.` };
  return { kind: 'move', to, reason: to === 'lost' ? 'manual' : null };
}

export function label(stage: DunningStage): string {
  return stage === 'awaiting_customer' ? 'awaiting customer' : stage;
}
