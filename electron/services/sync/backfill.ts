import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import type { ServiceContext } from '../core/context';
import { ingestCustomer, ingestInvoice, ingestInvoicePayment, ingestPaymentMethod, ingestSubscription } from '../stripe/ingest';
import { ProductNames } from '../stripe/product-names';
import { beginBulkWrites } from './bulk-writes';
import { ChangeSet } from './changes';
import { responseTime } from './clients';
import { INVOICE_PAYMENTS_EXPAND } from './fetch-objects';
import { type BackfillCheckpoint, type BackfillResource, type ResourceCheckpoint, completeBackfill, emptyCheckpoint, readSyncState, startBackfill, writeCheckpoint, type SyncStateRow } from './sync-state';

// The resumable backfill: every list the product reads, in pages of 100, newest first. Each page
// is written in ONE short transaction together with its checkpoint (the id to continue after), so
// a killed backfill resumes from its last committed page and a reader never waits long for the
// database. Four streams run side by side under the account's one rate budget: customers (then
// their payment methods), subscriptions (status=all), invoices, and invoice payments (the attempts
// with decline data; they may land before their invoice, which migration 003 allows).

export const PAGE_SIZE = 100;
/** Payment methods are listed customer by customer up to this many customers (else: the defaults). */
export const DEFAULT_PAYMENT_METHODS_ALL_LIMIT = 5_000;

export interface BackfillOptions {
  full?: boolean;
  /** 'all': list every customer's payment methods (one request each); 'defaults': only the default
   * one that comes expanded with the customer. Default: 'all' up to 5,000 customers. */
  paymentMethods?: 'all' | 'defaults';
  paymentMethodsAllLimit?: number;
  onPage?: (info: { resource: BackfillResource; resources: BackfillCheckpoint['resources'] }) => void;
  signal?: AbortSignal;
}

export interface BackfillRunResult {
  ran: boolean;
  pages: number;
  objects: number;
  counts: Partial<Record<BackfillResource, number>>;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
  ts: number;
}

/** Writes one page of a resource (used by the backfill, and directly by the property tests). */
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

function listParams(after: string | null): { limit: number; starting_after?: string } {
  return after ? { limit: PAGE_SIZE, starting_after: after } : { limit: PAGE_SIZE };
}

async function fetchPage(client: Stripe, resource: Exclude<BackfillResource, 'payment_methods'>, after: string | null): Promise<Page<{ id: string; created: number }>> {
  const now = Date.now();
  let page: Stripe.ApiList<{ id: string; created: number }>;
  switch (resource) {
    case 'customers':
      page = (await client.customers.list({ ...listParams(after), expand: ['data.invoice_settings.default_payment_method'] })) as never;
      break;
    case 'subscriptions':
      page = (await client.subscriptions.list({ ...listParams(after), status: 'all' })) as never;
      break;
    case 'invoices':
      page = (await client.invoices.list(listParams(after))) as never;
      break;
    case 'invoice_payments':
      page = (await client.invoicePayments.list({ ...listParams(after), expand: INVOICE_PAYMENTS_EXPAND })) as never;
      break;
  }
  return { data: page.data, has_more: page.has_more, ts: responseTime(page as never, now) };
}

function checkpointOf(cp: BackfillCheckpoint, r: BackfillResource): ResourceCheckpoint {
  return (cp.resources[r] ??= { after: null, done: false, pages: 0, objects: 0, lastCreated: null, firstCreated: null });
}

/**
 * Runs (or resumes) the backfill of one account. Returns ran=false when the cache is already
 * backfilled and no full resync was asked for.
 */
export async function runBackfill(ctx: ServiceContext, accountId: string, client: Stripe, opts: BackfillOptions = {}): Promise<BackfillRunResult> {
  const state = readSyncState(ctx.db, accountId);
  if (state.backfillComplete && !opts.full) return { ran: false, pages: 0, objects: 0, counts: {} };
  const endBulkWrites = beginBulkWrites(ctx.db);
  try {
    return await backfillStreams(ctx, accountId, client, opts, state);
  } finally {
    endBulkWrites();
  }
}

