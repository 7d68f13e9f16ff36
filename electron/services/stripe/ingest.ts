import type Database from 'better-sqlite3';
import { parseWorkspaceId } from '../../../shared/domain/workspace-id';
import type Stripe from 'stripe';
import { idOf, mapCustomer, mapInvoice, mapInvoicePayment, mapPaymentMethod, mapSubscription, type PaymentAttemptRow, type SubscriptionItemRow } from './mappers';
import { prepared } from '../db/statements';
import { guardVerdict, type GuardMode } from './version-guard';

// Writes mapped Stripe objects into the cache. The one write path for the sync, the on-demand
// refresh and the demo workspace. Each upsert carries `source_ts` (the Stripe-side time of this
// version: event.created, or the Date of the response it came in) and is ignored when the row
// already holds a newer one, so an old event replayed after a fresh fetch cannot roll a row back.
//
// The guard's two modes ('latest', 'strict') are in version-guard.ts, shared with the team server's
// PostgreSQL mirror.
// Objects Stripe deleted outright (draft invoices) and deleted customers leave a tombstone: no
// later-applied older copy brings them back.

type Row = object;
export type { GuardMode };
export interface IngestOptions {
  mode?: GuardMode;
}


const sqlCache = new Map<string, UpsertSql>();

interface UpsertSql {
  select: string;
  insert: string;
  update: string;
}

/**
 * A guarded upsert as SELECT, then a plain INSERT or UPDATE. Not `INSERT … ON CONFLICT DO UPDATE`:
 * an UPSERT's conflict clause overrides the `INSERT OR IGNORE` inside triggers on the table (the
 * search index's triggers on customers), which then fail with a UNIQUE error.
 */
function upsertSql(table: string, columns: string[], extra: Record<string, string>): UpsertSql {
  const cacheKey = `${table}|${columns.join(',')}|${Object.keys(extra).join(',')}`;
  let sql = sqlCache.get(cacheKey);
  if (sql) return sql;
  const all = ['account_id', ...columns, 'source_ts', ...Object.keys(extra)];
  const values = ['@account_id', ...columns.map((c) => `@${c}`), '@source_ts', ...Object.values(extra)];
  const sets = [...columns.filter((c) => c !== 'id'), 'source_ts'].map((c) => `${c} = @${c}`).concat(Object.entries(extra).map(([c, v]) => `${c} = ${v}`));
  sql = {
    select: `SELECT source_ts FROM ${table} WHERE account_id = ? AND id = ?`,
    insert: `INSERT INTO ${table} (${all.join(', ')}) VALUES (${values.join(', ')})`,
    update: `UPDATE ${table} SET ${sets.join(', ')} WHERE account_id = @account_id AND id = @id`,
  };
  sqlCache.set(cacheKey, sql);
  return sql;
}


interface UpsertOutcome {
  written: boolean;
  conflict: boolean;
}

function upsert(db: Database.Database, table: string, accountId: string, row: Row & { id: string }, sourceTs: number, extra: Record<string, string>, mode: GuardMode): UpsertOutcome {
  const sql = upsertSql(table, Object.keys(row), extra);
  const params = { ...row, account_id: accountId, source_ts: sourceTs, ...(extra.synced_at_ms ? { now_ms: Date.now() } : {}) };
  const held = prepared(db, sql.select).get(accountId, row.id) as { source_ts: number } | undefined;
  if (!held) {
    prepared(db, sql.insert).run(params);
    return { written: true, conflict: false };
  }
  const verdict = guardVerdict(mode, sourceTs, held.source_ts);
  if (!verdict.write) return { written: false, conflict: verdict.conflict };
  prepared(db, sql.update).run(params);
  return { written: true, conflict: false };
}

const SYNCED = { synced_at_ms: '@now_ms' };

export interface IngestResult {
  kind: 'customers' | 'subscriptions' | 'invoices' | 'payment_methods' | null;
  customerId: string | null;
  written: boolean;
  /** strict mode: the row holds a version of the same second; re-fetch to know which is newer. */
  conflict?: boolean;
}

// ---- tombstones ------------------------------------------------------------------------------

export function isTombstoned(db: Database.Database, accountId: string, id: string): boolean {
  return prepared(db, 'SELECT 1 FROM sync_tombstones WHERE account_id = ? AND id = ?').get(accountId, id) !== undefined;
}

