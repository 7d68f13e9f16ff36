import { describe, expect, it } from 'vitest';
import { formatEta, progressParts, syncView } from '../../renderer/src/features/sync/labels';
import type { SyncStatus } from '../../shared/contract/sync';
import type { SyncProgress } from '../../shared/contract/streams';

// The sync state in words, as the banner stamp and Settings → Sync show it.

const status = (over: Partial<SyncStatus> = {}): SyncStatus => ({ accountId: 'acct_1', running: true, backfillComplete: true, lastSyncedAt: 1_700_000_000_000, lastError: null, progress: null, ...over });
const progress = (over: Partial<SyncProgress> = {}): SyncProgress => ({ accountId: 'acct_1', phase: 'backfill', objects: 12_345, pages: 130, requestsPerSecond: 24.8, etaSeconds: 150, ...over });

describe('sync labels', () => {
  it('says how long is left in words', () => {
    expect([null, 3, 42, 150, 3_600, 5_400].map((s) => formatEta(s))).toEqual([null, 'a few seconds left', '42 s left', 'about 3 min left', 'about 1 h left', 'about 1 h 30 min left']);
  });

  it('lists objects, pages, request rate and ETA', () => {
    expect(progressParts(progress())).toEqual(['12,345 objects', '130 pages', '24.8 req/s', 'about 3 min left']);
    expect(progressParts(progress({ objects: 1, pages: 0, etaSeconds: null }))).toEqual(['1 object', '24.8 req/s']);
  });

  it('picks the state to show: demo, running, offline, error, never, synced', () => {
    expect(syncView(true, status(), null).kind).toBe('demo');
    expect(syncView(false, null, null).kind).toBe('loading');
    expect(syncView(false, status({ lastError: 'old failure' }), progress()).kind).toBe('backfill');
    expect(syncView(false, status(), progress({ phase: 'offline', message: 'Stripe could not be reached (network).' }))).toEqual({ kind: 'offline', message: 'Stripe could not be reached (network).' });
    expect(syncView(false, status({ lastError: 'Stripe rejected the API key. Check the key in Settings.' }), progress({ phase: 'idle' })).kind).toBe('error');
    expect(syncView(false, status({ lastSyncedAt: null }), null).kind).toBe('never');
    expect(syncView(false, status(), progress({ phase: 'events' }))).toEqual({ kind: 'synced', at: 1_700_000_000_000 });
  });
});
