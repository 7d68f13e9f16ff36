import { prepared } from '../db/statements';
import type { ServiceContext } from '../core/context';
import { classifyDecline } from '../../../shared/domain/decline-codes';
import { addHistory, insertCase, latestCasesBySubject, updateCase, type CaseRecord } from './case-store';
import { invoiceSubject, observeInvoices, observeSettledHistory, observeSubscriptions, type ObserveScope, type ObservedSubject } from './observe';
import { decide, type CaseState } from './stage-machine';
import { isOpenDunningStage } from '../../../shared/contract/dunning';

// Derives dunning cases from the cache: observe every relevant subject, ask the stage machine what
// each observation means for the subject's latest case, write only what changed. Runs in one
// transaction; a reconcile that finds nothing new writes nothing, so calling it after every sync
// page is cheap.

export interface ReconcileResult {
  opened: number;
  refreshed: number;
  closed: number;
  /** Cases derived for invoices that went through dunning and were settled before the console saw them. */
  historical: number;
  observed: number;
  /** Customers whose cases changed (what the renderer refreshes). */
  customerIds: string[];
}

/** The decline code to classify: Stripe's decline_code, else a specific failure code (never the generic 'card_declined'). */
export function effectiveDeclineCode(declineCode: string | null, failureCode: string | null): string | null {
  if (declineCode) return declineCode;
  if (failureCode && failureCode !== 'card_declined') return failureCode;
  return null;
}

function stateOf(c: CaseRecord): CaseState {
  return { stage: c.stage, failureMark: c.failure_mark, amountAtRisk: c.amount_at_risk };
}

/** The failure picture a case carries, from an observation. */
function failureFields(s: ObservedSubject) {
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

function changedFields<T extends object>(current: T, next: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next) as Array<[keyof T, T[keyof T]]>) {
    if (current[k] !== v) out[k] = v;
  }
  return out;
}

function isTeamReplica(db: ServiceContext['db'], accountId: string): boolean {
  return prepared(db, 'SELECT 1 FROM team_replica WHERE account_id = ?').get(accountId) !== undefined;
}