function tombstone(db: Database.Database, accountId: string, objectType: string, id: string, deletedTs: number): void {
  prepared(db, 'INSERT OR IGNORE INTO sync_tombstones (account_id, object_type, id, deleted_ts) VALUES (?, ?, ?, ?)').run(accountId, objectType, id, deletedTs);
}

// ---- customers -------------------------------------------------------------------------------

export function ingestCustomer(db: Database.Database, accountId: string, c: Stripe.Customer, sourceTs: number, opts: IngestOptions = {}): IngestResult {
  if (isTombstoned(db, accountId, c.id)) return { kind: 'customers', customerId: c.id, written: false };
  const row = mapCustomer(c);
  const customerRow = { ...row, deleted: 0 };
  const out = upsert(db, 'customers', accountId, customerRow, sourceTs, SYNCED, opts.mode ?? 'latest');
  // The customer list is fetched with the default payment method expanded: keep it too.
  const pm = c.invoice_settings?.default_payment_method;
  if (pm && typeof pm !== 'string') ingestPaymentMethod(db, accountId, { ...pm, customer: pm.customer ?? c.id }, sourceTs, opts);
  return { kind: 'customers', customerId: c.id, written: out.written, conflict: out.conflict };
}

/** A deleted customer stays as a row with deleted = 1 (their history still explains a ticket). */
export function markCustomerDeleted(db: Database.Database, accountId: string, customerId: string, sourceTs: number): IngestResult {
  tombstone(db, accountId, 'customer', customerId, sourceTs);
  const r = prepared(db, `UPDATE customers SET deleted = 1, source_ts = MAX(source_ts, @ts), synced_at_ms = @now WHERE account_id = @a AND id = @id AND deleted = 0`)
    .run({ a: accountId, id: customerId, ts: sourceTs, now: Date.now() });
  return { kind: 'customers', customerId, written: r.changes > 0 };
}

// ---- subscriptions ---------------------------------------------------------------------------

function replaceItems(db: Database.Database, accountId: string, subscriptionId: string, items: SubscriptionItemRow[]): void {
  prepared(db, 'DELETE FROM subscription_items WHERE account_id = ? AND subscription_id = ?').run(accountId, subscriptionId);
  for (const item of items) {
    const cols = Object.keys(item);
    prepared(db, `INSERT INTO subscription_items (account_id, ${cols.join(', ')}) VALUES (@account_id, ${cols.map((c) => '@' + c).join(', ')})`)
      .run({ ...item, account_id: accountId });
  }
}

/**
 * `productNames` fills product_name when the price's product arrives as an id (the 4-level expand
 * limit stops `data.items.data.price.product` on the list); see stripe/product-names.ts.
 */
export function ingestSubscription(db: Database.Database, accountId: string, s: Stripe.Subscription, sourceTs: number, opts: IngestOptions & { productNames?: (productId: string) => string | null } = {}): IngestResult {
  const { row, items } = mapSubscription(s);
  if (opts.productNames) for (const i of items) if (i.product_id && !i.product_name) i.product_name = opts.productNames(i.product_id);
  const out = upsert(db, 'subscriptions', accountId, row, sourceTs, SYNCED, opts.mode ?? 'latest');
  if (out.written) replaceItems(db, accountId, s.id, items);
  return { kind: 'subscriptions', customerId: row.customer_id, written: out.written, conflict: out.conflict };
}

// ---- invoices and payment attempts -----------------------------------------------------------

/** Columns only a Charge gives (absent when the charge came as an id): kept from the same charge. */
const CHARGE_ONLY = new Set(['network_status', 'outcome_type', 'outcome_reason', 'card_brand', 'card_last4']);

