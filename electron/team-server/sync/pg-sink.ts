import type pg from 'pg';
import type Stripe from 'stripe';
import type { FetchedObject } from '../../services/sync/apply-events';
import type { BackfillPage, CompleteBackfill, EventBatchEnd, EventPayloadsOutcome, SyncSink } from '../../services/sync/sink';
import type { BackfillCheckpoint, SyncStateRow } from '../../services/sync/sync-state';
import { inTransaction, type Tx } from '../db';
import { applyEventPayloadsToMirror, applyFetchedToMirror, applyObject, applyWrite, finishMirrorEvents } from '../mirror/apply';
import type { StripeObjectLike } from '../mirror/rules';
import type { FeedStore } from '../stores/feed';
import { PgMirrorTx } from '../stores/stripe-mirror';

// The team server's sink for the desk's sync engine (runBackfill, pollEvents): Stripe objects into
// the PostgreSQL mirror, each write with its feed entries in one transaction, under the sync
// writer's fence. `epoch` is the fencing token of the writer lease (writer-lease.ts): every write
// transaction first locks the account's sync-state row and checks that no newer writer took over,
// so an instance that lost its lease (a stalled process, a cut connection) cannot commit a page
// over its successor's. Without an epoch (the demo seeding, tests of the sink alone) writes are
// not fenced.

/** How long a sink transaction may sit idle before PostgreSQL ends it (a stuck writer's). */
export const SINK_IDLE_IN_TRANSACTION_MS = 3_000;

export class LeaseLostError extends Error {
  constructor(readonly accountId: string) {
    super(`Another team server instance took over the sync of ${accountId}; this one stopped writing.`);
    this.name = 'LeaseLostError';
  }
}

interface StateRow {
  backfill: Partial<BackfillCheckpoint> | Record<string, never>;
  backfill_complete: boolean;
  events_cursor: string | null;
  events_cursor_created: number | null;
  last_synced_at_ms: number | null;
  last_error: string | null;
}

function checkpointOf(v: StateRow['backfill']): BackfillCheckpoint | null {
  const c = v as Partial<BackfillCheckpoint>;
  return c && c.version === 1 && typeof c.resources === 'object' ? (c as BackfillCheckpoint) : null;
}

function missingPermissionsOf(v: StateRow['backfill']): string[] {
  const m = (v as { missingPermissions?: unknown }).missingPermissions;
  return Array.isArray(m) ? m.filter((p): p is string => typeof p === 'string') : [];
}

export async function ensureSyncState(db: Pick<pg.Pool, 'query'>, accountId: string): Promise<void> {
  await db.query('INSERT INTO stripe_sync_state (account_id) VALUES ($1) ON CONFLICT DO NOTHING', [accountId]);
}

export class PgSyncSink implements SyncSink {
  constructor(
    private readonly pool: pg.Pool,
    private readonly feed: Pick<FeedStore, 'append'>,
    readonly accountId: string,
    private readonly epoch: number | null = null,
    /** Called after each fenced write's body ran (the writer's progress, for the lease heartbeat). */
    private readonly onWrite?: () => void,
  ) {}

