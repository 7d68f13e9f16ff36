import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { PORTAL_FLOW_LABELS } from '../../../shared/contract/portal';
import { needsSubscription } from '../../../shared/domain/portal-flow-rules';
import { toPortalAppError } from '../../services/portal/portal-errors';
import { buildSessionParams } from '../../services/portal/session-params';
import { inTransaction } from '../db';
import { asInnerStep } from './idempotent';
import { portalLinks, portalSettingsStore } from '../stores/portal-links';
import { teamState } from '../stores/team-state';
import { TEAM_ENTITY, type TeamCallContext, type TeamHandlerMap } from './types';

// Customer Portal links on a team: the server holds the Stripe key and makes the session. One
// click = one idempotency key: a desk that forwards the same click twice (a retry after a dropped
// connection) gets the link already made and Stripe is not asked again. Every link and every
// failure leaves an audit row naming the authenticated agent; the link reaches every desk through
// the feed.

const createLink: NonNullable<TeamHandlerMap['portal.createLink']> = async (input, ctx) => {
    const idempotencyKey = input.idempotencyKey ?? `portal-${randomUUID()}`;
    const repeated = await portalLinks.byIdempotencyKey(ctx.pool, ctx.accountId, idempotencyKey);
    if (repeated) return repeated;
    const customer = await portalLinks.customer(ctx.pool, ctx.accountId, input.customerId);
    if (customer === 'deleted') throw new AppError('conflict', `Customer ${input.customerId} was deleted in Stripe; a deleted customer has no portal.`);
    const settings = await portalSettingsStore.get(ctx.pool, ctx.accountId);
    const returnUrl = input.returnUrl ?? settings.returnUrl;
    if (!returnUrl) {
      throw new AppError('not_configured', "No return URL is set for this team's account: the portal needs a page of your site to send the customer back to. An admin sets one in Settings → Customer portal.");
    }
    if (needsSubscription(input.flow) && !input.subscriptionId) {
      throw new AppError('bad_input', `"${PORTAL_FLOW_LABELS[input.flow]}" acts on one subscription: choose which one.`);
    }
    const configurationId = input.configurationId ?? settings.defaultConfigurationId ?? null;
    const subscriptionId = needsSubscription(input.flow) ? (input.subscriptionId ?? null) : null;
    const params = buildSessionParams({ customerId: input.customerId, flow: input.flow, subscriptionId, returnUrl, configurationId, items: input.items });
    const audit = {
      accountId: ctx.accountId,
      agentId: ctx.agent.id,
      actor: ctx.agent.name,
      action: 'portal.create_link',
      targetType: 'customer',
      targetId: input.customerId,
      params: { flow: input.flow, subscription: subscriptionId, return_url: returnUrl, configuration: configurationId, idempotency_key: idempotencyKey },
    };
    let session: { id: string; url: string };
    try {
      const stripe = await ctx.stripe(ctx.accountId);
      session = await stripe.billingPortal.sessions.create(params, { idempotencyKey });
    } catch (err) {
      const mapped = err instanceof AppError ? err : toPortalAppError(err, `creating the "${PORTAL_FLOW_LABELS[input.flow]}" portal link`);
      await inTransaction(ctx.pool, (tx) => teamState.audit(tx, { ...audit, atMs: ctx.now(), result: 'error', errorMessage: mapped.message }));
      throw mapped;
    }
    return inTransaction(ctx.pool, async (tx) => {
      const at = ctx.now();
      const link = await portalLinks.insert(tx, {
        accountId: ctx.accountId,
        customerId: input.customerId,
        subscriptionId,
        flow: input.flow,
        sessionId: session.id,
        url: session.url,
        returnUrl,
        configurationId,
        idempotencyKey,
        agentId: ctx.agent.id,
        actor: ctx.agent.name,
        atMs: at,
        recoversAfterExpiry: params.after_expiration?.type === 'customer_login',
      });
      // Two concurrent forwards of one click: Stripe answered both with the same session; the first row stands.
      if (!link) return (await portalLinks.byIdempotencyKey(tx, ctx.accountId, idempotencyKey))!;
      // The audit row holds what was asked and the session id, never the URL (it opens the customer's portal).
      await teamState.audit(tx, { ...audit, params: { ...audit.params, session: session.id }, atMs: at, result: 'ok' });
      await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.portalLink, entityId: String(link.id), op: 'upsert', data: link }]);
      return link;
    });
};

type SendLinksResult = { sent: Array<{ caseId: number; customerId: string; url: string; simulated: boolean }>; failed: Array<{ caseId: number; message: string }> };

async function sendLinks(ids: number[], ctx: TeamCallContext, out: SendLinksResult): Promise<void> {
  const cases = await inTransaction(ctx.pool, (tx) => teamState.casesForUpdate(tx, ctx.accountId, ids));
  const byCustomer = new Map<string, { url: string; simulated: boolean }>();
  const batch = randomUUID();
  for (const caseId of ids) {
    const c = cases.get(caseId);
    if (!c) {
      out.failed.push({ caseId, message: `No dunning case ${caseId} in this account.` });
      continue;
    }
    try {
      let link = byCustomer.get(c.customerId);
      if (!link) {
        // One key per customer per bulk action: a retried request returns the same link.
        const record = await createLink({ customerId: c.customerId, flow: 'payment_method_update', idempotencyKey: `dunning-pmu-${c.customerId}-${batch}` }, ctx);
        link = { url: record.url, simulated: record.simulated };
        byCustomer.set(c.customerId, link);
      }
      await inTransaction(ctx.pool, async (tx) => {
        const h = await teamState.addHistory(tx, { caseId: c.id, at: ctx.now(), actor: ctx.agent.name, actorAgentId: ctx.agent.id, kind: 'portal_link', fromStage: null, toStage: null, detail: 'payment_method_update' });
        await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.dunningHistory, entityId: String(h.id), op: 'upsert', data: h }]);
      });
      out.sent.push({ caseId: c.id, customerId: c.customerId, ...link });
    } catch (err) {
      if (!(err instanceof AppError)) ctx.log.error('portal link for a dunning case failed', { caseId, error: err });
      out.failed.push({ caseId, message: err instanceof AppError ? err.message : "Something went wrong creating the link; the details are in the team server's log." });
    }
  }
}

export const portalHandlers: TeamHandlerMap = {
  'portal.createLink': createLink,

  /** Bulk "send the payment-method-update link": one link per customer of the cases; failures per case in words. */
  'dunning.sendPortalLinks': async (input, ctx) => {
    const out: SendLinksResult = { sent: [], failed: [] };
    const ids = [...new Set(input.caseIds)];
    // Each link is its own step (a click of its own); the call's answer is the summary.
    await asInnerStep(() => sendLinks(ids, ctx, out));
    return out;
  },

  'portal.settings.get': (_input, ctx) => portalSettingsStore.get(ctx.pool, ctx.accountId),

  'portal.settings.set': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const current = await portalSettingsStore.get(tx, ctx.accountId);
      const next = {
        accountId: ctx.accountId,
        returnUrl: input.returnUrl === undefined ? current.returnUrl : input.returnUrl,
        defaultConfigurationId: input.defaultConfigurationId === undefined ? current.defaultConfigurationId : input.defaultConfigurationId,
      };
      await portalSettingsStore.set(tx, next);
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'portal.settings.set', targetType: 'account', targetId: ctx.accountId, params: { return_url: next.returnUrl, configuration: next.defaultConfigurationId }, result: 'ok' });
      await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.portalSettings, entityId: ctx.accountId, op: 'upsert', data: next }]);
      return next;
    }),
};