function upsertAttempt(db: Database.Database, accountId: string, a: PaymentAttemptRow, sourceTs: number, mode: GuardMode): boolean {
  const cols = Object.keys(a);
  const key = `attempt|${cols.join(',')}`;
  let sql = sqlCache.get(key);
  if (!sql) {
    const sets = [...cols.filter((c) => c !== 'id'), 'source_ts'].map((c) =>
      CHARGE_ONLY.has(c) ? `${c} = COALESCE(@${c}, CASE WHEN charge_id IS @charge_id THEN ${c} END)` : `${c} = @${c}`,
    );
    sql = {
      select: 'SELECT source_ts FROM payment_attempts WHERE account_id = ? AND id = ?',
      insert: `INSERT INTO payment_attempts (account_id, source_ts, ${cols.join(', ')}) VALUES (@account_id, @source_ts, ${cols.map((c) => '@' + c).join(', ')})`,
      update: `UPDATE payment_attempts SET ${sets.join(', ')} WHERE account_id = @account_id AND id = @id`,
    };
    sqlCache.set(key, sql);
  }
  const params = { ...a, account_id: accountId, source_ts: sourceTs };
  const held = prepared(db, sql.select).get(accountId, a.id) as { source_ts: number } | undefined;
  if (!held) {
    prepared(db, sql.insert).run(params);
    return true;
  }
  if (!guardVerdict(mode, sourceTs, held.source_ts).write) return false;
  prepared(db, sql.update).run(params);
  return true;
}

/** The invoice's attempts become exactly these (payments expanded on the invoice: the full set). */
function replaceAttempts(db: Database.Database, accountId: string, invoiceId: string, attempts: PaymentAttemptRow[], sourceTs: number): void {
  const keep = new Set(attempts.map((a) => a.id));
  const existing = prepared(db, 'SELECT id FROM payment_attempts WHERE account_id = ? AND invoice_id = ?').all(accountId, invoiceId) as { id: string }[];
  for (const e of existing) if (!keep.has(e.id)) prepared(db, 'DELETE FROM payment_attempts WHERE account_id = ? AND id = ?').run(accountId, e.id);
  for (const a of attempts) upsertAttempt(db, accountId, a, sourceTs, 'latest');
}

export function ingestInvoice(db: Database.Database, accountId: string, inv: Stripe.Invoice, sourceTs: number, opts: IngestOptions = {}): IngestResult {
  if (isTombstoned(db, accountId, inv.id!)) return { kind: 'invoices', customerId: idOf(inv.customer as string), written: false };
  const { row, attempts } = mapInvoice(inv);
  const out = upsert(db, 'invoices', accountId, row, sourceTs, SYNCED, opts.mode ?? 'latest');
  // `payments` present only when expanded, and then it is the invoice's first page of payments.
  if (out.written && attempts) {
    if (!inv.payments?.has_more) replaceAttempts(db, accountId, row.id, attempts, sourceTs);
    else for (const a of attempts) upsertAttempt(db, accountId, a, sourceTs, 'latest');
  }
  return { kind: 'invoices', customerId: row.customer_id, written: out.written, conflict: out.conflict };
}

/**
 * One InvoicePayment from the invoice_payments list (with `payment.payment_intent.latest_charge`
 * expanded: the decline and the charge outcome). The customer comes from the PaymentIntent, or
 * from the cached invoice when the intent is not expanded.
 */
export function ingestInvoicePayment(db: Database.Database, accountId: string, p: Stripe.InvoicePayment, sourceTs: number, opts: IngestOptions = {}): { written: boolean; invoiceId: string; customerId: string | null } {
  const invoiceId = idOf(p.invoice as Stripe.Invoice | string)!;
  if (isTombstoned(db, accountId, invoiceId)) return { written: false, invoiceId, customerId: null };
  const pi = p.payment?.payment_intent;
  let customerId = pi && typeof pi !== 'string' ? idOf(pi.customer as Stripe.Customer | string | null) : null;
  if (!customerId) customerId = (prepared(db, 'SELECT customer_id FROM invoices WHERE account_id = ? AND id = ?').get(accountId, invoiceId) as { customer_id: string } | undefined)?.customer_id ?? null;
  const written = upsertAttempt(db, accountId, mapInvoicePayment(invoiceId, customerId, p), sourceTs, opts.mode ?? 'latest');
  return { written, invoiceId, customerId };
}

/** Drops attempts of an invoice that Stripe no longer lists (after a full re-fetch of its payments). */
export function pruneAttempts(db: Database.Database, accountId: string, invoiceId: string, keepIds: string[]): void {
  const keep = new Set(keepIds);
  const existing = prepared(db, 'SELECT id FROM payment_attempts WHERE account_id = ? AND invoice_id = ?').all(accountId, invoiceId) as { id: string }[];
  for (const e of existing) if (!keep.has(e.id)) prepared(db, 'DELETE FROM payment_attempts WHERE account_id = ? AND id = ?').run(accountId, e.id);
}

