import { create } from 'zustand';
import type { DunningFilters, DunningSort, SavedDunningView } from '../../../../shared/contract/dunning';

// The dunning feature's UI state only: filters, sort, tab, cursor, selection, the open retry
// dialog and unsaved notes. The queue, the case, the views and the metrics are in the query cache
// (queries.ts): an answer to an older filter can never replace a newer one, the key differs.

/** The contract's bulk limit: one action touches at most this many cases. */
export const BULK_LIMIT = 1000;

export type DunningTab = 'queue' | 'metrics';

interface DunningUi {
  tab: DunningTab;
  filters: DunningFilters;
  sort: Required<DunningSort>;
  cursor: number;
  selected: ReadonlySet<number>;
  activeViewId: number | null;
  /** The case whose retry confirmation is open (keyboard R or the panel button). */
  retryCaseId: number | null;
  /** What a write on cases is doing ("Assigning…"), for the bulk bar. */
  busy: string | null;
  /** Unsaved note text by case id: moving to another case and back keeps it. */
  noteDrafts: Record<number, string>;

  setTab(tab: DunningTab): void;
  setFilters(patch: Partial<DunningFilters>): void;
  clearFilters(): void;
  setSort(sort: Required<DunningSort>): void;
  /** Moves the cursor within the `count` rows loaded. */
  moveCursor(delta: number, count: number): void;
  setCursor(index: number): void;
  toggleSelected(id: number): void;
  setSelected(ids: number[]): void;
  clearSelection(): void;
  applyView(view: SavedDunningView | null): void;
  setActiveView(id: number | null): void;
  openRetry(caseId: number | null): void;
  setBusy(label: string | null): void;
  setNoteDraft(caseId: number, text: string): void;
}

export const DEFAULT_SORT: Required<DunningSort> = { by: 'amount', dir: 'desc' };

/** A new filter or sort is a new queue: the cursor goes to the top and the selection is cleared. */
const NEW_QUEUE = { cursor: 0, selected: new Set<number>() };

export const useDunning = create<DunningUi>((set, get) => ({
  tab: 'queue',
  filters: {},
  sort: DEFAULT_SORT,
  cursor: 0,
  selected: new Set(),
  activeViewId: null,
  retryCaseId: null,
  busy: null,
  noteDrafts: {},

  setTab: (tab) => set({ tab }),
  setNoteDraft: (caseId, text) => set((s) => ({ noteDrafts: { ...s.noteDrafts, [caseId]: text } })),
  setFilters: (patch) => {
    const filters = { ...get().filters, ...patch };
    for (const k of Object.keys(filters) as Array<keyof DunningFilters>) if (filters[k] === undefined || filters[k] === '') delete filters[k];
    set({ filters, activeViewId: null, ...NEW_QUEUE });
  },
  clearFilters: () => set({ filters: {}, sort: DEFAULT_SORT, activeViewId: null, ...NEW_QUEUE }),
  setSort: (sort) => set({ sort, ...NEW_QUEUE }),
  moveCursor: (delta, count) => set((s) => ({ cursor: Math.max(0, Math.min(count - 1, s.cursor + delta)) })),
  setCursor: (cursor) => set({ cursor }),
  toggleSelected: (id) =>
    set((s) => {
      const selected = new Set(s.selected);
      if (selected.has(id)) selected.delete(id);
      else selected.add(id);
      return { selected };
    }),
  setSelected: (ids) => set({ selected: new Set(ids) }),
  clearSelection: () => set({ selected: new Set() }),
  applyView: (view) => set(view ? { filters: view.filters, sort: { ...DEFAULT_SORT, ...view.sort }, activeViewId: view.id, ...NEW_QUEUE } : { activeViewId: null }),
  setActiveView: (activeViewId) => set({ activeViewId }),
  openRetry: (retryCaseId) => set({ retryCaseId }),
  setBusy: (busy) => set({ busy }),
}));
