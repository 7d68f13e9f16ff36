import Stripe from 'stripe';
import { isOpenDunningStage, type RetryOutcome } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { classifyDecline, describeAdviceCode, describeDeclineCode, type DeclineCategory } from '../../../shared/domain/decline-codes';
import { retryEligibility, retryIdempotencyKey } from '../../services/dunning/retry-policy';
import { toStripeAppError } from '../../services/stripe/errors';
import { inTransaction } from '../db';
import { asInnerStep } from './idempotent';
import { authorize } from '../roles';
import { teamState, type TeamCase } from '../stores/team-state';
import type { FeedChange } from '../stores/feed';
import { TEAM_ENTITY, type TeamCallContext, type TeamHandlerMap } from './types';

// "Retry the payment now" on a team: the server calls invoices.pay with the desk's policy (hard
// and authentication declines refused; the same idempotency key for the same attempt, so a
// repeated click is one charge), audits with the authenticated agent, and announces the case and
// its history through the feed. An agent may retry only a decline Stripe would retry; the server
// does not know the card at the time of the decline, so a changed card never unlocks a hard one.

const inFlight = new Map<string, Promise<RetryOutcome>>();

async function record(ctx: TeamCallContext, c: TeamCase, detail: string, audit: { params: Record<string, unknown>; result: 'ok' | 'error' | 'refused'; errorMessage?: string }, recovered?: number): Promise<void> {
  await inTransaction(ctx.pool, async (tx) => {
    const at = ctx.now();
    const changes: FeedChange[] = [];
    // A forwarded repeat of a retry that already succeeded gets Stripe's replayed answer: it is told
    // the outcome again, but the case, its history and the audit were written once.
    const now = (await teamState.casesForUpdate(tx, ctx.accountId, [c.id])).get(c.id);
    // Already recovered: by this retry's first forward (then nothing is written again), or by
    // Stripe's payment reaching the mirror first (a webhook can beat this transaction; the server
    // derives the recovery from it) - then the retry that made the payment is still recorded.
    if (recovered !== undefined && now?.stage === 'recovered' && (await teamState.hasSucceededRetry(tx, c.id))) return;
    if (recovered !== undefined && now?.stage !== 'recovered') {
      const after = await teamState.recoverCase(tx, c.id, recovered, Math.floor(at / 1000));
      changes.push({ accountId: ctx.accountId, entity: TEAM_ENTITY.dunningCase, entityId: String(c.id), op: 'upsert', data: after });
    }
    const h = await teamState.addHistory(tx, { caseId: c.id, at, actor: ctx.agent.name, actorAgentId: ctx.agent.id, kind: 'retry', fromStage: null, toStage: null, detail });
    changes.push({ accountId: ctx.accountId, entity: TEAM_ENTITY.dunningHistory, entityId: String(h.id), op: 'upsert', data: h });
    await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'dunning.retry', targetType: 'invoice', targetId: c.invoiceId ?? undefined, ...audit });
    await ctx.feed.append(tx, changes);
  });
}

export const retryHandlers: TeamHandlerMap = {
  'dunning.retry': async (input, ctx) => {
    // The case and its settled retries from one snapshot: a retry that settles in between cannot give a stale case a new key.
    // A read, not the call's answer (the answer is the outcome below).
    const { c, settled } = await asInnerStep(() =>
      inTransaction(
        ctx.pool,
        async (tx) => {
          const found = await teamState.caseById(tx, ctx.accountId, input.caseId);
          return { c: found, settled: found ? await teamState.settledRetries(tx, found.id) : 0 };
        },
        'repeatable read',
      ),
    );
    if (!c) throw new AppError('not_found', `No dunning case ${input.caseId} in this account.`);
    if (!isOpenDunningStage(c.stage)) throw new AppError('conflict', `The case is closed (${c.stage}); there is nothing to retry.`);
    if (!c.invoiceId) throw new AppError('conflict', 'This case has no open invoice to retry yet.');
    const category = c.category as DeclineCategory;
    const eligibility = retryEligibility({ category, declineCode: c.declineCode, paymentMethodAtDecline: null, currentPaymentMethod: null });
    authorize(ctx.agent.role, 'dunning.retry', input, { retryable: eligibility.allowed });
    const params = { case: c.id, category, decline_code: c.declineCode };
    if (!eligibility.allowed) {
      await record(ctx, c, `refused ${category}`, { params, result: 'refused', errorMessage: eligibility.reason! });
      throw new AppError('refused', eligibility.reason!, { category, decline_code: c.declineCode });
    }
    const idempotencyKey = retryIdempotencyKey({ accountId: ctx.accountId, caseId: c.id, invoiceId: c.invoiceId, attemptCount: c.failureMark, settledRetries: settled, paymentMethod: null });
    const running = inFlight.get(idempotencyKey);
    if (running) return running;
    const invoiceId = c.invoiceId;
    const attempt = (async (): Promise<RetryOutcome> => {
      const stripe = await ctx.stripe(ctx.accountId);
      try {
        const paid = await stripe.invoices.pay(invoiceId, {}, { idempotencyKey });
        await record(ctx, c, 'succeeded', { params: { ...params, idempotency_key: idempotencyKey }, result: 'ok' }, Math.min(paid.amount_paid, c.amountAtRisk > 0 ? c.amountAtRisk : paid.amount_paid));
        return { result: 'succeeded', caseId: c.id, invoiceId, idempotencyKey, amountPaid: paid.amount_paid, currency: paid.currency, message: 'The payment succeeded: the invoice is paid and the case is recovered.' };
      } catch (err) {
        if (err instanceof Stripe.errors.StripeCardError) {
          const declineCode = err.decline_code ?? (err.code && err.code !== 'card_declined' ? err.code : null);
          const adviceCode = err.advice_code ?? null;
          await record(ctx, c, `declined ${declineCode ?? 'card_declined'}`, { params: { ...params, idempotency_key: idempotencyKey, new_decline_code: declineCode, advice_code: adviceCode }, result: 'error', errorMessage: err.message });
          return { result: 'declined', caseId: c.id, invoiceId, idempotencyKey, declineCode, adviceCode, category: classifyDecline(declineCode), explanation: describeDeclineCode(declineCode), advice: describeAdviceCode(adviceCode), message: err.message };
        }
        const mapped = err instanceof AppError ? err : toStripeAppError(err, 'retrying the payment');
        await record(ctx, c, `error ${mapped.code}`, { params: { ...params, idempotency_key: idempotencyKey }, result: 'error', errorMessage: mapped.message });
        throw mapped;
      }
    })();
    inFlight.set(idempotencyKey, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(idempotencyKey);
    }
  },
};
