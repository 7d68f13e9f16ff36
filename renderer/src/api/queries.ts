import { QueryClient, useInfiniteQuery, useMutation, useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CallInput, CallName, CallOutput, DataChanged, WorkspaceStatus } from '../../../shared/contract';
import { api } from './client';
import { isReadCall, isStaleAfter, mergeChanges, type Change, type ReadCallName } from './read-calls';

// The renderer's one layer over the typed client: every read is a query keyed by the call's name
// and input, every write a mutation that says what it makes stale. Components use these hooks and
// never the transport; the query cache, not hand-made stores, holds what the services answered.

export const queryClient = new QueryClient({
  defaultOptions: {
    // The cache answers in microseconds and the services push change notices: nothing needs
    // refetching on focus or on a timer, and a failed read is shown in words, not retried blind.
    queries: { retry: false, staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false },
    mutations: { retry: false },
  },
});

/** The cache key of a read: the call's name, then its input. */
export function callKey<N extends ReadCallName>(name: N, input: CallInput<N>): readonly [N, CallInput<N>] {
  return [name, input] as const;
}

/** The query for `name(input)`: for useQuery, queryClient.fetchQuery and ensureQueryData alike. */
export function callQuery<N extends ReadCallName>(name: N, input: CallInput<N>) {
  return { queryKey: callKey(name, input) as QueryKey, queryFn: () => api.call(name, input) };
}

/** A read call through the cache: `useCall('customers.get', {customerId})`. */
export function useCall<N extends ReadCallName, T = CallOutput<N>>(name: N, input: CallInput<N>, options: Omit<UseQueryOptions<CallOutput<N>, Error, T>, 'queryKey' | 'queryFn'> = {}) {
  return useQuery<CallOutput<N>, Error, T>({ ...callQuery(name, input), ...options });
}

/** The paged reads: an offset and a limit in, rows and the total out. */
type PagedCall = 'customers.list' | 'dunning.list';

/**
 * A paged read as one cache entry of pages (`['customers.list', input]`, offsets inside). A change
 * notice fetches again every page loaded so far, so the agent's scroll position keeps its rows.
 * `rows` holds each row once even when a row moved from one page to the next between fetches.
 */
type PageRow<N extends PagedCall> = CallOutput<N> extends { rows: Array<infer R> } ? R : never;
interface RowsPage<R> {
  rows: R[];
  total: number;
}

export function useCallPages<N extends PagedCall>(name: N, input: Omit<CallInput<N>, 'offset' | 'limit'>, pageSize: number) {
  type Page = CallOutput<N> & RowsPage<PageRow<N>>;
  const query = useInfiniteQuery({
    queryKey: callKey(name, { ...input, limit: pageSize } as CallInput<N>) as QueryKey,
    queryFn: ({ pageParam }) => api.call(name, { ...input, offset: pageParam, limit: pageSize } as CallInput<N>) as Promise<Page>,
    initialPageParam: 0,
    getNextPageParam: (last: Page, pages: Page[]) => {
      const loaded = pages.reduce((n, p) => n + p.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
  });
  const pages = query.data?.pages ?? [];
  const seen = new Set<string | number>();
  const rows: Array<PageRow<N>> = pages.flatMap((p) => p.rows).filter((r) => {
    const id = (r as { id: string | number }).id;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  const last = pages[pages.length - 1];
  return { ...query, rows, last: last ?? null, total: last?.total ?? 0 };
}

/** Reads one answer now (outside a component, or in an event handler): cached when fresh. */
export function fetchCall<N extends ReadCallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  return queryClient.fetchQuery(callQuery(name, input)) as Promise<CallOutput<N>>;
}

/** Marks stale every cached answer of these read calls (and fetches the ones on screen). */
export function invalidateCalls(...names: ReadCallName[]): Promise<void> {
  return queryClient.invalidateQueries({ predicate: (q) => names.includes(q.queryKey[0] as ReadCallName) });
}

/**
 * Another account (a key added or removed, a switch): every cached answer belonged to the old one.
 * They are dropped, not marked stale, so no screen shows one account's rows under the other's banner.
 */
export async function forgetEveryAnswer(): Promise<void> {
  // The workspace itself is read again, not dropped: the shell stays on screen while it loads.
  await queryClient.resetQueries({ predicate: (q) => q.queryKey[0] !== 'workspace.status' });
  await invalidateCalls('workspace.status');
}

/**
 * A write call as a mutation. `invalidates` names the reads it makes stale at once, before the
 * services' change notice arrives (a notice is still applied: the second fetch is cheap).
 */
export function useCallMutation<N extends CallName>(name: N, options: { invalidates?: ReadCallName[] | 'everything'; onSuccess?: (output: CallOutput<N>, input: CallInput<N>) => void } = {}) {
  return useMutation<CallOutput<N>, Error, CallInput<N>>({
    mutationFn: (input) => api.call(name, input),
    // Returned, so mutateAsync resolves once the stale reads are fetched again (a switched account shows at once).
    onSuccess: (output, input) => {
      options.onSuccess?.(output, input);
      if (options.invalidates === 'everything') return forgetEveryAnswer();
      return options.invalidates?.length ? invalidateCalls(...options.invalidates) : undefined;
    },
  });
}

/** Runs a write call outside a mutation hook (a keyboard action), with the same invalidation. */
export async function runCall<N extends CallName>(name: N, input: CallInput<N>, invalidates: ReadCallName[] = []): Promise<CallOutput<N>> {
  const output = await api.call(name, input);
  if (invalidates.length) void invalidateCalls(...invalidates);
  return output;
}

/** Applies one change notice: stales exactly the cached answers that show what changed. */
export function applyChange(change: Pick<DataChanged, 'kinds' | 'customerIds'>): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (q) => {
      const [name, input] = q.queryKey as [string, unknown];
      return isReadCall(name) && isStaleAfter(name, input, change);
    },
  });
}

/** A sync writes a page at a time and says so each time: notices this close together are applied as one. */
const COALESCE_MS = 100;

/** The renderer's one subscription to `data.changed` (the app shell mounts it once). */
export function useChangeNotices(): void {
  useEffect(() => {
    let pending: Change | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('data.changed', (change) => {
      pending = pending ? mergeChanges(pending, change) : { kinds: [...change.kinds], ...(change.customerIds ? { customerIds: [...change.customerIds] } : {}) };
      timer ??= setTimeout(() => {
        const merged = pending!;
        pending = null;
        timer = undefined;
        void applyChange(merged);
      }, COALESCE_MS);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
}

/**
 * Stripe lost or back for an account (what the sync's own requests see): the cached workspace
 * answer takes the new state at once, so the banner's offline pill shows without a round trip.
 */
export function useConnectivityNotices(): void {
  useEffect(
    () =>
      api.on('connectivity', (c) =>
        queryClient.setQueryData<WorkspaceStatus>(callKey('workspace.status', {}), (ws) => (ws && ws.account?.id === c.accountId && ws.online !== c.online ? { ...ws, online: c.online } : ws)),
      ),
    [],
  );
}

/** A stream subscription for the few components that show pushed progress (sync.progress). */
export const onStream = api.on;
