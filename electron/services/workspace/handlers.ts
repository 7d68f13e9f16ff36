import { AppError } from '../../../shared/contract/errors';
import type { WorkspaceStatus } from '../../../shared/contract/workspace';
import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { schemaVersion } from '../db/migrate';
import { parseExternalUrl } from '../../../shared/domain/external-url';
import { agentName, setAgentName } from './agent-name';
import { teamStatus } from '../team/handlers';

export interface WorkspaceRuntime {
  cacheRecovered: { movedTo: string; reason: string } | null;
  online: () => boolean;
}

export function workspaceStatus(ctx: ServiceContext, runtime: WorkspaceRuntime): WorkspaceStatus {
  const account = ctx.workspace.current();
  const sync = ctx.db.prepare('SELECT last_synced_at_ms FROM sync_state WHERE account_id = ?').get(account.id) as { last_synced_at_ms: number | null } | undefined;
  return {
    mode: ctx.workspace.mode(account),
    account,
    accounts: ctx.workspace.accounts(),
    lastSyncedAt: sync?.last_synced_at_ms ?? null,
    // A team desk is online when it hears the team server (it never talks to Stripe itself).
    online: ctx.registries.teamDesk ? ctx.registries.teamDesk.replica.status === 'online' : runtime.online(),
    schemaVersion: schemaVersion(ctx.db),
    cacheRecovered: runtime.cacheRecovered,
    agentName: agentName(ctx),
    appVersion: ctx.options.appVersion ?? '0.1.0',
    team: teamStatus(ctx),
  };
}

export function registerWorkspaceHandlers(table: HandlerTable, ctx: ServiceContext, runtime: WorkspaceRuntime): void {
  table.register('workspace', {
    'workspace.status': () => workspaceStatus(ctx, runtime),
    'workspace.setStripeKey': async ({ key }, call) => {
      const result = await ctx.workspace.addStripeKey(key);
      ctx.audit.record({ accountId: result.account.id, actor: call.actor, action: 'stripe_key.set', targetType: 'account', targetId: result.account.id, params: { kind: result.check.kind, livemode: result.check.livemode, hint: result.check.hint }, result: 'ok' });
      ctx.hub.emit('data.changed', { accountId: result.account.id, kinds: ['accounts'] });
      return result;
    },
    'workspace.clearStripeKey': ({ accountId }, call) => {
      ctx.workspace.removeStripeKey(accountId);
      ctx.audit.record({ accountId, actor: call.actor, action: 'stripe_key.clear', targetType: 'account', targetId: accountId, result: 'ok' });
      ctx.hub.emit('data.changed', { accountId, kinds: ['accounts'] });
      return { mode: ctx.workspace.mode() };
    },
    'workspace.switchAccount': ({ accountId }) => {
      ctx.workspace.switchTo(accountId);
      ctx.hub.emit('data.changed', { accountId, kinds: ['accounts'] });
      return workspaceStatus(ctx, runtime);
    },
    'workspace.setAgentName': ({ name }) => {
      setAgentName(ctx, name);
      return { agentName: name };
    },
    'app.openExternal': async ({ url }) => {
      const safe = parseExternalUrl(url);
      if (!safe) throw new AppError('bad_input', 'Only http and https links can be opened.');
      if (!ctx.options.host?.openExternal) return { opened: false };
      return { opened: await ctx.options.host.openExternal(safe) }; // eng-disable OPEN_EXTERNAL_JS_CHECK (reviewed: `safe` is parseExternalUrl's http(s)-only result)
    },
  });
}
