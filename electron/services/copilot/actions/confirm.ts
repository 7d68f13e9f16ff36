import type Stripe from 'stripe';
import type { CopilotActionArgs, CopilotConfirmResult, CopilotPortalFlow } from '../../../../shared/contract/copilot';
import { AppError } from '../../../../shared/contract/errors';
import type { DataChanged } from '../../../../shared/contract/streams';
import type { ServiceContext } from '../../core/context';
import { createPortalLink } from '../../portal/create-link';
import { ingestSubscription } from '../../stripe/ingest';
import { toStripeAppError } from '../../stripe/errors';
import { classifyDecline } from '../../../../shared/domain/decline-codes';
import { decideProposal, getProposal, proposalAction, type ProposalRow } from './proposals';
import { retryDunningCase } from '../../dunning/retry-payment';
import { addNote } from '../../customers/notes';
import { NOTE_MAX_LENGTH } from '../../../../shared/contract/ids';

// A person confirmed a proposed action: it runs through the same services as the buttons
// (portal links through createPortalLink, retries through the dunning retry when a case exists,
// refund escalations as a note through the notes service),
// with an idempotency key per attempt (attemptIdempotencyKey), and leaves an audit row saying which copilot
// proposal was confirmed by whom. Only a recorded proposal of THIS customer can be confirmed.

/** Retries an open invoice now. The dunning service provides this when it owns the invoice's case. */
export type RetryInvoiceHook = (ctx: ServiceContext, args: { customerId: string; invoiceId: string; actor: string; idempotencyKey: string }) => Promise<{ message: string; simulated: boolean }>;

export interface ConfirmDeps {
  retryInvoice?: RetryInvoiceHook;
}

type Outcome = { message: string; simulated: boolean; portalLink?: CopilotConfirmResult['portalLink']; changed: DataChanged['kinds'] };

function need<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new AppError('conflict', `This proposal has no ${what}; ask the copilot again.`);
  return value;
}

/** Without the dunning service: refuse what the rules refuse, then `invoices.pay` (simulated in the demo). */
export const fallbackRetryInvoice: RetryInvoiceHook = async (ctx, { customerId, invoiceId, idempotencyKey }) => {
  const account = ctx.workspace.current();
  const inv = ctx.db.prepare('SELECT status FROM invoices WHERE account_id = ? AND id = ? AND customer_id = ?').get(account.id, invoiceId, customerId) as { status: string | null } | undefined;
  if (!inv) throw new AppError('not_found', `Invoice ${invoiceId} is not in this customer's cache.`);
  if (inv.status !== 'open') throw new AppError('conflict', `Invoice ${invoiceId} is ${inv.status ?? 'not open'}; only an open invoice can be retried.`);
  const last = ctx.db.prepare(`SELECT decline_code FROM payment_attempts WHERE account_id = ? AND invoice_id = ? AND status = 'failed' ORDER BY created DESC LIMIT 1`).get(account.id, invoiceId) as { decline_code: string | null } | undefined;
  const category = classifyDecline(last?.decline_code);
  if (category === 'hard' || category === 'authentication') {
    throw new AppError('refused', 'The last decline means this card cannot be charged again; send a link to update the payment method instead.', { category });
  }
  if (account.isDemo) return { message: `Retry of ${invoiceId} simulated (demo workspace).`, simulated: true };
  try {
    const paid = await ctx.workspace.stripe(account.id).invoices.pay(invoiceId, {}, { idempotencyKey });
    return { message: paid.status === 'paid' ? `Invoice ${invoiceId} is now paid.` : `Invoice ${invoiceId} is ${paid.status}.`, simulated: false };
  } catch (err) {
    throw toStripeAppError(err, `retrying invoice ${invoiceId}`);
  }
};

/**
 * The retry button's path: the dunning case of this invoice, retried by the dunning service (its
 * eligibility guard, idempotency key, audit and case history). Without a case, the fallback above.
 */