  /** A write transaction of this account, fenced by the writer epoch. */
  private write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (tx) => {
      // A writer stuck inside this transaction (its event loop blocked) would hold the sync-state
      // row, and so its successor's epoch bump, forever: PostgreSQL ends a transaction left idle
      // this long (a sink transaction never waits on anything but the database).
      const { rows } = await tx.query<{ writer_epoch: number }>(
        "SELECT writer_epoch, set_config('idle_in_transaction_session_timeout', $2, true) FROM stripe_sync_state WHERE account_id = $1 FOR UPDATE",
        [this.accountId, String(SINK_IDLE_IN_TRANSACTION_MS)],
      );
      if (!rows.length) throw new Error(`No sync state for ${this.accountId}: the account is not registered on the team server.`);
      if (this.epoch !== null && rows[0].writer_epoch !== this.epoch) throw new LeaseLostError(this.accountId);
      const out = await fn(tx);
      this.onWrite?.();
      return out;
    });
  }

  /** Runs mirror writes in a fenced transaction and flushes them (objects + feed) before COMMIT. */
  private mirror<T>(fn: (m: PgMirrorTx, tx: Tx) => Promise<T>): Promise<T> {
    return this.write(async (tx) => {
      const m = new PgMirrorTx(tx, this.accountId, this.feed);
      const out = await fn(m, tx);
      await m.flush();
      return out;
    });
  }

  async readState(): Promise<SyncStateRow> {
    await ensureSyncState(this.pool, this.accountId);
    const { rows } = await this.pool.query<StateRow>(
      'SELECT backfill, backfill_complete, events_cursor, events_cursor_created, last_synced_at_ms, last_error FROM stripe_sync_state WHERE account_id = $1',
      [this.accountId],
    );
    const r = rows[0];
    return {
      backfill: checkpointOf(r.backfill),
      backfillComplete: r.backfill_complete,
      eventsCursor: r.events_cursor,
      eventsCursorCreated: r.events_cursor_created,
      lastSyncedAtMs: r.last_synced_at_ms,
      lastError: r.last_error,
      missingPermissions: r.backfill_complete ? missingPermissionsOf(r.backfill) : [],
    };
  }

  async startBackfill(checkpoint: BackfillCheckpoint): Promise<void> {
    await this.write((tx) => tx.query('UPDATE stripe_sync_state SET backfill = $2, backfill_complete = false WHERE account_id = $1', [this.accountId, JSON.stringify(checkpoint)]));
  }

  async requireResync(checkpoint: BackfillCheckpoint): Promise<void> {
    await this.write((tx) =>
      tx.query('UPDATE stripe_sync_state SET backfill = $2, backfill_complete = false, events_cursor = NULL, events_cursor_created = NULL WHERE account_id = $1', [this.accountId, JSON.stringify(checkpoint)]),
    );
  }

  async markSynced(nowMs: number): Promise<void> {
    await this.write((tx) => tx.query('UPDATE stripe_sync_state SET last_synced_at_ms = $2, last_error = NULL WHERE account_id = $1', [this.accountId, nowMs]));
  }

  async recordError(message: string): Promise<void> {
    await this.write((tx) => tx.query('UPDATE stripe_sync_state SET last_error = $2 WHERE account_id = $1', [this.accountId, message]));
  }

  async beginBulkWrites(): Promise<() => Promise<void>> {
    return async () => {};
  }

  async commitPage(page: BackfillPage): Promise<void> {
    await this.mirror(async (m, tx) => {
      const items = page.items as StripeObjectLike[];
      await m.prefetch(items.flatMap((o) => [o.id, ...embeddedIds(o)]));
      for (const item of items) await applyObject(m, item, page.ts, 'strict');
      await tx.query('UPDATE stripe_sync_state SET backfill = $2 WHERE account_id = $1', [this.accountId, JSON.stringify(page.checkpoint)]);
    });
  }

  async completeBackfill(done: CompleteBackfill): Promise<void> {
    const cp = done.checkpoint;
    await this.mirror(async (m, tx) => {
      if (cp.full && cp.startedAt !== null) await removeUnseen(m, tx, this.accountId, cp.startedAt, done.paymentMethodsListed);
      await tx.query(
        // A completed backfill keeps only what the key could not read (until the next backfill).
        'UPDATE stripe_sync_state SET backfill = $5, backfill_complete = true, events_cursor = $2, events_cursor_created = $3, last_synced_at_ms = $4, last_error = NULL WHERE account_id = $1',
        [this.accountId, done.eventsCursor, done.eventsCursorCreated, done.nowMs, JSON.stringify(done.missingPermissions.length ? { missingPermissions: done.missingPermissions } : {})],
      );
    });
  }

  async countCustomers(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM stripe_objects WHERE account_id = $1 AND type = 'customer' AND NOT deleted", [this.accountId]);
    return rows[0].n;
  }

  async customerIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      "SELECT id FROM stripe_objects WHERE account_id = $1 AND type = 'customer' AND NOT deleted AND id > $2 ORDER BY id LIMIT $3",
      [this.accountId, afterId ?? '', limit],
    );
    return rows.map((r) => r.id);
  }

  async unknownProductIds(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const { rows } = await this.pool.query<{ id: string }>("SELECT id FROM stripe_objects WHERE account_id = $1 AND type = 'product' AND id = ANY($2::text[])", [this.accountId, ids]);
    const known = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !known.has(id));
  }

  async recordProductNames(names: Array<{ id: string; name: string | null }>): Promise<void> {
    if (!names.length) return;
    // Only the name is read (subscription items); time 0 so any product event is newer.
    await this.mirror(async (m) => {
      for (const n of names) await applyObject(m, { id: n.id, object: 'product', name: n.name }, 0, 'latest');
    });
  }

  async applyEventPayloads(events: Stripe.Event[], apiVersion: string): Promise<EventPayloadsOutcome> {
    return this.mirror(async (m) => {
      await m.prefetch(events.map((e) => (e.data.object as { id: string }).id));
      const out = await applyEventPayloadsToMirror(m, events, apiVersion);
      return { fresh: out.fresh, refetch: out.refetch };
    });
  }

  async finishEventBatch(end: EventBatchEnd): Promise<void> {
    await this.mirror(async (m, tx) => {
      await applyFetched(m, end.fetched);
      await finishMirrorEvents(m, end.fresh);
      await tx.query('UPDATE stripe_sync_state SET events_cursor = $2, events_cursor_created = $3 WHERE account_id = $1', [this.accountId, end.cursor.id, end.cursor.created]);
    });
  }

  /**
   * Webhook deliveries applied (the second step): like finishEventBatch, but the events cursor
   * stays where the poll left it - webhooks arrive out of order, the poll walks forward - and the
   * deliveries leave the inbox.
   */
  async finishWebhookBatch(end: { fresh: Stripe.Event[]; fetched: FetchedObject[]; delivered: string[] }): Promise<void> {
    await this.mirror(async (m, tx) => {
      await applyFetched(m, end.fetched);
      await finishMirrorEvents(m, end.fresh);
      await tx.query('DELETE FROM stripe_webhook_inbox WHERE account_id = $1 AND event_id = ANY($2::text[])', [this.accountId, end.delivered]);
    });
  }

  async writeKnownUpTo(knownUpTo: number): Promise<void> {
    await this.write((tx) => tx.query('UPDATE stripe_sync_state SET events_cursor = NULL, events_cursor_created = $2 WHERE account_id = $1', [this.accountId, knownUpTo]));
  }

  async pruneAppliedEvents(olderThan: number): Promise<void> {
    await this.pool.query('DELETE FROM stripe_applied_events WHERE account_id = $1 AND created < $2', [this.accountId, olderThan]);
  }
}

