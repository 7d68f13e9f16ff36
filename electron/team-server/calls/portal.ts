import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract/errors';
import { PORTAL_FLOW_LABELS } from '../../../shared/contract/portal';
import { needsSubscription } from '../../../shared/domain/portal-flow-rules';
import { toPortalAppError } from '../../services/portal/portal-errors';
import { buildSessionParams } from '../../services/portal/session-params';
import { inTransaction } from '../db';
import { portalLinks, portalSettingsStore } from '../stores/portal-links';
import { teamState } from '../stores/team-state';
import { TEAM_ENTITY, type TeamHandlerMap } from './types';

// Customer Portal links on a team: the server holds the Stripe key and makes the session. One
// click = one idempotency key: a desk that forwards the same click twice (a retry after a dropped
// connection) gets the link already made and Stripe is not asked again. Every link and every
// failure leaves an audit row naming the authenticated agent; the link reaches every desk through
// the feed.

export const portalHandlers: TeamHandlerMap = {
  'portal.createLink': async (input, ctx) => {
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
