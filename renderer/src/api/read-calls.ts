import type { CallName, DataChanged } from '../../../shared/contract';

// Which change notices make a read call's cached answer stale. A `data.changed` notice names the
// kinds of rows written and, when it knows them, the customers touched: the query cache marks stale
// exactly the answers that show those rows, and only the ones on screen are fetched again.

type Kind = DataChanged['kinds'][number];

interface ReadCall {
  /** Kinds of rows the answer shows; an 'accounts' change (key added, account switched) stales every read. */
  shows: readonly Kind[];
  /** The customer the answer is about, read from the call's input: a notice about other customers passes it by. */
  customerOf?: (input: unknown) => string | undefined;
}

const customerIdField = (input: unknown) => (input as { customerId?: string } | undefined)?.customerId;
const dunningCustomer = (input: unknown) => (input as { filters?: { customerId?: string } } | undefined)?.filters?.customerId;

const BILLING: readonly Kind[] = ['customers', 'subscriptions', 'invoices', 'payment_methods'];

export const READ_CALLS = {
  'workspace.status': { shows: [] },
  'customers.list': { shows: ['customers'] },
  'customers.search': { shows: BILLING },
  'customers.get': { shows: [...BILLING, 'dunning', 'notes', 'portal_links'], customerOf: customerIdField },
  'sync.status': { shows: [] },
  'dunning.list': { shows: ['dunning'], customerOf: dunningCustomer },
  'dunning.get': { shows: ['dunning', 'notes'] },
  'dunning.metrics': { shows: ['dunning'] },
  'dunning.assignees': { shows: ['dunning'] },
  'dunning.views.list': { shows: [] },
  'portal.history': { shows: ['portal_links'] },
  'portal.settings.get': { shows: [] },
  'portal.configurations.list': { shows: [] },
  'kb.status': { shows: ['kb'] },
  'kb.get': { shows: ['kb'] },
  'copilot.settings.get': { shows: [] },
  'team.status': { shows: [] },
  'team.presence.list': { shows: ['presence'] },
} as const satisfies Partial<Record<CallName, ReadCall>>;

export type ReadCallName = keyof typeof READ_CALLS;

export function isReadCall(name: string): name is ReadCallName {
  return Object.prototype.hasOwnProperty.call(READ_CALLS, name);
}

/** True when the notice changed something the answer to `name(input)` shows. */
export function isStaleAfter(name: ReadCallName, input: unknown, change: Change): boolean {
  if (change.kinds.includes('accounts')) return true;
  const call: ReadCall = READ_CALLS[name];
  if (!change.kinds.some((k) => call.shows.includes(k))) return false;
  const customerId = call.customerOf?.(input);
  return !customerId || !change.customerIds || change.customerIds.includes(customerId);
}

export type Change = Pick<DataChanged, 'kinds' | 'customerIds'>;

/**
 * Two notices as one (a burst of sync pages is applied once): every kind of both; customers named
 * only when both name theirs, else any customer. Whatever either stales, the merge stales too.
 */
export function mergeChanges(a: Change, b: Change): Change {
  const kinds = [...new Set([...a.kinds, ...b.kinds])];
  return a.customerIds && b.customerIds ? { kinds, customerIds: [...new Set([...a.customerIds, ...b.customerIds])] } : { kinds };
}
