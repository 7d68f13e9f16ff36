import type { Customer360, NoteView } from '../../../../shared/contract/customers';
import { callKey, queryClient, useCall, useCallMutation } from '../../api/queries';

// The customer view's reads and writes. Writes put their answer straight into the cached
// customers.get answer (no refetch, no flash); the services' change notice then confirms it.

export function useCustomer360(customerId: string, options: { refetchOnMount?: 'always' } = {}) {
  return useCall('customers.get', { customerId }, options);
}

function updateCustomer(customerId: string, update: (c: Customer360) => Customer360): void {
  queryClient.setQueryData<Customer360>(callKey('customers.get', { customerId }), (c) => (c ? update(c) : c));
}

function withNote(c: Customer360, note: NoteView): Customer360 {
  const known = c.notes.some((n) => n.id === note.id);
  return { ...c, notes: known ? c.notes.map((n) => (n.id === note.id ? note : n)) : [note, ...c.notes] };
}

/** customers.refresh: the fresh customer replaces the cached one; the answer's message says how it went. */
export function useRefreshCustomer(customerId: string) {
  return useCallMutation('customers.refresh', { onSuccess: (r) => updateCustomer(customerId, () => r.customer) });
}

export function useAddNote(customerId: string) {
  return useCallMutation('notes.add', { onSuccess: (note) => updateCustomer(customerId, (c) => withNote(c, note)) });
}

export function useUpdateNote(customerId: string) {
  return useCallMutation('notes.update', { onSuccess: (note) => updateCustomer(customerId, (c) => withNote(c, note)) });
}