/** Objects a listed one carries expanded (a customer's default payment method): prefetched with it. */
export function embeddedIds(o: StripeObjectLike): string[] {
  const pm = (o as { invoice_settings?: { default_payment_method?: unknown } }).invoice_settings?.default_payment_method;
  return pm && typeof pm === 'object' && typeof (pm as { id?: unknown }).id === 'string' ? [(pm as { id: string }).id] : [];
}

async function applyFetched(m: PgMirrorTx, fetched: FetchedObject[]): Promise<void> {
  await m.prefetch(fetched.flatMap((f) => [f.ref.id, ...((f.payments ?? []) as unknown as StripeObjectLike[]).map((p) => p.id)]));
  await applyFetchedToMirror(m, fetched);
}

/**
 * After a full resync: what the resync did not see (held version older than its start) is gone
 * from Stripe, the same rule as the desk's sink (the events that said so may have expired).
 */
async function removeUnseen(m: PgMirrorTx, tx: Tx, accountId: string, startedAt: number, paymentMethodsListed: boolean): Promise<void> {
  const { rows } = await tx.query<{ id: string; type: 'customer' | 'subscription' | 'invoice' | 'invoice_payment' | 'payment_method'; data: StripeObjectLike | null; parent_id: string | null }>(
    "SELECT id, type, data, parent_id FROM stripe_objects WHERE account_id = $1 AND NOT deleted AND source_ts < $2 AND type IN ('customer', 'subscription', 'invoice', 'invoice_payment', 'payment_method')",
    [accountId, startedAt],
  );
  await m.prefetch(rows.map((r) => r.id));
  for (const r of rows) {
    if (r.type !== 'payment_method') {
      await applyWrite(m, { op: 'delete', type: r.type, id: r.id, sourceTs: startedAt, parentId: r.parent_id });
    } else if (paymentMethodsListed && r.data?.customer) {
      await applyWrite(m, { op: 'upsert', type: 'payment_method', id: r.id, object: { ...r.data, customer: null }, sourceTs: startedAt, mode: 'latest', parentId: null });
    }
  }
}
