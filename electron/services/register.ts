import type { ServiceContext } from './core/context';
import type { HandlerTable } from './core/handler-table';
import { registerPortalHandlers } from './portal/handlers';
import { registerDunningHandlers } from './dunning/handlers';

/**
 * Each domain registers its handlers here. `onClose` receives cleanup (timers, pollers).
 * Keep one line per domain so parallel work touches separate lines.
 */
export function registerDomainHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void | Promise<void>) => void): void {
  void table;
  void ctx;
  void onClose;
  // customers: registerCustomerHandlers(table, ctx);
  // sync: registerSyncHandlers(table, ctx, onClose);
  registerDunningHandlers(table, ctx, onClose);
  registerPortalHandlers(table, ctx);
  // copilot: registerCopilotHandlers(table, ctx, onClose);
}
