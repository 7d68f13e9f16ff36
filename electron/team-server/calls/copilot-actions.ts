import { z } from 'zod';
import { COPILOT_WRITE_ACTIONS, copilotActionArgsSchema, copilotProposalId, type CopilotConfirmResult, type CopilotPortalFlow } from '../../../shared/contract/copilot';
import { AppError } from '../../../shared/contract/errors';
import { customerId, NOTE_MAX_LENGTH } from '../../../shared/contract/ids';
import { attemptIdempotencyKey } from '../../services/copilot/actions/confirm';
import { toStripeAppError } from '../../services/stripe/errors';
import { inTransaction } from '../db';
import { authorizeCopilotAction } from '../roles';
import { copilotProposals, type TeamProposal } from '../stores/copilot-proposals';
import { liveObjects } from '../stores/mirror-reads';
import { teamState } from '../stores/team-state';
import type { Agent } from '../stores/agents';
import type pg from 'pg';
import { asInnerStep } from './idempotent';
import { noteChange } from './notes';
import { portalHandlers } from './portal';
import { retryHandlers } from './retry';
import type { TeamCallContext, TeamHandlerMap } from './types';

// Confirmed copilot actions on a team. The copilot runs on the desk (over its replica, the model
// through the server's proxy), so the desk brings the proposal it showed to the server
// (POST /v1/copilot/proposals) before it forwards copilot.confirmAction / dismissAction
// unchanged. The server trusts the proposal no more than the agent's own click: its shape is
// checked with the contract's schema, the objects it names must be this customer's in the
// server's mirror, and it runs through the same call as the button (portal.createLink,
// dunning.retry, a note) with that call's role rule. It is decided once: a repeat answers
// "already done", Stripe writes carry the proposal's idempotency key, and the outcome reaches
// desks through the feed entries of the call it ran.

/** What a desk brings: the proposal as its copilot recorded it (a write action; information needs no server). */
export const proposalRegistration = z
  .object({
    proposalId: copilotProposalId,
    customerId,
    type: z.enum(COPILOT_WRITE_ACTIONS as unknown as [string, ...string[]]),
    args: copilotActionArgsSchema.strict(),
    title: z.string().trim().min(1).max(500),
    reason: z.string().trim().min(1).max(5000),
    source: z.enum(['state', 'model']),
  })
  .strict();

const ARG_KEYS = ['invoiceId', 'subscriptionId', 'flow', 'retryAt'] as const;
const sameProposal = (a: TeamProposal, b: z.infer<typeof proposalRegistration>) => a.customerId === b.customerId && a.type === b.type && ARG_KEYS.every((k) => a.args[k] === b.args[k]);

/** Keeps a desk's proposal for its agent; the same proposal brought again is a no-op. */
export async function registerProposal(pool: pg.Pool, agent: Agent, accountId: string, raw: unknown, nowMs: number): Promise<{ proposalId: string; status: TeamProposal['status'] }> {
  const parsed = proposalRegistration.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_input', `This proposal cannot be kept: ${issue.path.join('.') || 'the body'}: ${issue.message}`);
  }
  const p = parsed.data;
  const args = { invoiceId: p.args.invoiceId, subscriptionId: p.args.subscriptionId, flow: p.args.flow, retryAt: p.args.retryAt };
  const kept = await copilotProposals.register(pool, { accountId, id: p.proposalId, customerId: p.customerId, agentId: agent.id, type: p.type as TeamProposal['type'], args, title: p.title, reason: p.reason, source: p.source }, nowMs);
  if (kept.agentId !== agent.id || !sameProposal(kept, p)) throw new AppError('conflict', 'Another proposal already has this id on the team server. Ask the copilot again.');
  return { proposalId: kept.id, status: kept.status };
}

type Outcome = { message: string; portalLink: CopilotConfirmResult['portalLink']; note?: boolean };

function need<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new AppError('conflict', `This proposal has no ${what}; ask the copilot again.`);
  return value;
}

/** The object the proposal names, from the server's mirror, and only if it is this customer's. */
async function customersObject(ctx: TeamCallContext, customer: string, id: string, what: string): Promise<Record<string, unknown>> {
  const obj = (await liveObjects(ctx.pool, ctx.accountId, [id])).get(id) as Record<string, unknown> | undefined;
  if (!obj || obj.customer !== customer) throw new AppError('not_found', `${what} ${id} is not one of this customer's on the team server. Nothing was done.`);
  return obj;
}

