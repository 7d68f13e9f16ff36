import Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { isOpenDunningStage, type RetryOutcome } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { classifyDecline, describeAdviceCode, describeDeclineCode } from '../../../shared/domain/decline-codes';
import { toStripeAppError } from '../stripe/errors';
import { addHistory, getCase, type CaseRecord } from './case-store';
import { prepared } from '../db/statements';
import { reconcileDunning } from './reconcile';
import { refreshCustomerRow, refreshInvoiceRow } from '../sync/refresh';
import { planRetry } from './retry-policy';
import { currentPaymentMethod } from './payment-method';

// "Retry the payment now": a person-initiated `invoices.pay` with an idempotency key, refused for
// hard and authentication declines unless the card changed, audited with its result, simulated in
// the demo workspace. The outcome (paid, or the new decline in words) goes back to the person.

const RETRY_SETTLED = ['succeeded', 'declined'] as const;

function settledRetries(ctx: ServiceContext, caseId: number): number {
  const row = prepared(
    ctx.db,
    `SELECT COUNT(*) AS n FROM dunning_case_history WHERE case_id = ? AND kind = 'retry' AND (detail LIKE '${RETRY_SETTLED[0]}%' OR detail LIKE '${RETRY_SETTLED[1]}%')`,
  ).get(caseId) as { n: number };
  return row.n;
}

function openCaseForRetry(ctx: ServiceContext, caseId: number): { c: CaseRecord; invoiceId: string } {
  const c = getCase(ctx.db, caseId);
  if (!c || c.account_id !== ctx.workspace.current().id) throw new AppError('not_found', `No dunning case ${caseId} in this account.`);
  if (!isOpenDunningStage(c.stage)) throw new AppError('conflict', `The case is closed (${c.stage}); there is nothing to retry.`);
  if (!c.invoice_id) {
    throw new AppError('conflict', "This case has no open invoice in the cache to retry (the subscription's invoice has not been synced). Refresh the customer and try again.");
  }
  const inv = prepared(ctx.db, 'SELECT status FROM invoices WHERE account_id = ? AND id = ?').get(c.account_id, c.invoice_id) as { status: string | null } | undefined;
  if (inv && inv.status !== 'open') throw new AppError('conflict', `Invoice ${c.invoice_id} is ${inv.status ?? 'not open'}; only an open invoice can be retried.`);
  return { c, invoiceId: c.invoice_id };
}

export async function retryDunningCase(ctx: ServiceContext, caseId: number, actor: string): Promise<RetryOutcome> {
  const account = ctx.workspace.current();
  let { c, invoiceId } = openCaseForRetry(ctx, caseId);

  // A real account: read the customer's current default card first, so a card added in the portal
  // minutes ago unlocks the retry of a hard decline even before the next sync.
  if (!account.isDemo) {
    await refreshCustomerRow(ctx, account.id, c.customer_id);
    ({ c, invoiceId } = openCaseForRetry(ctx, caseId));
  }

  const currentPm = currentPaymentMethod(ctx.db, c);
  const audit = { accountId: account.id, actor, action: 'dunning.retry', targetType: 'invoice', targetId: invoiceId };
  const { eligibility, idempotencyKey } = planRetry(
    account.id,
    { id: c.id, invoiceId, category: c.category, declineCode: c.decline_code, paymentMethodAtDecline: c.payment_method_at_decline, attemptCount: c.attempt_count },
    currentPm,
    settledRetries(ctx, c.id),
  );
  if (!eligibility.allowed) {
    ctx.audit.record({ ...audit, params: { case: c.id, category: c.category, decline_code: c.decline_code }, result: 'error', errorMessage: eligibility.reason! });
    addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'retry', detail: `refused ${c.category}` });
    throw new AppError('refused', eligibility.reason!, { category: c.category, decline_code: c.decline_code });
  }

  const params = { case: c.id, category: c.category, decline_code: c.decline_code, payment_method_changed: eligibility.paymentMethodChanged };
  // Concurrent calls for the same key share one request (a double click in the same window).
  return ctx.registries.paymentRetries.share(idempotencyKey, async (): Promise<RetryOutcome> => {
    if (account.isDemo) {
      ctx.audit.record({ ...audit, params, result: 'simulated', idempotencyKey });
      addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'retry', detail: 'simulated' });
      return {
        result: 'simulated',
        caseId: c.id,
        invoiceId,
        idempotencyKey,
        message: 'Simulated: this is the demo workspace, so no payment was attempted. With a Stripe account connected, this retries the invoice payment now (invoices.pay).',
      };
    }
    const stripe = ctx.workspace.stripe(account.id);
    try {
      const paid = await stripe.invoices.pay(invoiceId, {}, { idempotencyKey });
      ctx.audit.record({ ...audit, params, result: 'ok', idempotencyKey });
      addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'retry', detail: 'succeeded' });
      await settleCache(ctx, account.id, c, invoiceId);
      return {
        result: 'succeeded',
        caseId: c.id,
        invoiceId,
        idempotencyKey,
        amountPaid: paid.amount_paid,
        currency: paid.currency,
        message: 'The payment succeeded: the invoice is paid and the case is recovered.',
      };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        const declineCode = err.decline_code ?? (err.code && err.code !== 'card_declined' ? err.code : null);
        const adviceCode = err.advice_code ?? null;
        ctx.audit.record({ ...audit, params: { ...params, new_decline_code: declineCode, advice_code: adviceCode }, result: 'error', errorMessage: err.message, idempotencyKey });
        addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'retry', detail: `declined ${declineCode ?? 'card_declined'}` });
        await settleCache(ctx, account.id, c, invoiceId);
        return {
          result: 'declined',
          caseId: c.id,
          invoiceId,
          idempotencyKey,
          declineCode,
          adviceCode,
          category: classifyDecline(declineCode),
          explanation: describeDeclineCode(declineCode),
          advice: describeAdviceCode(adviceCode),
          message: err.message,
        };
      }
      const mapped = toStripeAppError(err, 'retrying the payment');
      ctx.audit.record({ ...audit, params, result: 'error', errorMessage: mapped.message, idempotencyKey });
      addHistory(ctx.db, { caseId: c.id, atMs: ctx.now(), actor, kind: 'retry', detail: `error ${mapped.code}` });
      throw mapped;
    }
  });
}

/** Brings the invoice (and so the case) up to date after a real retry; a failed refresh is logged, the outcome stands. */
async function settleCache(ctx: ServiceContext, accountId: string, c: CaseRecord, invoiceId: string): Promise<void> {
  try {
    await refreshInvoiceRow(ctx, accountId, invoiceId);
    ctx.hub.emit('data.changed', { accountId, kinds: ['invoices', 'audit'], customerIds: [c.customer_id] });
    reconcileDunning(ctx, accountId, [c.customer_id]);
  } catch (err) {
    ctx.log.warn('could not refresh the invoice after a retry; the next sync will', { invoiceId, error: err });
  }
}
