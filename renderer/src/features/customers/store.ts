import { create } from 'zustand';

// The customers feature's UI state only: what the agent typed and where the cursor is. What the
// services answered (the list, search hits, the open customer) lives in the query cache.

interface CustomersUi {
  filter: string;
  cursor: number;
  /** Unsaved new-note text by customer id: leaving a customer (Esc) and coming back keeps it. */
  noteDrafts: Record<string, string>;
  setFilter(filter: string): void;
  setCursor(index: number): void;
  setNoteDraft(customerId: string, text: string): void;
}

export const useCustomers = create<CustomersUi>((set) => ({
  filter: '',
  cursor: 0,
  noteDrafts: {},
  setFilter: (filter) => set({ filter, cursor: 0 }),
  setCursor: (cursor) => set({ cursor }),
  setNoteDraft: (customerId, text) => set((s) => ({ noteDrafts: { ...s.noteDrafts, [customerId]: text } })),
}));
