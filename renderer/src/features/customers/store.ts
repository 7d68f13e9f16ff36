import { create } from 'zustand';
import type { Customer360, CustomerListRow, NoteView, SearchHit } from '../../../../shared/contract/customers';
import { api, CallFailure, errorMessage } from '../../api/client';

// The customers feature's state: the browsable list (pages of customers.list, or search hits when
// the filter box has text) and the customer open in the 360 view. Each kind of request carries a
// sequence number; an answer that arrives after a newer request was made is dropped, so a fast
// typist or a quick switch between customers never sees an older answer replace a newer one.

const PAGE = 200;

type Status = 'idle' | 'loading' | 'ready' | 'error';

interface CustomersState {
  // The list (no customer open).
  filter: string;
  rows: CustomerListRow[];
  total: number;
  listStatus: Status;
  listError: string | null;
  loadingMore: boolean;
  /** Search hits for the filter box (null while the filter is empty: the paged list is shown). */
  hits: SearchHit[] | null;
  /** Why the filter's search failed (its empty `hits` then mean "unknown", not "no match"). */
  filterError: string | null;
  cursor: number;

  // The open customer.
  customer: Customer360 | null;
  customerStatus: Status;
  customerError: string | null;
  /** The error's code ('not_found' for a customer deleted in Stripe or not in the cache). */
  customerErrorCode: string | null;
  refreshing: boolean;
  /** The last refresh's outcome in one sentence ("Refreshed from Stripe."). */
  refreshMessage: string | null;
  /** Unix ms when the open customer was last read from the cache (shown next to syncedAt). */
  loadedAt: number | null;
  /** Unsaved new-note text by customer id: leaving a customer (Esc) and coming back keeps it. */
  noteDrafts: Record<string, string>;

  setNoteDraft(customerId: string, text: string): void;
  setFilter(filter: string): void;
  loadList(): Promise<void>;
  loadMore(): Promise<void>;
  setCursor(index: number): void;
  loadCustomer(customerId: string, opts?: { quiet?: boolean }): Promise<void>;
  closeCustomer(): void;
  refreshCustomer(): Promise<void>;
  addNote(body: string): Promise<NoteView>;
  updateNote(noteId: number, body: string): Promise<NoteView>;
}

let listRequest = 0;
let filterRequest = 0;
let customerRequest = 0;

export const useCustomers = create<CustomersState>((set, get) => ({
  filter: '',
  rows: [],
  total: 0,
  listStatus: 'idle',
  listError: null,
  loadingMore: false,
  hits: null,
  filterError: null,
  cursor: 0,
  customer: null,
  customerStatus: 'idle',
  customerError: null,
  customerErrorCode: null,
  refreshing: false,
  refreshMessage: null,
  loadedAt: null,
  noteDrafts: {},

  setNoteDraft: (customerId, text) => set((s) => ({ noteDrafts: { ...s.noteDrafts, [customerId]: text } })),

  setFilter: (filter) => {
    set({ filter, cursor: 0 });
    const query = filter.trim();
    const seq = ++filterRequest;
    if (!query) return set({ hits: null, filterError: null });
    api.call('customers.search', { query, limit: 100 }).then(
      (hits) => {
        if (seq === filterRequest) set({ hits, filterError: null });
      },
      (err) => {
        if (seq === filterRequest) set({ hits: [], filterError: `Could not search the customers: ${errorMessage(err)}` });
      },
    );
  },

  loadList: async () => {
    const seq = ++listRequest;
    set({ listStatus: get().rows.length ? 'ready' : 'loading', listError: null });
    try {
      // A reload (data changed) keeps as many rows as were loaded, up to one call's maximum, so the
      // agent's scroll position still has rows under it.
      const page = await api.call('customers.list', { offset: 0, limit: Math.min(500, Math.max(PAGE, get().rows.length)) });
      if (seq !== listRequest) return;
      set({ rows: page.rows, total: page.total, listStatus: 'ready' });
    } catch (err) {
      if (seq !== listRequest) return;
      set({ listStatus: 'error', listError: `Could not load the customers: ${errorMessage(err)}` });
    }
  },

  loadMore: async () => {
    const { rows, total, loadingMore } = get();
    if (loadingMore || rows.length >= total) return;
    const seq = listRequest;
    set({ loadingMore: true });
    try {
      const page = await api.call('customers.list', { offset: rows.length, limit: PAGE });
      if (seq !== listRequest) return;
      set((s) => ({ rows: [...s.rows, ...page.rows], total: page.total }));
    } catch (err) {
      if (seq === listRequest) set({ listError: `Could not load more customers: ${errorMessage(err)}` });
    } finally {
      set({ loadingMore: false });
    }
  },

  setCursor: (cursor) => set({ cursor }),

  loadCustomer: async (customerId, opts = {}) => {
    const seq = ++customerRequest;
    const same = get().customer?.id === customerId;
    // A quiet reload (data.changed, after a note) keeps the view on screen: no flash, no lost focus.
    if (!opts.quiet || !same) set({ customerStatus: 'loading', customerError: null, ...(same ? {} : { customer: null, refreshMessage: null }) });
    try {
      const customer = await api.call('customers.get', { customerId });
      if (seq !== customerRequest) return;
      set({ customer, customerStatus: 'ready', customerError: null, loadedAt: Date.now() });
    } catch (err) {
      if (seq !== customerRequest) return;
      set({ customerStatus: 'error', customerError: errorMessage(err), customerErrorCode: err instanceof CallFailure ? err.code : null });
    }
  },

  closeCustomer: () => {
    customerRequest++;
    set({ customer: null, customerStatus: 'idle', customerError: null, refreshMessage: null });
  },

  refreshCustomer: async () => {
    const current = get().customer;
    if (!current || get().refreshing) return;
    const seq = ++customerRequest;
    set({ refreshing: true, refreshMessage: null });
    try {
      const result = await api.call('customers.refresh', { customerId: current.id });
      if (seq !== customerRequest) return;
      set({ customer: result.customer, refreshMessage: result.message, loadedAt: Date.now(), customerError: null });
    } catch (err) {
      if (seq !== customerRequest) return;
      // The cached data stays on screen; the message says the refresh failed and why.
      set({ refreshMessage: `Refresh failed: ${errorMessage(err)} The cached data is shown.` });
    } finally {
      set({ refreshing: false });
    }
  },

  addNote: async (body) => {
    const customer = get().customer;
    if (!customer) throw new Error('No customer is open.');
    const note = await api.call('notes.add', { customerId: customer.id, body });
    set((s) => (s.customer?.id === customer.id ? { customer: { ...s.customer, notes: [note, ...s.customer.notes.filter((n) => n.id !== note.id)] } } : s));
    return note;
  },

  updateNote: async (noteId, body) => {
    const note = await api.call('notes.update', { noteId, body });
    set((s) => (s.customer ? { customer: { ...s.customer, notes: s.customer.notes.map((n) => (n.id === note.id ? note : n)) } } : s));
    return note;
  },
}));
