import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { mapCustomer, mapInvoice, mapPaymentMethod, mapSubscription, type PaymentAttemptRow, type SubscriptionItemRow } from './mappers';

// Writes mapped Stripe objects into the cache. The one write path for the sync, the on-demand
// refresh and the demo workspace. Each upsert carries `source_ts` (the Stripe-side time of this
// version: event.created, or the fetch time) and is ignored when the row already holds a newer one,
// so an old event replayed after a fresh fetch cannot roll a row back.

type Row = object;

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/** INSERT … ON CONFLICT DO UPDATE guarded by source_ts, for a table keyed by (account_id, id). */
function guardedUpsertSql(table: string, columns: string[], extra: Record<string, string> = {}): string {
  const all = ['account_id', ...columns, 'source_ts', ...Object.keys(extra)];
  const values = ['@account_id', ...columns.map((c) => `@${c}`), '@source_ts', ...Object.values(extra)];
  const updates = [...columns, 'source_ts', ...Object.keys(extra)].map((c) => `${c} = excluded.${c}`);
  return `INSERT INTO ${table} (${all.join(', ')}) VALUES (${values.join(', ')})
    ON CONFLICT (account_id, id) DO UPDATE SET ${updates.join(', ')}
    WHERE excluded.source_ts >= ${table}.source_ts`;
}

function upsert(db: Database.Database, table: string, accountId: string, row: Row, sourceTs: number, extra: Record<string, string> = {}): boolean {
  const columns = Object.keys(row);
  const sql = guardedUpsertSql(table, columns, extra);
  const result = prepared(db, sql).run({ ...row, account_id: accountId, source_ts: sourceTs, ...(extra.synced_at_ms ? { now_ms: Date.now() } : {}) });
  return result.changes > 0;
}

const SYNCED = { synced_at_ms: '@now_ms' };

export interface IngestResult {
  kind: 'customers' | 'subscriptions' | 'invoices' | 'payment_methods' | null;
  customerId: string | null;
  written: boolean;
}

export function ingestCustomer(db: Database.Database, accountId: string, c: Stripe.Customer, sourceTs: number): IngestResult {
  const row = mapCustomer(c);
  const written = upsert(db, 'customers', accountId, { ...row, deleted: 0 }, sourceTs, SYNCED);
  // The customer list is fetched with the default payment method expanded: keep it too.
  const pm = c.invoice_settings?.default_payment_method;
  if (pm && typeof pm !== 'string') ingestPaymentMethod(db, accountId, { ...pm, customer: pm.customer ?? c.id }, sourceTs);
  return { kind: 'customers', customerId: c.id, written };
}

export function markCustomerDeleted(db: Database.Database, accountId: string, customerId: string, sourceTs: number): IngestResult {
  const r = prepared(db, `UPDATE customers SET deleted = 1, source_ts = @ts, synced_at_ms = @now WHERE account_id = @a AND id = @id AND source_ts <= @ts`)
    .run({ a: accountId, id: customerId, ts: sourceTs, now: Date.now() });
  return { kind: 'customers', customerId, written: r.changes > 0 };
}

function replaceItems(db: Database.Database, accountId: string, subscriptionId: string, items: SubscriptionItemRow[]): void {
  prepared(db, 'DELETE FROM subscription_items WHERE account_id = ? AND subscription_id = ?').run(accountId, subscriptionId);
  for (const item of items) {
    const cols = Object.keys(item);
    prepared(db, `INSERT INTO subscription_items (account_id, ${cols.join(', ')}) VALUES (@account_id, ${cols.map((c) => '@' + c).join(', ')})`)
      .run({ ...item, account_id: accountId });
  }
}

export function ingestSubscription(db: Database.Database, accountId: string, s: Stripe.Subscription, sourceTs: number): IngestResult {
  const { row, items } = mapSubscription(s);
  const written = upsert(db, 'subscriptions', accountId, row, sourceTs, SYNCED);
  if (written) replaceItems(db, accountId, s.id, items);
  return { kind: 'subscriptions', customerId: row.customer_id, written };
}

function replaceAttempts(db: Database.Database, accountId: string, invoiceId: string, attempts: PaymentAttemptRow[], sourceTs: number): void {
  prepared(db, 'DELETE FROM payment_attempts WHERE account_id = ? AND invoice_id = ?').run(accountId, invoiceId);
  for (const a of attempts) {
    const cols = Object.keys(a);
    prepared(db, `INSERT INTO payment_attempts (account_id, source_ts, ${cols.join(', ')}) VALUES (@account_id, @source_ts, ${cols.map((c) => '@' + c).join(', ')})`)
      .run({ ...a, account_id: accountId, source_ts: sourceTs });
  }
}

export function ingestInvoice(db: Database.Database, accountId: string, inv: Stripe.Invoice, sourceTs: number): IngestResult {
  const { row, attempts } = mapInvoice(inv);
  const written = upsert(db, 'invoices', accountId, row, sourceTs, SYNCED);
  if (written && attempts) replaceAttempts(db, accountId, row.id, attempts, sourceTs);
  return { kind: 'invoices', customerId: row.customer_id, written };
}

export function deleteInvoice(db: Database.Database, accountId: string, invoiceId: string): void {
  prepared(db, 'DELETE FROM invoices WHERE account_id = ? AND id = ?').run(accountId, invoiceId);
}

export function ingestPaymentMethod(db: Database.Database, accountId: string, pm: Stripe.PaymentMethod, sourceTs: number): IngestResult {
  const row = mapPaymentMethod(pm);
  const written = upsert(db, 'payment_methods', accountId, row, sourceTs, SYNCED);
  return { kind: 'payment_methods', customerId: row.customer_id, written };
}

/** A payment method detached from its customer: it no longer belongs on their profile. */
export function detachPaymentMethod(db: Database.Database, accountId: string, paymentMethodId: string, sourceTs: number): void {
  prepared(db, 'UPDATE payment_methods SET customer_id = NULL, source_ts = @ts WHERE account_id = @a AND id = @id AND source_ts <= @ts')
    .run({ a: accountId, id: paymentMethodId, ts: sourceTs });
}

/** Dispatches on `object`; unknown object types are ignored (the product does not read them). */
export function ingestObject(db: Database.Database, accountId: string, obj: { object: string; id?: string } & Record<string, unknown>, sourceTs: number): IngestResult {
  switch (obj.object) {
    case 'customer':
      return (obj as { deleted?: boolean }).deleted
        ? markCustomerDeleted(db, accountId, obj.id!, sourceTs)
        : ingestCustomer(db, accountId, obj as unknown as Stripe.Customer, sourceTs);
    case 'subscription':
      return ingestSubscription(db, accountId, obj as unknown as Stripe.Subscription, sourceTs);
    case 'invoice':
      return ingestInvoice(db, accountId, obj as unknown as Stripe.Invoice, sourceTs);
    case 'payment_method':
      return ingestPaymentMethod(db, accountId, obj as unknown as Stripe.PaymentMethod, sourceTs);
    default:
      return { kind: null, customerId: null, written: false };
  }
}

export function ensureAccount(db: Database.Database, account: { id: string; name: string; livemode: boolean; isDemo: boolean }): void {
  prepared(db, `INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES (@id, @name, @livemode, @is_demo, @now)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, livemode = excluded.livemode`)
    .run({ id: account.id, name: account.name, livemode: account.livemode ? 1 : 0, is_demo: account.isDemo ? 1 : 0, now: Date.now() });
  prepared(db, 'INSERT OR IGNORE INTO sync_state (account_id) VALUES (?)').run(account.id);
}
