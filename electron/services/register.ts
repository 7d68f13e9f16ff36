import type { ServiceContext } from './core/context';
import type { HandlerTable } from './core/handler-table';
import { registerCustomerHandlers } from './customers/handlers';
import { registerPortalHandlers } from './portal/handlers';
import { registerDunningHandlers } from './dunning/handlers';
import { registerCopilotHandlers } from './copilot/handlers';
import { registerSyncHandlers } from './sync/handlers';

/**
 * Each domain registers its handlers here. `onClose` receives cleanup (timers, pollers).
 * Keep one line per domain so parallel work touches separate lines.
 */
export function registerDomainHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void | Promise<void>) => void): void {
  registerCustomerHandlers(table, ctx, onClose);
  registerSyncHandlers(table, ctx, onClose);
  registerDunningHandlers(table, ctx, onClose);
  registerPortalHandlers(table, ctx);
  registerCopilotHandlers(table, ctx, onClose);
}