export const dunningRetryInvoice: RetryInvoiceHook = async (ctx, args) => {
  const account = ctx.workspace.current();
  const c = ctx.db
    .prepare('SELECT id FROM dunning_cases WHERE account_id = ? AND customer_id = ? AND invoice_id = ? ORDER BY id DESC LIMIT 1')
    .get(account.id, args.customerId, args.invoiceId) as { id: number } | undefined;
  if (!c) return fallbackRetryInvoice(ctx, args);
  const outcome = await retryDunningCase(ctx, c.id, args.actor);
  if (outcome.result === 'declined') throw new AppError('card_declined', `The retry was declined: ${outcome.explanation ?? outcome.message}`, { decline_code: outcome.declineCode ?? null });
  return { message: outcome.message, simulated: outcome.result === 'simulated' };
};

async function updateSubscription(ctx: ServiceContext, subscriptionId: string, params: Stripe.SubscriptionUpdateParams, idempotencyKey: string, doing: string): Promise<boolean> {
  const account = ctx.workspace.current();
  if (account.isDemo) return true;
  try {
    const updated = await ctx.workspace.stripe(account.id).subscriptions.update(subscriptionId, params, { idempotencyKey });
    ingestSubscription(ctx.db, account.id, updated, Math.floor(ctx.now() / 1000));
    return false;
  } catch (err) {
    throw toStripeAppError(err, doing);
  }
}

/** Which attempt at this proposal a confirmation is: 1, or one more than the failed attempts before it. */
function attemptNumber(row: ProposalRow): number {
  if (row.status !== 'failed') return 1;
  const before = (JSON.parse(row.result_json ?? '{}') as { attempt?: unknown } | null)?.attempt;
  return (typeof before === 'number' && Number.isInteger(before) && before >= 1 ? before : 1) + 1;
}

/**
 * The Stripe idempotency key of one attempt. Repeats of one attempt (a double click, a retry after
 * a timeout) share it, so Stripe runs it once. "Try again…" after a failure is a new attempt and
 * gets a new key: with the old one Stripe would replay the stored failure for 24 hours.
 */
export function attemptIdempotencyKey(proposalId: string, attempt: number): string {
  return attempt === 1 ? `copilot-${proposalId}` : `copilot-${proposalId}-attempt-${attempt}`;
}

async function run(ctx: ServiceContext, row: ProposalRow, actor: string, deps: ConfirmDeps, key: string): Promise<Outcome> {
  const args = JSON.parse(row.args_json) as CopilotActionArgs;
  switch (row.type) {
    case 'send_portal_link': {
      const flow: CopilotPortalFlow = args.flow ?? 'home';
      const link = await createPortalLink(ctx, { customerId: row.customer_id, flow, subscriptionId: args.subscriptionId ?? undefined, idempotencyKey: key, actor });
      return {
        message: link.simulated ? 'Portal link created (simulated in the demo workspace).' : 'Portal link created. Copy it into the reply.',
        simulated: link.simulated,
        portalLink: { url: link.url, flow, simulated: link.simulated },
        changed: ['portal_links', 'audit'],
      };
    }
    case 'retry_payment': {
      const r = await (deps.retryInvoice ?? dunningRetryInvoice)(ctx, { customerId: row.customer_id, invoiceId: need(args.invoiceId, 'invoice'), actor, idempotencyKey: key });
      return { ...r, changed: ['invoices', 'dunning', 'audit'] };
    }
    case 'pause_subscription': {
      const sub = need(args.subscriptionId, 'subscription');
      const simulated = await updateSubscription(ctx, sub, { pause_collection: { behavior: 'void' } }, key, `pausing subscription ${sub}`);
      return { message: simulated ? 'Pause simulated (demo workspace).' : 'Collection paused: invoices are voided until the subscription is resumed.', simulated, changed: ['subscriptions', 'audit'] };
    }
    case 'cancel_subscription': {
      const sub = need(args.subscriptionId, 'subscription');
      const simulated = await updateSubscription(ctx, sub, { cancel_at_period_end: true }, key, `cancelling subscription ${sub}`);
      return { message: simulated ? 'Cancellation simulated (demo workspace).' : 'The subscription will cancel at the end of the current period.', simulated, changed: ['subscriptions', 'audit'] };
    }
    case 'escalate_refund': {
      // Refunds are decided by the billing team: the escalation is a note on the customer (the notes service audits it).
      const invoiceId = need(args.invoiceId, 'invoice');
      addNote(ctx, ctx.workspace.current().id, row.customer_id, `Refund escalated to the billing team for ${invoiceId}. ${row.reason}`.slice(0, NOTE_MAX_LENGTH), actor);
      return { message: 'Refund request escalated: a note was added for the billing team.', simulated: false, changed: ['notes', 'audit'] };
    }
    default:
      throw new AppError('conflict', `A "${row.type}" proposal has nothing to run.`);
  }
}

