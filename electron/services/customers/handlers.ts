import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { searchCustomers } from '../search/search-customers';
import { drainSpellingQueue } from '../search/spelling';
import { buildCustomer360 } from './customer-360';
import { listCustomers } from './list';
import { addNote, updateNote } from './notes';
import { refreshCustomer360 } from './refresh';

/** How often new customers' words join the typo-tolerance table (off the sync's write path). */
const SPELLING_DRAIN_MS = 2000;

export function registerCustomerHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void) => void): void {
  const accountId = () => ctx.workspace.current().id;
  table.register('customers', {
    'customers.search': ({ query, limit }) => searchCustomers(ctx.db, accountId(), query, { limit }),
    'customers.list': ({ offset, limit }) => listCustomers(ctx.db, accountId(), offset, limit),
    'customers.get': ({ customerId }) => buildCustomer360(ctx.db, accountId(), customerId, ctx.now()),
    'customers.refresh': ({ customerId }) => refreshCustomer360(ctx, customerId),
    'notes.add': ({ customerId, body }, call) => addNote(ctx, accountId(), customerId, body, call.actor),
    'notes.update': ({ noteId, body }, call) => updateNote(ctx, accountId(), noteId, body, call.actor),
  });

  let failures = 0;
  const timer = setInterval(() => {
    try {
      drainSpellingQueue(ctx.db, 5000);
      failures = 0;
    } catch (err) {
      // Retried on the next tick (a busy database clears); logged on the first failure and then
      // every 100th, so a lasting problem is visible without flooding the log.
      if (failures++ % 100 === 0) ctx.log.warn('search: spelling queue drain failed; typo tolerance may miss new customers', { error: err, failures });
    }
  }, SPELLING_DRAIN_MS);
  timer.unref?.();
  onClose(() => clearInterval(timer));
}
