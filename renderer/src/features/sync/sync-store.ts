import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { SyncStatus } from '../../../../shared/contract/sync';
import type { SyncProgress } from '../../../../shared/contract/streams';
import { errorMessage } from '../../api/client';
import { invalidateCalls, onStream, useCall, useCallMutation } from '../../api/queries';

// The sync of the current account as the renderer sees it: the cached 'sync.status' answer (last
// synced, last error, whether a watch runs) and the live 'sync.progress' stream (objects, pages,
// request rate, ETA). One stream subscription, shared by every component that shows it.

/** Phases after which the stored status (last synced, last error) has moved. */
const SETTLED = new Set<SyncProgress['phase']>(['idle', 'offline', 'error']);

/** The newest progress pushed by the stream (any account: the reader keeps the current one's). */
const useStreamedProgress = create<{ progress: SyncProgress | null }>(() => ({ progress: null }));

function onProgress(p: SyncProgress): void {
  useStreamedProgress.setState({ progress: p });
  if (SETTLED.has(p.phase)) void invalidateCalls('sync.status');
}

export interface SyncView {
  status: SyncStatus | null;
  /** The latest progress of the current account (the stream, or the status call's copy). */
  progress: SyncProgress | null;
  loadError: string | null;
  startError: string | null;
  starting: boolean;
  load(): void;
  /** Starts a pass (or a full resync); false when one was already running (it covers the request). */
  start(full?: boolean): Promise<boolean | null>;
}

export function useSync(): SyncView {
  // "Last synced" and errors recorded by passes that emitted no progress: asked again every 15 s.
  const query = useCall('sync.status', {}, { refetchInterval: 15_000 });
  const streamed = useStreamedProgress((s) => s.progress);
  const startSync = useCallMutation('sync.start', { invalidates: ['sync.status'] });
  const status = query.data ?? null;
  // The stream is fresher than the status call's copy, for the same account.
  const progress = streamed && (!status || streamed.accountId === status.accountId) ? streamed : status?.progress ?? null;
  return {
    status,
    progress,
    loadError: query.error ? errorMessage(query.error) : null,
    startError: startSync.error ? errorMessage(startSync.error) : null,
    starting: startSync.isPending,
    load: () => void query.refetch(),
    start: async (full = false) => {
      try {
        return (await startSync.mutateAsync(full ? { full } : {})).started;
      } catch {
        return null;
      }
    },
  };
}

let subscribers = 0;
let unsubscribe: (() => void) | null = null;

/** Keeps the progress stream subscribed while a component that shows it is mounted. */
export function useSyncFeed(): void {
  useEffect(() => {
    if (subscribers++ === 0) unsubscribe = onStream('sync.progress', onProgress);
    return () => {
      if (--subscribers > 0) return;
      unsubscribe?.();
      unsubscribe = null;
    };
  }, []);
}

/** Re-renders every `ms` so relative times ("2 minutes ago") stay true. */
export function useTick(ms = 30_000): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
}
