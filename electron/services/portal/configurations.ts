import { randomUUID } from 'node:crypto';
import type { PortalConfigurationView, PortalFeaturesInput } from '../../../shared/contract/portal';
import type { ServiceContext } from '../core/context';
import { checkFeatures, fromStripeConfiguration, toCreateParams, toUpdateParams, type ConfigurationInput } from './configuration-mapping';
import { createDemoConfiguration, listDemoConfigurations, updateDemoConfiguration } from './demo-configurations';
import { getPortalSettings, setPortalSettings } from './portal-settings';
import { toPortalAppError } from './portal-errors';

// Portal configurations of the current account: Stripe's list (all pages), create and update,
// each write audited. `isConsoleDefault` mirrors the console's choice from the settings, since
// Stripe's own default (`is_default`) can only be changed in the Dashboard.

function withConsoleDefault(list: PortalConfigurationView[], consoleDefaultId: string | null): PortalConfigurationView[] {
  return list.map((c) => ({ ...c, isConsoleDefault: c.id === consoleDefaultId }));
}

export async function listPortalConfigurations(ctx: ServiceContext): Promise<PortalConfigurationView[]> {
  const account = ctx.workspace.current();
  const { defaultConfigurationId } = getPortalSettings(ctx.settings, account.id);
  if (account.isDemo) return withConsoleDefault(listDemoConfigurations(ctx.settings, ctx.now()), defaultConfigurationId);
  try {
    const all = await ctx.workspace.stripe(account.id).billingPortal.configurations.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    // Stripe's default first, then the newest.
    return all
      .map((c) => fromStripeConfiguration(c, defaultConfigurationId))
      .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.created - a.created);
  } catch (err) {
    throw toPortalAppError(err, 'listing the portal configurations');
  }
}

export async function createPortalConfiguration(
  ctx: ServiceContext,
  input: ConfigurationInput & { features: PortalFeaturesInput; makeConsoleDefault?: boolean },
  actor: string,
): Promise<PortalConfigurationView> {
  checkFeatures(input.features);
  const account = ctx.workspace.current();
  const audit = { accountId: account.id, actor, action: 'portal.configuration.create', targetType: 'portal_configuration' };
  let created: PortalConfigurationView;
  if (account.isDemo) {
    created = createDemoConfiguration(ctx.settings, input, ctx.now());
    ctx.audit.record({ ...audit, targetId: created.id, params: { name: input.name ?? null }, result: 'simulated' });
  } else {
    const params = toCreateParams(input);
    const idempotencyKey = `portal-config-${randomUUID()}`;
    try {
      const c = await ctx.workspace.stripe(account.id).billingPortal.configurations.create(params, { idempotencyKey });
      created = fromStripeConfiguration(c, null);
      ctx.audit.record({ ...audit, targetId: c.id, params: { ...params }, result: 'ok', idempotencyKey });
    } catch (err) {
      const mapped = toPortalAppError(err, 'creating a portal configuration');
      ctx.audit.record({ ...audit, params: { ...params }, result: 'error', errorMessage: mapped.message, idempotencyKey });
      throw mapped;
    }
  }
  if (input.makeConsoleDefault) setPortalSettings(ctx.settings, account.id, { defaultConfigurationId: created.id });
  const { defaultConfigurationId } = getPortalSettings(ctx.settings, account.id);
  return { ...created, isConsoleDefault: created.id === defaultConfigurationId };
}

export async function updatePortalConfiguration(ctx: ServiceContext, id: string, input: ConfigurationInput, actor: string): Promise<PortalConfigurationView> {
  checkFeatures(input.features);
  const account = ctx.workspace.current();
  const { defaultConfigurationId } = getPortalSettings(ctx.settings, account.id);
  const audit = { accountId: account.id, actor, action: 'portal.configuration.update', targetType: 'portal_configuration', targetId: id };
  if (account.isDemo) {
    const updated = updateDemoConfiguration(ctx.settings, id, input, ctx.now());
    ctx.audit.record({ ...audit, params: { fields: Object.keys(input) }, result: 'simulated' });
    return { ...updated, isConsoleDefault: updated.id === defaultConfigurationId };
  }
  const params = toUpdateParams(input);
  const idempotencyKey = `portal-config-${randomUUID()}`;
  try {
    const c = await ctx.workspace.stripe(account.id).billingPortal.configurations.update(id, params, { idempotencyKey });
    ctx.audit.record({ ...audit, params: { ...params }, result: 'ok', idempotencyKey });
    return fromStripeConfiguration(c, defaultConfigurationId);
  } catch (err) {
    const mapped = toPortalAppError(err, `updating portal configuration ${id}`);
    ctx.audit.record({ ...audit, params: { ...params }, result: 'error', errorMessage: mapped.message, idempotencyKey });
    throw mapped;
  }
}
