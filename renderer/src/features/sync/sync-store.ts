import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { SyncStatus } from '../../../../shared/contract/sync';
import type { SyncProgress } from '../../../../shared/contract/streams';
import { api, errorMessage } from '../../api/client';
import { useApp } from '../../app/store';
import { useWorkspace } from '../../app/workspace';

// The sync of the current account as the renderer sees it: the 'sync.status' call (last synced,
// last error, whether a watch runs) and the live 'sync.progress' stream (objects, pages, request
// rate, ETA). One subscription, shared by every component that shows it.

interface SyncState {
  status: SyncStatus | null;
  /** The latest progress of the current account (the stream, or the status call's copy). */
  progress: SyncProgress | null;
  loadError: string | null;
  startError: string | null;
  starting: boolean;
  load(): Promise<void>;
  /** Starts a pass (or a full resync); false when one was already running (it covers the request). */
  start(full?: boolean): Promise<boolean | null>;
  onProgress(p: SyncProgress): void;
}

/** Phases after which the stored status (last synced, last error) has moved. */
const SETTLED = new Set<SyncProgress['phase']>(['idle', 'offline', 'error']);

export const useSync = create<SyncState>((set, get) => ({
  status: null,
  progress: null,
  loadError: null,
  startError: null,
  starting: false,
  load: async () => {
    try {
      const status = await api.call('sync.status', {});
      set((s) => {
        const sameAccount = s.status?.accountId === status.accountId;
        // The stream is fresher than the status call's copy unless the account changed.
        const progress = sameAccount && s.progress ? s.progress : status.progress;
        return { status, progress, loadError: null };
      });
    } catch (err) {
      set({ loadError: errorMessage(err) });
    }
  },
  start: async (full = false) => {
    set({ starting: true, startError: null });
    try {
      const { started } = await api.call('sync.start', full ? { full } : {});
      await get().load();
      return started;
    } catch (err) {
      set({ startError: errorMessage(err) });
      return null;
    } finally {
      set({ starting: false });
    }
  },
  onProgress: (p) => {
    const current = get().status?.accountId;
    if (current && p.accountId !== current) return;
    set({ progress: p });
    if (SETTLED.has(p.phase)) void get().load();
  },
}));

let subscribers = 0;
let unsubscribe: (() => void) | null = null;
let poll: ReturnType<typeof setInterval> | null = null;

/** Keeps the sync state fresh while a component that shows it is mounted. */
export function useSyncFeed(): void {
  const accountId = useWorkspace()?.account?.id ?? null;
  useEffect(() => {
    void useSync.getState().load();
  }, [accountId]);
  useEffect(() => {
    if (subscribers++ === 0) {
      unsubscribe = api.on('sync.progress', (p) => useSync.getState().onProgress(p));
      // "Last synced" and errors recorded by passes that emitted no progress.
      poll = setInterval(() => void useSync.getState().load(), 15_000);
    }
    return () => {
      if (--subscribers > 0) return;
      unsubscribe?.();
      unsubscribe = null;
      if (poll) clearInterval(poll);
      poll = null;
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
