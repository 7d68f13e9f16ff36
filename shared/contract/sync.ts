import { z } from 'zod';
import { call } from './define';
import type { SyncProgress } from './streams';

export interface SyncStatus {
  accountId: string;
  running: boolean;
  backfillComplete: boolean;
  lastSyncedAt: number | null;
  lastError: string | null;
  progress: SyncProgress | null;
}

export const syncCalls = {
  'sync.status': call<SyncStatus>()(z.object({}).strict()),
  'sync.start': call<{ started: boolean }>()(z.object({ full: z.boolean().optional() }).strict()),
};
