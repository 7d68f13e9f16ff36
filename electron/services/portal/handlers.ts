import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { createPortalLink } from './create-link';
import { listPortalLinks } from './links-repo';
import { createPortalConfiguration, listPortalConfigurations, updatePortalConfiguration } from './configurations';
import { getPortalSettings, setPortalSettings } from './portal-settings';

export function registerPortalHandlers(table: HandlerTable, ctx: ServiceContext): void {
  table.register('portal', {
    'portal.createLink': (input, call) => createPortalLink(ctx, { ...input, actor: call.actor }),
    'portal.history': ({ customerId, limit }) => listPortalLinks(ctx.db, ctx.workspace.current().id, { customerId, limit }),
    'portal.configurations.list': () => listPortalConfigurations(ctx),
    'portal.configurations.create': (input, call) => createPortalConfiguration(ctx, input, call.actor),
    'portal.configurations.update': ({ id, ...input }, call) => updatePortalConfiguration(ctx, id, input, call.actor),
    'portal.settings.get': () => getPortalSettings(ctx.settings, ctx.workspace.current().id),
    'portal.settings.set': (input, call) => {
      const accountId = ctx.workspace.current().id;
      const result = setPortalSettings(ctx.settings, accountId, input);
      ctx.audit.record({ accountId, actor: call.actor, action: 'portal.settings.set', targetType: 'account', targetId: accountId, params: input, result: 'ok' });
      return result;
    },
  });
}
