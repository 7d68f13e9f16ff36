import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { searchCustomers } from '../search/search-customers';
import { startSearchIndexer } from '../search/background-indexer';
import { buildCustomer360 } from './customer-360';
import { listCustomers } from './list';
import { addNote, updateNote } from './notes';
import { refreshCustomer360 } from './refresh';

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

  onClose(startSearchIndexer(ctx.db, ctx.log));
}
