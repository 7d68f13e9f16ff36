import type { ManualDunningStage } from '../../../../shared/contract/dunning';
import { errorMessage } from '../../api/client';
import { fetchCall, invalidateCalls, runCall, useCall, useCallPages } from '../../api/queries';
import type { ReadCallName } from '../../api/read-calls';
import { BULK_LIMIT, useDunning } from './store';

// The dunning queue's reads and writes over the query layer. The queue is one cached answer per
// filter + sort (pages inside); a change notice about cases fetches again what is on screen.

const PAGE = 100;
/** What a write to cases makes stale at once (the services' change notice follows). */
export const CASE_READS: ReadCallName[] = ['dunning.list', 'dunning.get', 'dunning.metrics', 'dunning.assignees', 'customers.get'];

/** After a retry (its own dialog): the queue, the case and the metrics are read again. */
export const invalidateCase = () => invalidateCalls(...CASE_READS);

/** The queue under the current filters and sort: rows loaded so far, the total and the amounts at risk. */
export function useQueue() {
  const filters = useDunning((s) => s.filters);
  const sort = useDunning((s) => s.sort);
  const pages = useCallPages('dunning.list', { filters, sort }, PAGE);
  const status: 'loading' | 'ready' | 'error' = pages.data ? 'ready' : pages.isError ? 'error' : 'loading';
  return {
    rows: pages.rows,
    total: pages.total,
    totals: pages.last?.totals ?? [],
    status,
    error: pages.error ? errorMessage(pages.error) : null,
    loadingMore: pages.isFetchingNextPage,
    loadMore: () => {
      if (pages.hasNextPage && !pages.isFetching) void pages.fetchNextPage();
    },
    reload: () => void pages.refetch(),
  };
}

export function useCaseDetail(caseId: number | null) {
  return useCall('dunning.get', { caseId: caseId ?? 0 }, { enabled: caseId != null });
}

export const useMetrics = () => useCall('dunning.metrics', {});
export const useSavedViews = () => useCall('dunning.views.list', {}).data ?? [];
/** Suggestions only: typing a name still works without them. */
export const useAssignees = () => useCall('dunning.assignees', {}).data ?? [];

/** Every case matching the filters, up to one action's limit (select all). */
export async function selectAllMatching(loaded: number[], total: number): Promise<number> {
  const { filters, sort } = useDunning.getState();
  let ids = loaded;
  if (total > loaded.length) ids = (await fetchCall('dunning.list', { filters, sort, offset: 0, limit: BULK_LIMIT })).rows.map((r) => r.id);
  useDunning.getState().setSelected(ids.slice(0, BULK_LIMIT));
  return Math.min(ids.length, BULK_LIMIT);
}

/** Runs a write on cases with the busy label shown, then stales what it touched. */
async function caseWrite<T>(label: string, run: () => Promise<T>): Promise<T> {
  useDunning.getState().setBusy(label);
  try {
    return await run();
  } finally {
    useDunning.getState().setBusy(null);
  }
}

export const caseWrites = {
  assign: (caseIds: number[], assignee: string | null) => caseWrite('Assigning…', async () => (await runCall('dunning.assign', { caseIds, assignee }, CASE_READS)).updated.length),
  moveStage: (caseIds: number[], stage: ManualDunningStage) =>
    caseWrite('Moving…', async () => {
      const r = await runCall('dunning.setStage', { caseIds, stage }, CASE_READS);
      return { moved: r.moved.length, refused: r.refused.map((x) => x.reason) };
    }),
  sendPortalLinks: (caseIds: number[]) =>
    caseWrite('Creating links…', async () => {
      const r = await runCall('dunning.sendPortalLinks', { caseIds }, [...CASE_READS, 'portal.history']);
      return { sent: r.sent, failed: r.failed.map((f) => f.message) };
    }),
  addNote: async (caseId: number, body: string) => {
    await runCall('dunning.addNote', { caseId, body }, ['dunning.get']);
  },
};

export const viewWrites = {
  save: async (name: string) => {
    const { filters, sort } = useDunning.getState();
    const view = await runCall('dunning.views.save', { name, filters, sort }, ['dunning.views.list']);
    useDunning.getState().setActiveView(view.id);
  },
  remove: async (id: number) => {
    await runCall('dunning.views.delete', { id }, ['dunning.views.list']);
    useDunning.setState((s) => ({ activeViewId: s.activeViewId === id ? null : s.activeViewId }));
  },
};
