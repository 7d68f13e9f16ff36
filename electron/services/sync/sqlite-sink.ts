import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { prepared } from '../db/statements';
import { ingestCustomer, ingestInvoice, ingestInvoicePayment, ingestPaymentMethod, ingestSubscription } from '../stripe/ingest';
import { ProductNames } from '../stripe/product-names';
import { applyEventPayloads, applyRefetched, finishEvents, pruneAppliedEvents } from './apply-events';
import { ChangeSet } from './changes';
import type { BackfillPage, CompleteBackfill, EventBatchEnd, EventPayloadsOutcome, SyncSink } from './sink';
import { completeBackfill, markSynced, readSyncState, recordError, requireResync, startBackfill, writeCheckpoint, writeEventsCursor, writeKnownUpTo, type BackfillCheckpoint, type BackfillResource, type SyncStateRow } from './sync-state';

// The desk's sink: the local SQLite cache. Stripe objects go through the one ingest path (mappers ->
// tables -> FTS triggers), each write in one better-sqlite3 transaction (synchronous, so atomic by
// construction), and the change notice goes out on the hub after the commit.

/** Writes one page of a resource (used by the sink, and directly by the property tests and the bench). */
export function ingestPage(db: Database.Database, accountId: string, resource: BackfillResource, items: unknown[], ts: number, productNames?: ProductNames): ChangeSet {
  const changes = new ChangeSet();
  const strict = { mode: 'strict' as const };
  for (const item of items) {
    switch (resource) {
      case 'customers': {
        const r = ingestCustomer(db, accountId, item as Stripe.Customer, ts, strict);
        if (r.written) changes.add('customers', r.customerId);
        if ((item as Stripe.Customer).invoice_settings?.default_payment_method) changes.add('payment_methods');
        break;
      }
      case 'payment_methods': {
        const r = ingestPaymentMethod(db, accountId, item as Stripe.PaymentMethod, ts, strict);
        if (r.written) changes.add('payment_methods', r.customerId);
        break;
      }
      case 'subscriptions': {
        const r = ingestSubscription(db, accountId, item as Stripe.Subscription, ts, { ...strict, productNames: productNames?.lookup });
        if (r.written) changes.add('subscriptions', r.customerId);
        break;
      }
      case 'invoices': {
        const r = ingestInvoice(db, accountId, item as Stripe.Invoice, ts, strict);
        if (r.written) changes.add('invoices', r.customerId);
        break;
      }
      case 'invoice_payments': {
        const r = ingestInvoicePayment(db, accountId, item as Stripe.InvoicePayment, ts, strict);
        if (r.written) changes.add('invoices', r.customerId);
        break;
      }
    }
  }
  return changes;
}

/**
 * After a full resync: what the resync did not see (source_ts older than its start) is gone from
 * Stripe - deleted customers are not listed, deleted drafts neither. The events that said so may
 * have expired, which is why the resync ran.
 */
function removeUnseen(db: Database.Database, accountId: string, startedAt: number, paymentMethodsListed: boolean): void {
  const gone = db.prepare('SELECT id FROM customers WHERE account_id = ? AND deleted = 0 AND source_ts < ?').all(accountId, startedAt) as { id: string }[];
  for (const c of gone) db.prepare('INSERT OR IGNORE INTO sync_tombstones (account_id, object_type, id, deleted_ts) VALUES (?, ?, ?, ?)').run(accountId, 'customer', c.id, startedAt);
  db.prepare('UPDATE customers SET deleted = 1 WHERE account_id = ? AND deleted = 0 AND source_ts < ?').run(accountId, startedAt);
  db.prepare('DELETE FROM subscriptions WHERE account_id = ? AND source_ts < ?').run(accountId, startedAt);
  db.prepare('DELETE FROM payment_attempts WHERE account_id = ? AND source_ts < ?').run(accountId, startedAt);
  db.prepare('DELETE FROM invoices WHERE account_id = ? AND source_ts < ?').run(accountId, startedAt);
  if (paymentMethodsListed) db.prepare('UPDATE payment_methods SET customer_id = NULL WHERE account_id = ? AND customer_id IS NOT NULL AND source_ts < ?').run(accountId, startedAt);
}

