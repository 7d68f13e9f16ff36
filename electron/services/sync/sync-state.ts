import type Database from 'better-sqlite3';
import { prepared } from '../db/statements';

// The sync's memory per account (the sync_state row): where each backfill resource stopped, the
// last applied event, when the cache was last known to match Stripe, and the last error.

export const BACKFILL_RESOURCES = ['customers', 'payment_methods', 'subscriptions', 'invoices', 'invoice_payments'] as const;
export type BackfillResource = (typeof BACKFILL_RESOURCES)[number];

/** How far a stream of pages has got (a slice of a list, or a whole resource). */
export interface PagingProgress {
  /**
   * Id of the last object of the last committed page (the next page starts after it). A list
   * with `slices` keeps its cursors there (one written before slices resumes as one slice from
   * here); payment methods: the last customer id (ascending) whose methods are committed.
   */
  after: string | null;
  done: boolean;
  /** Pages committed (a resource: over its slices; payment methods: customers visited, plus the closing page). */
  pages: number;
  objects: number;
  /** `created` of the last object committed (progress: how far back in time the reading is). */
  lastCreated: number | null;
  /** `created` of the first (newest) object listed. */
  firstCreated: number | null;
}

/**
 * One created-time slice of a list (`created[gte]` <= created < `created[lt]`, null: unbounded),
 * paged newest first on its own; the slices of a list never overlap and together cover all time.
 */
export interface SliceCheckpoint extends PagingProgress {
  gte: number | null;
  lt: number | null;
}

export interface ResourceCheckpoint extends PagingProgress {
  /** Lists: the created-time slices, paged side by side. */
  slices?: SliceCheckpoint[];
  /** The key may not read this resource: the Stripe permission it lacks (`rak_product_read`). */
  denied?: string;
}

export interface BackfillCheckpoint {
  version: 1;
  /** Server time (unix s) when this backfill began: rows older than it were not seen by it. */
  startedAt: number | null;
  /** The newest event when the backfill began; the events poller continues from there. */
  eventsCursorAtStart: string | null;
  eventsCursorCreatedAtStart: number | null;
  /** A resync after a lost event cursor: rows the backfill did not see are removed at the end. */
  full: boolean;
  resources: Partial<Record<BackfillResource, ResourceCheckpoint>>;
}

export interface SyncStateRow {
  backfill: BackfillCheckpoint | null;
  backfillComplete: boolean;
  eventsCursor: string | null;
  eventsCursorCreated: number | null;
  lastSyncedAtMs: number | null;
  lastError: string | null;
  /** Permissions the (restricted) key lacked in the last completed backfill (`rak_product_read`). */
  missingPermissions: string[];
}

interface RawRow {
  backfill_json: string;
  backfill_complete: number;
  events_cursor: string | null;
  events_cursor_created: number | null;
  last_synced_at_ms: number | null;
  last_error: string | null;
}


export function emptyCheckpoint(full: boolean): BackfillCheckpoint {
  return { version: 1, startedAt: null, eventsCursorAtStart: null, eventsCursorCreatedAtStart: null, full, resources: {} };
}

function parseCheckpoint(json: string): BackfillCheckpoint | null {
  try {
    const v = JSON.parse(json) as Partial<BackfillCheckpoint>;
    if (v && v.version === 1 && typeof v.resources === 'object') return v as BackfillCheckpoint;
  } catch {
    // A damaged checkpoint only costs a fresh backfill.
  }
  return null;
}

/** A completed backfill keeps only what the key could not read (no migration: the same column). */
function parseMissingPermissions(json: string): string[] {
  try {
    const v = JSON.parse(json) as { missingPermissions?: unknown };
    return Array.isArray(v?.missingPermissions) ? v.missingPermissions.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}

export function readSyncState(db: Database.Database, accountId: string): SyncStateRow {
  prepared(db, 'INSERT OR IGNORE INTO sync_state (account_id) VALUES (?)').run(accountId);
  const r = prepared(db, 'SELECT backfill_json, backfill_complete, events_cursor, events_cursor_created, last_synced_at_ms, last_error FROM sync_state WHERE account_id = ?').get(accountId) as RawRow;
  return {
    backfill: parseCheckpoint(r.backfill_json),
    backfillComplete: r.backfill_complete === 1,
    missingPermissions: r.backfill_complete === 1 ? parseMissingPermissions(r.backfill_json) : [],
    eventsCursor: r.events_cursor,
    eventsCursorCreated: r.events_cursor_created,
    lastSyncedAtMs: r.last_synced_at_ms,
    lastError: r.last_error,
  };
}

export function writeCheckpoint(db: Database.Database, accountId: string, checkpoint: BackfillCheckpoint | null): void {
  prepared(db, 'UPDATE sync_state SET backfill_json = ? WHERE account_id = ?').run(checkpoint ? JSON.stringify(checkpoint) : '{}', accountId);
}

export function startBackfill(db: Database.Database, accountId: string, checkpoint: BackfillCheckpoint): void {
  prepared(db, 'UPDATE sync_state SET backfill_json = ?, backfill_complete = 0 WHERE account_id = ?').run(JSON.stringify(checkpoint), accountId);
}

export function completeBackfill(db: Database.Database, accountId: string, cursor: string | null, cursorCreated: number | null, nowMs: number, missingPermissions: string[] = []): void {
  prepared(db, 'UPDATE sync_state SET backfill_json = ?, backfill_complete = 1, events_cursor = ?, events_cursor_created = ?, last_synced_at_ms = ?, last_error = NULL WHERE account_id = ?')
    .run(missingPermissions.length ? JSON.stringify({ missingPermissions }) : '{}', cursor, cursorCreated, nowMs, accountId);
}

export function writeEventsCursor(db: Database.Database, accountId: string, cursor: string, created: number): void {
  prepared(db, 'UPDATE sync_state SET events_cursor = ?, events_cursor_created = ? WHERE account_id = ?').run(cursor, created, accountId);
}

/** Time mode: no cursor; every event up to `knownUpTo` (server time) is applied. */
export function writeKnownUpTo(db: Database.Database, accountId: string, knownUpTo: number): void {
  prepared(db, 'UPDATE sync_state SET events_cursor = NULL, events_cursor_created = ? WHERE account_id = ?').run(knownUpTo, accountId);
}

/** Only a successful pass moves "last synced": offline, the stamp shows how old the cache is. */
export function markSynced(db: Database.Database, accountId: string, nowMs: number): void {
  prepared(db, 'UPDATE sync_state SET last_synced_at_ms = ?, last_error = NULL WHERE account_id = ?').run(nowMs, accountId);
}

export function recordError(db: Database.Database, accountId: string, message: string): void {
  prepared(db, 'UPDATE sync_state SET last_error = ? WHERE account_id = ?').run(message, accountId);
}

/** The event cursor is gone (older than retention or unknown to Stripe): everything again. */
export function requireResync(db: Database.Database, accountId: string, checkpoint: BackfillCheckpoint): void {
  prepared(db, 'UPDATE sync_state SET backfill_json = ?, backfill_complete = 0, events_cursor = NULL, events_cursor_created = NULL WHERE account_id = ?')
    .run(JSON.stringify(checkpoint), accountId);
}