async function run(ctx: TeamCallContext, p: TeamProposal, key: string): Promise<Outcome> {
  switch (p.type) {
    case 'send_portal_link': {
      const flow: CopilotPortalFlow = p.args.flow ?? 'home';
      const link = await portalHandlers['portal.createLink']!({ customerId: p.customerId, flow, subscriptionId: p.args.subscriptionId ?? undefined, idempotencyKey: key }, ctx);
      return { message: 'Portal link created. Copy it into the reply.', portalLink: { url: link.url, flow, simulated: link.simulated } };
    }
    case 'retry_payment': {
      const invoiceId = need(p.args.invoiceId, 'invoice');
      const { rows } = await ctx.pool.query<{ id: number }>('SELECT id FROM dunning_cases WHERE account_id = $1 AND customer_id = $2 AND invoice_id = $3 ORDER BY id DESC LIMIT 1', [ctx.accountId, p.customerId, invoiceId]);
      if (!rows[0]) throw new AppError('conflict', `Invoice ${invoiceId} has no dunning case on the team: the team server retries the invoice of a case (the Dunning queue's Retry). Nothing was charged.`);
      // dunning.retry applies its own rule: an agent may not retry a decline Stripe would not retry.
      const outcome = await retryHandlers['dunning.retry']!({ caseId: Number(rows[0].id) }, ctx);
      if (outcome.result === 'declined') throw new AppError('card_declined', `The retry was declined: ${outcome.explanation ?? outcome.message}`, { decline_code: outcome.declineCode ?? null });
      return { message: outcome.message, portalLink: null };
    }
    case 'pause_subscription':
    case 'cancel_subscription': {
      const sub = need(p.args.subscriptionId, 'subscription');
      await customersObject(ctx, p.customerId, sub, 'Subscription');
      const pause = p.type === 'pause_subscription';
      const doing = `${pause ? 'pausing' : 'cancelling'} subscription ${sub}`;
      try {
        const stripe = await ctx.stripe(ctx.accountId);
        // The updated subscription reaches the mirror (and every desk) by its webhook or the events poll.
        await stripe.subscriptions.update(sub, pause ? { pause_collection: { behavior: 'void' } } : { cancel_at_period_end: true }, { idempotencyKey: key });
      } catch (err) {
        throw err instanceof AppError ? err : toStripeAppError(err, doing);
      }
      return { message: pause ? 'Collection paused: invoices are voided until the subscription is resumed.' : 'The subscription will cancel at the end of the current period.', portalLink: null };
    }
    case 'escalate_refund': {
      const invoiceId = need(p.args.invoiceId, 'invoice');
      await customersObject(ctx, p.customerId, invoiceId, 'Invoice');
      // The note is written in the transaction that decides the proposal: exactly once.
      return { message: 'Refund request escalated: a note was added for the billing team.', portalLink: null, note: true };
    }
    default:
      throw new AppError('conflict', `A "${p.type}" proposal has nothing to run.`);
  }
}

async function ownProposal(ctx: TeamCallContext, customer: string, id: string): Promise<TeamProposal> {
  const p = await copilotProposals.get(ctx.pool, ctx.accountId, id);
  if (!p || p.customerId !== customer) throw new AppError('not_found', 'The team server has no such proposal for this customer. Ask the copilot again.');
  if (p.agentId !== ctx.agent.id) throw new AppError('forbidden', "Refused: this proposal was made on another agent's desk; ask your own copilot.");
  return p;
}

const inFlight = new Map<string, Promise<CopilotConfirmResult>>();

