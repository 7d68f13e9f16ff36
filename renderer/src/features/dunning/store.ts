import { create } from 'zustand';
import type {
  CurrencyAmount,
  DunningCaseDetail,
  DunningCaseRow,
  DunningFilters,
  DunningMetrics,
  DunningSort,
  ManualDunningStage,
  SavedDunningView,
} from '../../../../shared/contract/dunning';
import { api, errorMessage } from '../../api/client';

// The dunning feature's state: the queue (filters, sort, loaded pages, cursor, selection), saved
// views, the case under the cursor, and the metrics. Responses that arrive after a newer request
// was made are dropped, so fast filter changes never show an older answer.

const PAGE = 100;
/** The contract's bulk limit: one action touches at most this many cases. */
export const BULK_LIMIT = 1000;

export type DunningTab = 'queue' | 'metrics';

interface DunningState {
  tab: DunningTab;
  filters: DunningFilters;
  sort: Required<DunningSort>;
  rows: DunningCaseRow[];
  total: number;
  totals: CurrencyAmount[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
  cursor: number;
  selected: ReadonlySet<number>;
  views: SavedDunningView[];
  activeViewId: number | null;
  assignees: string[];
  detail: DunningCaseDetail | null;
  detailError: string | null;
  metrics: DunningMetrics | null;
  metricsError: string | null;
  /** The case whose retry confirmation is open (keyboard R or the panel button). */
  retryCaseId: number | null;
  busy: string | null;
  /** Unsaved note text by case id: moving to another case and back keeps it. */
  noteDrafts: Record<number, string>;

  setTab(tab: DunningTab): void;
  setFilters(patch: Partial<DunningFilters>): void;
  clearFilters(): void;
  setSort(sort: Required<DunningSort>): void;
  load(opts?: { keepRows?: boolean }): Promise<void>;
  loadMore(): Promise<void>;
  moveCursor(delta: number): void;
  setCursor(index: number): void;
  toggleSelected(id: number): void;
  selectAllMatching(): Promise<number>;
  clearSelection(): void;
  loadViews(): Promise<void>;
  saveView(name: string): Promise<void>;
  applyView(id: number | null): void;
  deleteView(id: number): Promise<void>;
  loadAssignees(): Promise<void>;
  loadDetail(caseId: number | null): Promise<void>;
  loadMetrics(): Promise<void>;
  assign(caseIds: number[], assignee: string | null): Promise<number>;
  moveStage(caseIds: number[], stage: ManualDunningStage): Promise<{ moved: number; refused: string[] }>;
  sendPortalLinks(caseIds: number[]): Promise<{ sent: Array<{ url: string; simulated: boolean }>; failed: string[] }>;
  addNote(caseId: number, body: string): Promise<void>;
  openRetry(caseId: number | null): void;
  setNoteDraft(caseId: number, text: string): void;
}

export const DEFAULT_SORT: Required<DunningSort> = { by: 'amount', dir: 'desc' };
let listRequest = 0;
let detailRequest = 0;

export const useDunning = create<DunningState>((set, get) => ({
  tab: 'queue',
  filters: {},
  sort: DEFAULT_SORT,
  rows: [],
  total: 0,
  totals: [],
  status: 'idle',
  error: null,
  loadingMore: false,
  cursor: 0,
  selected: new Set(),
  views: [],
  activeViewId: null,
  assignees: [],
  detail: null,
  detailError: null,
  metrics: null,
  metricsError: null,
  retryCaseId: null,
  busy: null,
  noteDrafts: {},

  setTab: (tab) => set({ tab }),
  setNoteDraft: (caseId, text) => set((s) => ({ noteDrafts: { ...s.noteDrafts, [caseId]: text } })),
  setFilters: (patch) => {
    const filters = { ...get().filters, ...patch };
    for (const k of Object.keys(filters) as Array<keyof DunningFilters>) if (filters[k] === undefined || filters[k] === '') delete filters[k];
    set({ filters, activeViewId: null, cursor: 0 });
    void get().load();
  },
  clearFilters: () => {
    set({ filters: {}, sort: DEFAULT_SORT, activeViewId: null, cursor: 0 });
    void get().load();
  },
  setSort: (sort) => {
    set({ sort, cursor: 0 });
    void get().load();
  },

  load: async ({ keepRows = false } = {}) => {
    const id = ++listRequest;
    const { filters, sort, rows } = get();
    set(keepRows ? { error: null } : { status: 'loading', error: null });
    try {
      // A refresh keeps as many rows as were loaded, so the list does not jump under the cursor.
      const limit = keepRows ? Math.min(BULK_LIMIT, Math.max(PAGE, rows.length)) : PAGE;
      const page = await api.call('dunning.list', { filters, sort, offset: 0, limit });
      if (id !== listRequest) return;
      const ids = new Set(page.rows.map((r) => r.id));
      set((s) => ({
        rows: page.rows,
        total: page.total,
        totals: page.totals,
        status: 'ready',
        cursor: Math.min(s.cursor, Math.max(0, page.rows.length - 1)),
        // A refresh keeps the selection, minus cases that left the filtered set (known when it is all loaded).
        selected: !keepRows ? new Set() : page.rows.length >= page.total ? new Set([...s.selected].filter((x) => ids.has(x))) : s.selected,
      }));
    } catch (err) {
      if (id !== listRequest) return;
      set({ status: 'error', error: errorMessage(err) });
    }
  },
  loadMore: async () => {
    const { rows, total, loadingMore, filters, sort, status } = get();
    if (loadingMore || status !== 'ready' || rows.length >= total) return;
    const id = listRequest;
    set({ loadingMore: true });
    try {
      const page = await api.call('dunning.list', { filters, sort, offset: rows.length, limit: PAGE });
      if (id !== listRequest) return;
      set((s) => ({ rows: [...s.rows, ...page.rows.filter((r) => !s.rows.some((x) => x.id === r.id))], total: page.total, totals: page.totals }));
    } catch (err) {
      if (id === listRequest) set({ error: errorMessage(err) });
    } finally {
      set({ loadingMore: false });
    }
  },

  moveCursor: (delta) => {
    const { cursor, rows, total } = get();
    const next = Math.max(0, Math.min(rows.length - 1, cursor + delta));
    set({ cursor: next });
    if (next >= rows.length - 10 && rows.length < total) void get().loadMore();
  },
  setCursor: (index) => set({ cursor: index }),
  toggleSelected: (id) =>
    set((s) => {
      const selected = new Set(s.selected);
      if (selected.has(id)) selected.delete(id);
      else selected.add(id);
      return { selected };
    }),
  selectAllMatching: async () => {
    const { filters, sort, total, rows } = get();
    let ids = rows.map((r) => r.id);
    if (total > rows.length) {
      const page = await api.call('dunning.list', { filters, sort, offset: 0, limit: BULK_LIMIT });
      ids = page.rows.map((r) => r.id);
    }
    set({ selected: new Set(ids.slice(0, BULK_LIMIT)) });
    return Math.min(ids.length, BULK_LIMIT);
  },
  clearSelection: () => set({ selected: new Set() }),

  loadViews: async () => {
    try {
      set({ views: await api.call('dunning.views.list', {}) });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },
  saveView: async (name) => {
    const { filters, sort } = get();
    const view = await api.call('dunning.views.save', { name, filters, sort });
    await get().loadViews();
    set({ activeViewId: view.id });
  },
  applyView: (id) => {
    const view = get().views.find((v) => v.id === id);
    if (!view) {
      set({ activeViewId: null });
      return;
    }
    set({ filters: view.filters, sort: { ...DEFAULT_SORT, ...view.sort }, activeViewId: view.id, cursor: 0 });
    void get().load();
  },
  deleteView: async (id) => {
    await api.call('dunning.views.delete', { id });
    set((s) => ({ activeViewId: s.activeViewId === id ? null : s.activeViewId }));
    await get().loadViews();
  },
  loadAssignees: async () => {
    try {
      set({ assignees: await api.call('dunning.assignees', {}) });
    } catch {
      // Suggestions only: typing a name still works without them.
    }
  },

  loadDetail: async (caseId) => {
    const id = ++detailRequest;
    if (caseId == null) {
      set({ detail: null, detailError: null });
      return;
    }
    try {
      const detail = await api.call('dunning.get', { caseId });
      if (id === detailRequest) set({ detail, detailError: null });
    } catch (err) {
      if (id === detailRequest) set({ detail: null, detailError: errorMessage(err) });
    }
  },
  loadMetrics: async () => {
    try {
      set({ metrics: await api.call('dunning.metrics', {}), metricsError: null });
    } catch (err) {
      set({ metricsError: errorMessage(err) });
    }
  },

  assign: async (caseIds, assignee) => {
    set({ busy: 'Assigning…' });
    try {
      const r = await api.call('dunning.assign', { caseIds, assignee });
      void get().loadAssignees();
      return r.updated.length;
    } finally {
      set({ busy: null });
    }
  },
  moveStage: async (caseIds, stage) => {
    set({ busy: 'Moving…' });
    try {
      const r = await api.call('dunning.setStage', { caseIds, stage });
      return { moved: r.moved.length, refused: r.refused.map((x) => x.reason) };
    } finally {
      set({ busy: null });
    }
  },
  sendPortalLinks: async (caseIds) => {
    set({ busy: 'Creating links…' });
    try {
      const r = await api.call('dunning.sendPortalLinks', { caseIds });
      return { sent: r.sent, failed: r.failed.map((f) => f.message) };
    } finally {
      set({ busy: null });
    }
  },
  addNote: async (caseId, body) => {
    await api.call('dunning.addNote', { caseId, body });
    await get().loadDetail(caseId);
  },
  openRetry: (caseId) => set({ retryCaseId: caseId }),
}));
