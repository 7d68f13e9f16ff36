import type Stripe from 'stripe';
import type { PortalConfigurationView } from '../../../shared/contract/portal';
import { checkFeatures, fromStripeConfiguration, toCreateParams, toUpdateParams } from '../../services/portal/configuration-mapping';
import { toPortalAppError } from '../../services/portal/portal-errors';
import { inTransaction } from '../db';
import { portalSettingsStore } from '../stores/portal-links';
import { teamState } from '../stores/team-state';
import { stripeKeyOfCall } from './idempotent';
import { TEAM_ENTITY, type TeamCallContext, type TeamHandlerMap } from './types';

// Customer Portal configurations on a team (admins change them; every agent lists them): the
// desk's mapping between the console's form and Stripe's object, through the account's paced
// Stripe client, with an idempotency key derived from the desk's (a forwarded repeat creates
// nothing twice) and an audit row naming the agent. Configurations live in Stripe, not in the
// feed: a desk lists them through the server (it holds no key), as a solo desk asks Stripe.

async function stripeCall<T>(ctx: TeamCallContext, doing: string, audit: { action: string; targetId?: string; params: Record<string, unknown> }, fn: (stripe: Stripe) => Promise<T>): Promise<T> {
  try {
    return await fn(await ctx.stripe(ctx.accountId));
  } catch (err) {
    const mapped = toPortalAppError(err, doing);
    await inTransaction(ctx.pool, async (tx) => {
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, targetType: 'portal_configuration', ...audit, result: 'error', errorMessage: mapped.message });
    });
    throw mapped;
  }
}

const withDefault = (c: PortalConfigurationView, defaultId: string | null): PortalConfigurationView => ({ ...c, isConsoleDefault: c.id === defaultId });

export const portalConfigurationHandlers: TeamHandlerMap = {
  'portal.configurations.list': async (_input, ctx) => {
    const { defaultConfigurationId } = await portalSettingsStore.get(ctx.pool, ctx.accountId);
    try {
      const stripe = await ctx.stripe(ctx.accountId);
      const all = await stripe.billingPortal.configurations.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
      // Stripe's default first, then the newest (as on a solo desk).
      return all.map((c) => fromStripeConfiguration(c, defaultConfigurationId)).sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.created - a.created);
    } catch (err) {
      throw toPortalAppError(err, 'listing the portal configurations');
    }
  },

  'portal.configurations.create': async ({ makeConsoleDefault, ...input }, ctx) => {
    checkFeatures(input.features);
    const params = toCreateParams(input);
    const idempotencyKey = stripeKeyOfCall('portal-config');
    const audit = { action: 'portal.configuration.create', params: { ...params, idempotency_key: idempotencyKey } };
    const created = await stripeCall(ctx, 'creating a portal configuration', audit, (stripe) => stripe.billingPortal.configurations.create(params, { idempotencyKey }));
    return inTransaction(ctx.pool, async (tx) => {
      const at = ctx.now();
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, targetType: 'portal_configuration', targetId: created.id, ...audit, result: 'ok' });
      let settings = await portalSettingsStore.get(tx, ctx.accountId);
      if (makeConsoleDefault && settings.defaultConfigurationId !== created.id) {
        // The team's default for new links: every desk learns it through the feed, as from portal.settings.set.
        settings = await portalSettingsStore.set(tx, { ...settings, defaultConfigurationId: created.id });
        await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.portalSettings, entityId: ctx.accountId, op: 'upsert', data: settings }]);
      }
      return withDefault(fromStripeConfiguration(created, null), settings.defaultConfigurationId);
    });
  },

  'portal.configurations.update': async ({ id, ...input }, ctx) => {
    checkFeatures(input.features);
    const params = toUpdateParams(input);
    const idempotencyKey = stripeKeyOfCall('portal-config');
    const audit = { action: 'portal.configuration.update', targetId: id, params: { ...params, idempotency_key: idempotencyKey } };
    const updated = await stripeCall(ctx, `updating portal configuration ${id}`, audit, (stripe) => stripe.billingPortal.configurations.update(id, params, { idempotencyKey }));
    return inTransaction(ctx.pool, async (tx) => {
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, targetType: 'portal_configuration', ...audit, result: 'ok' });
      const { defaultConfigurationId } = await portalSettingsStore.get(tx, ctx.accountId);
      return fromStripeConfiguration(updated, defaultConfigurationId);
    });
  },
};