async function confirm(ctx: TeamCallContext, customer: string, id: string): Promise<CopilotConfirmResult> {
  const p = await ownProposal(ctx, customer, id);
  if (p.status === 'dismissed') throw new AppError('conflict', 'This proposal was dismissed. Ask the copilot again if it is needed after all.');
  if (p.status === 'confirmed') return { ...(p.result as CopilotConfirmResult), alreadyDone: true };
  authorizeCopilotAction(ctx.agent.role, p.type);
  const attempt = p.status === 'failed' ? p.attempt + 1 : 1;
  const audit = { accountId: ctx.accountId, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'copilot.confirm', targetType: 'customer', targetId: customer };
  const params = { proposal: id, type: p.type, source: p.source, ...p.args, ...(attempt > 1 ? { attempt } : {}) };
  let outcome: Outcome;
  try {
    // The inner call's transactions are its own; this call's answer is the decision below.
    outcome = await asInnerStep(() => run(ctx, p, attemptIdempotencyKey(id, attempt)));
  } catch (err) {
    const message = err instanceof AppError ? err.message : "The action failed; the details are in the team server's log.";
    if (!(err instanceof AppError)) ctx.log.error('copilot action failed', { proposal: id, type: p.type, error: err });
    // A refusal by role leaves the proposal as it was (a lead may still confirm it on their own proposal later).
    if (!(err instanceof AppError && err.code === 'forbidden')) {
      await asInnerStep(() =>
        inTransaction(ctx.pool, async (tx) => {
          await teamState.audit(tx, { ...audit, atMs: ctx.now(), params, result: 'error', errorMessage: message });
          const now = await copilotProposals.forUpdate(tx, ctx.accountId, id);
          if (now && now.status !== 'confirmed') await copilotProposals.decide(tx, ctx.accountId, id, { status: 'failed', agentId: ctx.agent.id, atMs: ctx.now(), attempt, result: { message, attempt } });
        }),
      );
    }
    throw err instanceof AppError ? err : new AppError('internal', message);
  }
  return inTransaction(ctx.pool, async (tx) => {
    const now = (await copilotProposals.forUpdate(tx, ctx.accountId, id))!;
    // A concurrent confirm (another instance) decided it first: its outcome stands, nothing runs twice.
    if (now.status === 'confirmed') return { ...(now.result as CopilotConfirmResult), alreadyDone: true };
    const at = ctx.now();
    if (outcome.note) {
      const body = `Refund escalated to the billing team for ${p.args.invoiceId}. ${p.reason}`.slice(0, NOTE_MAX_LENGTH);
      const note = await teamState.addNote(tx, { accountId: ctx.accountId, customerId: customer, dunningCaseId: null, body, author: ctx.agent.name, authorAgentId: ctx.agent.id, atMs: at });
      await teamState.audit(tx, { ...audit, action: 'note.add', atMs: at, params: { noteId: note.id, length: body.length, proposal: id }, result: 'ok' });
      await ctx.feed.append(tx, [noteChange(ctx, note)]);
    }
    const auditId = await teamState.auditWithId(tx, { ...audit, atMs: at, params, result: 'ok' });
    const result: CopilotConfirmResult = { proposalId: id, type: p.type, status: 'confirmed', message: outcome.message, alreadyDone: false, portalLink: outcome.portalLink, auditId };
    await copilotProposals.decide(tx, ctx.accountId, id, { status: 'confirmed', agentId: ctx.agent.id, atMs: at, attempt, result });
    return result;
  });
}

export const copilotActionHandlers: TeamHandlerMap = {
  'copilot.confirmAction': async (input, ctx) => {
    // A double click forwarded twice to this instance shares one run.
    const running = inFlight.get(input.proposalId);
    if (running) return running;
    const attempt = confirm(ctx, input.customerId, input.proposalId);
    inFlight.set(input.proposalId, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(input.proposalId);
    }
  },

  'copilot.dismissAction': async (input, ctx) => {
    await ownProposal(ctx, input.customerId, input.proposalId);
    return inTransaction(ctx.pool, async (tx) => {
      const p = (await copilotProposals.forUpdate(tx, ctx.accountId, input.proposalId))!;
      if (p.status === 'confirmed') throw new AppError('conflict', 'This proposal was already confirmed; it cannot be dismissed.');
      if (p.status !== 'dismissed') {
        const at = ctx.now();
        await copilotProposals.decide(tx, ctx.accountId, p.id, { status: 'dismissed', agentId: ctx.agent.id, atMs: at, attempt: p.attempt, result: null });
        await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'copilot.dismiss', targetType: 'customer', targetId: p.customerId, params: { proposal: p.id, type: p.type }, result: 'ok' });
      }
      return { proposalId: p.id, status: 'dismissed' as const };
    });
  },
};