export function reconcileDunning(ctx: ServiceContext, accountId: string, customerIds?: readonly string[]): ReconcileResult {
  const { db } = ctx;
  const nowMs = ctx.now();
  const nowS = Math.floor(nowMs / 1000);
  const scope: ObserveScope = { accountId, customerIds: customerIds ? [...new Set(customerIds)] : undefined };
  const result: ReconcileResult = { opened: 0, refreshed: 0, closed: 0, historical: 0, observed: 0, customerIds: [] };
  if (scope.customerIds && scope.customerIds.length === 0) return result;
  // A team's cases are the team server's (its ids, its people's decisions): a replica never opens or moves one itself.
  if (isTeamReplica(db, accountId)) return result;
  const touched = new Set<string>();

  db.transaction(() => {
    const subjects = [...observeInvoices(db, scope), ...observeSubscriptions(db, scope)];
    result.observed = subjects.length;
    const latest = latestCasesBySubject(db, accountId, subjects.map((s) => s.subject));
    // An open subscription-only case whose subscription now has a failing open invoice is the
    // same episode: the invoice adopts the case rather than opening a second one.
    const openBySubscription = new Map<string, CaseRecord>();
    for (const c of latest.values()) if (c.invoice_id == null && c.subscription_id && isOpenDunningStage(c.stage)) openBySubscription.set(c.subscription_id, c);

    for (const s of subjects) {
      let current = latest.get(s.subject) ?? null;
      if (!current && s.invoiceId && s.subscriptionId && s.observation.kind === 'failing') {
        const adopted = openBySubscription.get(s.subscriptionId);
        if (adopted) {
          updateCase(db, adopted.id, { invoice_id: s.invoiceId, subject: invoiceSubject(s.invoiceId) });
          openBySubscription.delete(s.subscriptionId);
          current = { ...adopted, invoice_id: s.invoiceId, subject: invoiceSubject(s.invoiceId) };
        }
      }
      const decision = decide(current ? stateOf(current) : null, { type: 'stripe', observation: s.observation });
      switch (decision.kind) {
        case 'none':
        case 'refused':
          break;
        case 'open': {
          const f = failureFields(s);
          // A case reopened after closing starts at the new failure; a first case at the first failure.
          const openedAt = (current ? s.failure.lastFailureAt : (s.failure.firstFailureAt ?? s.failure.lastFailureAt)) ?? nowS;
          const id = insertCase(db, {
            ...f,
            account_id: accountId,
            customer_id: s.customerId,
            invoice_id: s.invoiceId,
            subject: s.subject,
            entered_amount: s.amountAtRisk,
            payment_method_at_decline: s.failure.paymentMethodId ?? s.currentPaymentMethod,
            opened_at: Math.min(openedAt, nowS),
          });
          addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'opened', toStage: 'new', detail: f.decline_code ?? null });
          result.opened++;
          touched.add(s.customerId);
          break;
        }
        case 'refresh': {
          const c = current!;
          const f = failureFields(s);
          const next = { ...f, ...(s.failure.paymentMethodId ? { payment_method_at_decline: s.failure.paymentMethodId } : {}) };
          const changes = changedFields(c, next);
          if (Object.keys(changes).length > 0) {
            updateCase(db, c.id, changes);
            if (changes.last_failure_at != null || changes.failure_mark != null) {
              addHistory(db, { caseId: c.id, atMs: nowMs, actor: 'stripe', kind: 'failure', detail: f.decline_code ?? null });
            }
            result.refreshed++;
            touched.add(c.customer_id);
          }
          break;
        }
        case 'move': {
          const c = current!;
          const closedAt = Math.max(c.opened_at, Math.min(s.closedAt ?? nowS, nowS));
          updateCase(db, c.id, {
            stage: decision.to,
            stage_changed_at: closedAt,
            closed_at: closedAt,
            closed_reason: decision.reason,
            recovered_amount: decision.recoveredAmount ?? 0,
          });
          addHistory(db, { caseId: c.id, atMs: nowMs, actor: 'stripe', kind: 'stage', fromStage: c.stage, toStage: decision.to, detail: decision.reason });
          result.closed++;
          touched.add(c.customer_id);
          break;
        }
      }
    }

    for (const h of observeSettledHistory(db, scope, nowS)) {
      const decision = decide({ stage: 'new', failureMark: h.attemptCount, amountAtRisk: h.amountAtRisk }, { type: 'stripe', observation: h.observation });
      if (decision.kind !== 'move') continue;
      const f = failureFields(h);
      const openedAt = Math.min(h.failure.firstFailureAt ?? h.failure.lastFailureAt ?? h.createdAt ?? nowS, nowS);
      const closedAt = Math.max(openedAt, Math.min(h.closedAt ?? nowS, nowS));
      const id = insertCase(db, {
        ...f,
        failure_mark: h.attemptCount,
        account_id: accountId,
        customer_id: h.customerId,
        invoice_id: h.invoiceId,
        subject: h.subject,
        entered_amount: h.amountAtRisk,
        payment_method_at_decline: h.failure.paymentMethodId,
        opened_at: openedAt,
      });
      updateCase(db, id, { stage: decision.to, stage_changed_at: closedAt, closed_at: closedAt, closed_reason: decision.reason, recovered_amount: decision.recoveredAmount ?? 0 });
      addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'opened', toStage: 'new', detail: 'settled before the console first saw it' });
      addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'stage', fromStage: 'new', toStage: decision.to, detail: decision.reason });
      result.historical++;
      touched.add(h.customerId);
    }
  })();

  result.customerIds = [...touched];
  // A start-up reconcile can touch thousands of customers: then the notice says "everything".
  if (touched.size > 0) {
    ctx.hub.emit('data.changed', { accountId, kinds: ['dunning'], ...(touched.size <= 500 ? { customerIds: result.customerIds } : {}) });
  }
  return result;
}