export class SqliteSyncSink implements SyncSink {
  private readonly db: Database.Database;
  /** Product names of this account, loaded once from the cached items (see stripe/product-names.ts). */
  private names: ProductNames | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    readonly accountId: string,
  ) {
    this.db = ctx.db;
  }

  private productNames(): ProductNames {
    return (this.names ??= new ProductNames(this.db, this.accountId));
  }

  async readState(): Promise<SyncStateRow> {
    return readSyncState(this.db, this.accountId);
  }

  async startBackfill(checkpoint: BackfillCheckpoint): Promise<void> {
    startBackfill(this.db, this.accountId, checkpoint);
  }

  async requireResync(checkpoint: BackfillCheckpoint): Promise<void> {
    requireResync(this.db, this.accountId, checkpoint);
  }

  async markSynced(nowMs: number): Promise<void> {
    markSynced(this.db, this.accountId, nowMs);
  }

  async recordError(message: string): Promise<void> {
    recordError(this.db, this.accountId, message);
  }

  async beginBulkWrites(): Promise<() => Promise<void>> {
    const end = this.ctx.registries.bulkWrites.begin();
    return async () => end();
  }

  async commitPage(page: BackfillPage): Promise<void> {
    const names = this.productNames();
    const changes = this.db.transaction(() => {
      const c = ingestPage(this.db, this.accountId, page.resource, page.items, page.ts, names);
      writeCheckpoint(this.db, this.accountId, page.checkpoint);
      return c;
    })();
    changes.emit(this.ctx, this.accountId);
  }

  async completeBackfill(done: CompleteBackfill): Promise<void> {
    const cp = done.checkpoint;
    this.db.transaction(() => {
      if (cp.full && cp.startedAt !== null) removeUnseen(this.db, this.accountId, cp.startedAt, done.paymentMethodsListed);
      completeBackfill(this.db, this.accountId, done.eventsCursor, done.eventsCursorCreated, done.nowMs, done.missingPermissions);
    })();
  }

  async countCustomers(): Promise<number> {
    return (prepared(this.db, 'SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0').get(this.accountId) as { n: number }).n;
  }

  async customerIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    const rows = prepared(this.db, 'SELECT id FROM customers WHERE account_id = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?').all(this.accountId, afterId ?? '', limit) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async unknownProductIds(ids: string[]): Promise<string[]> {
    const names = this.productNames();
    return ids.filter((id) => !names.has(id));
  }

  async recordProductNames(names: Array<{ id: string; name: string | null }>): Promise<void> {
    const book = this.productNames();
    this.db.transaction(() => {
      for (const n of names) book.set(n.id, n.name);
    })();
  }

  async applyEventPayloads(events: Stripe.Event[], apiVersion: string): Promise<EventPayloadsOutcome> {
    const productNames = this.productNames();
    const outcome = this.db.transaction(() => applyEventPayloads(this.db, this.accountId, events, { apiVersion, productNames }))();
    outcome.changes.emit(this.ctx, this.accountId);
    return { fresh: outcome.fresh, refetch: outcome.refetch };
  }

  async finishEventBatch(end: EventBatchEnd): Promise<void> {
    const productNames = this.productNames();
    const changes = this.db.transaction(() => {
      const c = applyRefetched(this.db, this.accountId, end.fetched, productNames);
      finishEvents(this.db, this.accountId, end.fresh, end.nowMs);
      writeEventsCursor(this.db, this.accountId, end.cursor.id, end.cursor.created);
      return c;
    })();
    changes.emit(this.ctx, this.accountId);
  }

  async writeKnownUpTo(knownUpTo: number): Promise<void> {
    writeKnownUpTo(this.db, this.accountId, knownUpTo);
  }

  async pruneAppliedEvents(olderThan: number): Promise<void> {
    pruneAppliedEvents(this.db, this.accountId, olderThan);
  }
}