export async function confirmProposal(ctx: ServiceContext, customerId: string, proposalId: string, actor: string, deps: ConfirmDeps = {}): Promise<CopilotConfirmResult> {
  const account = ctx.workspace.current();
  const row = getProposal(ctx.db, account.id, customerId, proposalId);
  if (!row) throw new AppError('not_found', 'This proposal does not exist for this customer. Ask the copilot again.');
  if (row.status === 'info') throw new AppError('conflict', 'This suggestion is information only; there is nothing to confirm.');
  if (row.status === 'dismissed') throw new AppError('conflict', 'This proposal was dismissed. Ask the copilot again if it is needed after all.');
  if (row.status === 'confirmed') return { ...(JSON.parse(row.result_json ?? '{}') as CopilotConfirmResult), alreadyDone: true };
  // A second confirm while the first runs (a double click) shares it.
  return ctx.registries.copilotConfirmations.share(proposalId, async (): Promise<CopilotConfirmResult> => {
    const action = proposalAction(row);
    const attempt = attemptNumber(row);
    const audit = { accountId: account.id, actor, action: 'copilot.confirm', targetType: 'customer', targetId: customerId, idempotencyKey: proposalId };
    const params = { proposal: proposalId, type: row.type, source: row.source, ...action.args, ...(attempt > 1 ? { attempt } : {}) };
    let outcome: Outcome;
    try {
      outcome = await run(ctx, row, actor, deps, attemptIdempotencyKey(proposalId, attempt));
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'The action failed; the details are in the app log.';
      if (!(err instanceof AppError)) ctx.log.error('copilot action failed', { proposal: proposalId, type: row.type, error: err });
      const auditId = ctx.audit.record({ ...audit, params, result: 'error', errorMessage: message });
      decideProposal(ctx.db, proposalId, 'failed', actor, ctx.now(), { message, auditId, attempt });
      throw err instanceof AppError ? err : new AppError('internal', message);
    }
    const auditId = ctx.audit.record({ ...audit, params, result: outcome.simulated ? 'simulated' : 'ok' });
    const result: CopilotConfirmResult = { proposalId, type: row.type, status: 'confirmed', message: outcome.message, alreadyDone: false, portalLink: outcome.portalLink ?? null, auditId };
    decideProposal(ctx.db, proposalId, 'confirmed', actor, ctx.now(), result);
    ctx.hub.emit('data.changed', { accountId: account.id, kinds: outcome.changed, customerIds: [customerId] });
    return result;
  });
}

export function dismissProposal(ctx: ServiceContext, customerId: string, proposalId: string, actor: string): { proposalId: string; status: 'dismissed' | 'confirmed' | 'info' | 'proposed' | 'failed' } {
  const account = ctx.workspace.current();
  const row = getProposal(ctx.db, account.id, customerId, proposalId);
  if (!row) throw new AppError('not_found', 'This proposal does not exist for this customer.');
  if (row.status === 'confirmed') throw new AppError('conflict', 'This proposal was already confirmed; it cannot be dismissed.');
  if (row.status !== 'dismissed') decideProposal(ctx.db, proposalId, 'dismissed', actor, ctx.now(), null);
  return { proposalId, status: 'dismissed' };
}
