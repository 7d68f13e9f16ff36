import { prepared } from '../db/statements';
import type { ServiceContext } from '../core/context';
import { addHistory, insertCase, latestCasesBySubject, updateCase, type CaseRecord } from './case-store';
import { invoiceSubject, observeInvoices, observeSettledHistory, observeSubscriptions, type ObserveScope } from './observe';
import { planSettledCase, planStripeCase } from './case-plan';
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

export { effectiveDeclineCode } from './case-plan';

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
      const plan = planStripeCase(current, s, nowS);
      switch (plan.kind) {
        case 'none':
          break;
        case 'open': {
          const id = insertCase(db, {
            ...plan.fields,
            account_id: accountId,
            customer_id: s.customerId,
            invoice_id: s.invoiceId,
            subject: s.subject,
            entered_amount: plan.enteredAmount,
            payment_method_at_decline: plan.paymentMethodAtDecline,
            opened_at: plan.openedAt,
          });
          addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'opened', toStage: 'new', detail: plan.fields.decline_code ?? null });
          result.opened++;
          touched.add(s.customerId);
          break;
        }
        case 'refresh': {
          const c = current!;
          updateCase(db, c.id, plan.changes);
          if (plan.newFailure) addHistory(db, { caseId: c.id, atMs: nowMs, actor: 'stripe', kind: 'failure', detail: plan.declineCode });
          result.refreshed++;
          touched.add(c.customer_id);
          break;
        }
        case 'close': {
          const c = current!;
          updateCase(db, c.id, { stage: plan.to, stage_changed_at: plan.closedAt, closed_at: plan.closedAt, closed_reason: plan.reason, recovered_amount: plan.recoveredAmount });
          addHistory(db, { caseId: c.id, atMs: nowMs, actor: 'stripe', kind: 'stage', fromStage: c.stage, toStage: plan.to, detail: plan.reason });
          result.closed++;
          touched.add(c.customer_id);
          break;
        }
      }
    }

    for (const h of observeSettledHistory(db, scope, nowS)) {
      const plan = planSettledCase(h, nowS);
      if (!plan) continue;
      const id = insertCase(db, {
        ...plan.fields,
        account_id: accountId,
        customer_id: h.customerId,
        invoice_id: h.invoiceId,
        subject: h.subject,
        entered_amount: plan.enteredAmount,
        payment_method_at_decline: plan.paymentMethodAtDecline,
        opened_at: plan.openedAt,
      });
      updateCase(db, id, { stage: plan.to, stage_changed_at: plan.closedAt, closed_at: plan.closedAt, closed_reason: plan.reason, recovered_amount: plan.recoveredAmount });
      addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'opened', toStage: 'new', detail: 'settled before the console first saw it' });
      addHistory(db, { caseId: id, atMs: nowMs, actor: 'stripe', kind: 'stage', fromStage: 'new', toStage: plan.to, detail: plan.reason });
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