async function backfillStreams(ctx: ServiceContext, accountId: string, client: Stripe, opts: BackfillOptions, state: SyncStateRow): Promise<BackfillRunResult> {
  const db = ctx.db;
  let cp: BackfillCheckpoint = !opts.full && state.backfill ? state.backfill : emptyCheckpoint(Boolean(opts.full) || Boolean(state.backfill?.full));
  if (opts.full && state.backfill?.full && !state.backfillComplete) cp = state.backfill; // resume an interrupted resync
  if (cp.startedAt === null) {
    // Where the events poller will continue: the newest event before any page is read.
    const probe = await client.events.list({ limit: 1 });
    cp.eventsCursorAtStart = probe.data[0]?.id ?? null;
    cp.eventsCursorCreatedAtStart = probe.data[0]?.created ?? null;
    cp.startedAt = responseTime(probe as never, Date.now());
    startBackfill(db, accountId, cp);
  }
  const productNames = new ProductNames(db, accountId);
  const result: BackfillRunResult = { ran: true, pages: 0, objects: 0, counts: {} };
  let failed: unknown = null;

  const commitPage = (resource: BackfillResource, items: Array<{ id: string; created?: number }>, ts: number, nextAfter: string | null, done: boolean, pageChanges?: ChangeSet) => {
    let changes!: ChangeSet;
    db.transaction(() => {
      changes = pageChanges ?? ingestPage(db, accountId, resource, items, ts, productNames);
      const rc = checkpointOf(cp, resource);
      rc.after = nextAfter;
      rc.done = done;
      rc.pages += 1;
      rc.objects += items.length;
      const last = items[items.length - 1];
      if (last?.created != null) rc.lastCreated = last.created;
      if (rc.firstCreated == null && items[0]?.created != null) rc.firstCreated = items[0].created!;
      writeCheckpoint(db, accountId, cp);
    })();
    result.pages++;
    result.objects += items.length;
    result.counts[resource] = (result.counts[resource] ?? 0) + items.length;
    changes.emit(ctx, accountId);
    opts.onPage?.({ resource, resources: cp.resources });
  };

  const stop = () => failed !== null || opts.signal?.aborted === true;

  const listStream = async (resource: Exclude<BackfillResource, 'payment_methods'>) => {
    const rc = checkpointOf(cp, resource);
    while (!rc.done && !stop()) {
      const page = await fetchPage(client, resource, rc.after);
      if (stop()) return;
      if (resource === 'subscriptions') await productNames.ensure(client, page.data as unknown as Stripe.Subscription[]);
      const last = page.data[page.data.length - 1];
      commitPage(resource, page.data, page.ts, last ? last.id : rc.after, !page.has_more || !last);
    }
  };

  const paymentMethodStream = async () => {
    const rc = checkpointOf(cp, 'payment_methods');
    if (rc.done) return;
    const customerCount = (db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0').get(accountId) as { n: number }).n;
    const mode = opts.paymentMethods ?? (customerCount <= (opts.paymentMethodsAllLimit ?? DEFAULT_PAYMENT_METHODS_ALL_LIMIT) ? 'all' : 'defaults');
    if (mode === 'defaults') {
      commitPage('payment_methods', [], cp.startedAt ?? 0, null, true);
      return;
    }
    const nextCustomer = db.prepare('SELECT id FROM customers WHERE account_id = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT 1');
    while (!stop()) {
      const row = nextCustomer.get(accountId, rc.after ?? '') as { id: string } | undefined;
      if (!row) {
        commitPage('payment_methods', [], cp.startedAt ?? 0, rc.after, true);
        return;
      }
      const items: Stripe.PaymentMethod[] = [];
      let after: string | undefined;
      let ts = 0;
      for (;;) {
        const page = await client.customers.listPaymentMethods(row.id, { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) }).catch((err: { code?: string }) => {
          if (err?.code === 'resource_missing') return null; // deleted meanwhile: its deletion event follows
          throw err;
        });
        if (!page) break;
        ts = responseTime(page as never, Date.now());
        items.push(...page.data);
        if (!page.has_more || !page.data.length) break;
        after = page.data[page.data.length - 1].id;
      }
      if (stop()) return;
      commitPage('payment_methods', items, ts, row.id, false);
    }
  };

  const guard = (p: Promise<void>) =>
    p.catch((err) => {
      failed ??= err;
    });
  await Promise.all([
    guard(listStream('customers').then(() => (stop() ? undefined : paymentMethodStream()))),
    guard(listStream('subscriptions')),
    guard(listStream('invoices')),
    guard(listStream('invoice_payments')),
  ]);
  if (failed) throw failed;
  if (opts.signal?.aborted) return result;

  db.transaction(() => {
    if (cp.full && cp.startedAt !== null) removeUnseen(db, accountId, cp.startedAt, checkpointOf(cp, 'payment_methods').pages > 1);
    completeBackfill(db, accountId, cp.eventsCursorAtStart, cp.eventsCursorCreatedAtStart ?? cp.startedAt, ctx.now());
  })();
  return result;
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
