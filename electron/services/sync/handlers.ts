import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import type { SyncManager } from './manager';

/**
 * The sync handlers, and the watch of the current account: started automatically by the app and
 * the harness (services built over the real process environment), not by tests that bring their
 * own environment object, unless BSC_SYNC_AUTOSTART=1; BSC_SYNC_AUTOSTART=0 turns it off (the CLI
 * runs its `sync` command itself). The manager itself is the context's (`ctx.registries.sync`),
 * built and closed with the services.
 */
export function registerSyncHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void | Promise<void>) => void): SyncManager {
  const manager = ctx.registries.sync;
  table.register('sync', {
    'sync.status': () => manager.status(ctx.workspace.current().id),
    'sync.start': ({ full }) => {
      const account = ctx.workspace.current();
      if (account.isDemo) throw new AppError('not_configured', 'The demo workspace is not synced with Stripe. Add a Stripe key in Settings to sync a real account.');
      return { started: manager.start(account.id, { full }) };
    },
  });

  const env = ctx.options.env ?? process.env;
  const flag = env.BSC_SYNC_AUTOSTART;
  const autostart = flag === '1' || (flag !== '0' && (ctx.options.env === undefined || ctx.options.env === process.env));
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  if (autostart) {
    // Deferred a moment: a short-lived host (a CLI command) closes before any request is made.
    timer = setTimeout(() => {
      timer = null;
      // A team desk follows the team server's feed instead (services/team).
      if (!ctx.workspace.isTeam()) manager.watchCurrent();
    }, 500);
    timer.unref?.();
    // An account added, switched or removed moves the watch.
    unsubscribe = ctx.hub.subscribe((channel, payload) => {
      if (channel === 'data.changed' && (payload as { kinds: string[] }).kinds.includes('accounts') && !timer && !ctx.workspace.isTeam()) manager.watchCurrent();
    });
  }
  onClose(() => {
    if (timer) clearTimeout(timer);
    unsubscribe?.();
  });
  return manager;
}