/** One invoice payment Stripe no longer lists for its invoice (the team server's feed says so). */
export function deleteInvoicePayment(db: Database.Database, accountId: string, paymentId: string): void {
  prepared(db, 'DELETE FROM payment_attempts WHERE account_id = ? AND id = ?').run(accountId, paymentId);
}

/** A draft invoice deleted in Stripe: the row and its attempts go, and a tombstone stays. */
export function deleteInvoice(db: Database.Database, accountId: string, invoiceId: string, deletedTs = Math.floor(Date.now() / 1000)): void {
  tombstone(db, accountId, 'invoice', invoiceId, deletedTs);
  prepared(db, 'DELETE FROM payment_attempts WHERE account_id = ? AND invoice_id = ?').run(accountId, invoiceId);
  prepared(db, 'DELETE FROM invoices WHERE account_id = ? AND id = ?').run(accountId, invoiceId);
}

// ---- payment methods -------------------------------------------------------------------------

export function ingestPaymentMethod(db: Database.Database, accountId: string, pm: Stripe.PaymentMethod, sourceTs: number, opts: IngestOptions = {}): IngestResult {
  const row = mapPaymentMethod(pm);
  const out = upsert(db, 'payment_methods', accountId, row, sourceTs, SYNCED, opts.mode ?? 'latest');
  return { kind: 'payment_methods', customerId: row.customer_id, written: out.written, conflict: out.conflict };
}

/** A payment method detached from its customer: it no longer belongs on their profile. */
export function detachPaymentMethod(db: Database.Database, accountId: string, paymentMethodId: string, sourceTs: number): void {
  prepared(db, 'UPDATE payment_methods SET customer_id = NULL, source_ts = @ts WHERE account_id = @a AND id = @id AND source_ts <= @ts')
    .run({ a: accountId, id: paymentMethodId, ts: sourceTs });
}

/** Dispatches on `object`; unknown object types are ignored (the product does not read them). */
export function ingestObject(db: Database.Database, accountId: string, obj: { object: string; id?: string } & Record<string, unknown>, sourceTs: number, opts: IngestOptions = {}): IngestResult {
  switch (obj.object) {
    case 'customer':
      return (obj as { deleted?: boolean }).deleted
        ? markCustomerDeleted(db, accountId, obj.id!, sourceTs)
        : ingestCustomer(db, accountId, obj as unknown as Stripe.Customer, sourceTs, opts);
    case 'subscription':
      return ingestSubscription(db, accountId, obj as unknown as Stripe.Subscription, sourceTs, opts);
    case 'invoice':
      return ingestInvoice(db, accountId, obj as unknown as Stripe.Invoice, sourceTs, opts);
    case 'payment_method':
      return ingestPaymentMethod(db, accountId, obj as unknown as Stripe.PaymentMethod, sourceTs, opts);
    default:
      return { kind: null, customerId: null, written: false };
  }
}

/**
 * The workspace row of one (Stripe account, mode). `id` is the workspace id
 * (shared/domain/workspace-id.ts); it already says the mode, so an existing row keeps its mode.
 */
export function ensureAccount(db: Database.Database, account: { id: string; stripeAccountId?: string | null; name: string; livemode: boolean; isDemo: boolean }): void {
  const parsed = parseWorkspaceId(account.id);
  if (!account.isDemo && parsed.livemode !== account.livemode) {
    throw new Error(`ensureAccount: workspace id ${account.id} is ${parsed.livemode ? 'live' : 'test'} mode but the account says ${account.livemode ? 'live' : 'test'}`);
  }
  const stripeAccountId = account.isDemo ? account.id : (account.stripeAccountId ?? parsed.stripeAccountId);
  prepared(db, `INSERT INTO accounts (id, stripe_account_id, name, livemode, is_demo, added_at_ms) VALUES (@id, @stripe_account_id, @name, @livemode, @is_demo, @now)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name`)
    .run({ id: account.id, stripe_account_id: stripeAccountId, name: account.name, livemode: account.livemode ? 1 : 0, is_demo: account.isDemo ? 1 : 0, now: Date.now() });
  prepared(db, 'INSERT OR IGNORE INTO sync_state (account_id) VALUES (?)').run(account.id);
}
