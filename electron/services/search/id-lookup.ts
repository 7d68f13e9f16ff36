import type Database from 'better-sqlite3';
import type { SearchMatchKind } from '../../../shared/contract/customers';
import type { StripeIdKind } from './normalize';
import { prepared } from '../db/statements';

// Exact lookups answered from the primary keys and indexes of the mirrored tables: a pasted id,
// invoice number or card last4 resolves to its customer without touching the text index.

export interface DirectMatch {
  customerId: string;
  kind: SearchMatchKind;
  matched: string;
}

interface IdSource {
  label: string;
  sql: string;
}

// Each source yields (customer_id, object id) for an exact id; the prefix form reuses the same
// index with a range (`id >= ? AND id < ? || '~'`: '~' sorts after every letter and digit).
const ID_SOURCES: Record<StripeIdKind, IdSource> = {
  cus: { label: 'customer id', sql: `SELECT id AS customer_id, id AS object_id FROM customers WHERE account_id = @a AND {id} AND deleted = 0` },
  sub: { label: 'subscription', sql: `SELECT customer_id, id AS object_id FROM subscriptions WHERE account_id = @a AND {id}` },
  si: {
    label: 'subscription item',
    sql: `SELECT s.customer_id, i.id AS object_id FROM subscription_items i JOIN subscriptions s ON s.account_id = i.account_id AND s.id = i.subscription_id WHERE i.account_id = @a AND {i.id}`,
  },
  in: { label: 'invoice', sql: `SELECT customer_id, id AS object_id FROM invoices WHERE account_id = @a AND {id}` },
  pi: {
    label: 'payment intent',
    sql: `SELECT coalesce(p.customer_id, i.customer_id) AS customer_id, p.payment_intent_id AS object_id FROM payment_attempts p
          LEFT JOIN invoices i ON i.account_id = p.account_id AND i.id = p.invoice_id WHERE p.account_id = @a AND {p.payment_intent_id}`,
  },
  ch: {
    label: 'charge',
    sql: `SELECT coalesce(p.customer_id, i.customer_id) AS customer_id, p.charge_id AS object_id FROM payment_attempts p
          LEFT JOIN invoices i ON i.account_id = p.account_id AND i.id = p.invoice_id WHERE p.account_id = @a AND {p.charge_id}`,
  },
  inpay: {
    label: 'invoice payment',
    sql: `SELECT coalesce(p.customer_id, i.customer_id) AS customer_id, p.id AS object_id FROM payment_attempts p
          LEFT JOIN invoices i ON i.account_id = p.account_id AND i.id = p.invoice_id WHERE p.account_id = @a AND {p.id}`,
  },
  pm: { label: 'payment method', sql: `SELECT customer_id, id AS object_id FROM payment_methods WHERE account_id = @a AND {id} AND customer_id IS NOT NULL` },
};

function hasCustomer(r: { customer_id: string | null; object_id: string }): r is { customer_id: string; object_id: string } {
  return r.customer_id != null;
}

function idSql(source: IdSource, mode: 'exact' | 'prefix'): string {
  return source.sql.replace(/\{([a-z_.]+)\}/, (_m, col: string) => (mode === 'exact' ? `${col} = @q` : `${col} >= @q AND ${col} < @q || '~'`)) + ' LIMIT @limit';
}

// Attempts may arrive before their invoice (the sync lists both side by side): LEFT JOIN, and an
// attempt with no customer yet simply resolves to nothing.
export function lookupStripeId(db: Database.Database, accountId: string, kind: StripeIdKind, id: string, limit: number): DirectMatch[] {
  const source = ID_SOURCES[kind];
  const exact = (prepared(db, idSql(source, 'exact')).all({ a: accountId, q: id, limit }) as Array<{ customer_id: string | null; object_id: string }>).filter(hasCustomer);
  if (exact.length) {
    return exact.map((r) => ({ customerId: r.customer_id, kind: 'id' as const, matched: kind === 'cus' ? 'customer id' : `${source.label} ${r.object_id}` }));
  }
  // A partial paste ("in_1Nf8") still finds its object, ranked below exact matches.
  const prefixed = (prepared(db, idSql(source, 'prefix')).all({ a: accountId, q: id, limit }) as Array<{ customer_id: string | null; object_id: string }>).filter(hasCustomer);
  return prefixed.map((r) => ({ customerId: r.customer_id, kind: 'id_prefix' as const, matched: `${source.label} ${r.object_id}` }));
}

export function lookupEmail(db: Database.Database, accountId: string, email: string, limit: number): DirectMatch[] {
  const sql = `SELECT id FROM customers WHERE account_id = ? AND email = ? COLLATE NOCASE AND deleted = 0 ORDER BY created DESC LIMIT ?`;
  const rows = prepared(db, sql).all(accountId, email, limit) as Array<{ id: string }>;
  return rows.map((r) => ({ customerId: r.id, kind: 'email' as const, matched: 'email' }));
}

/** Invoice numbers are stored as Stripe prints them (upper case); agents may type them in any case. */
export function lookupInvoiceNumber(db: Database.Database, accountId: string, query: string, limit: number): DirectMatch[] {
  const number = query.toUpperCase();
  const exactSql = `SELECT customer_id, number FROM invoices WHERE account_id = ? AND number IN (?, ?) LIMIT ?`;
  const exact = prepared(db, exactSql).all(accountId, number, query, limit) as Array<{ customer_id: string; number: string }>;
  if (exact.length) return exact.map((r) => ({ customerId: r.customer_id, kind: 'invoice_number' as const, matched: `invoice ${r.number}` }));
  const prefixSql = `SELECT customer_id, number FROM invoices WHERE account_id = ? AND number >= ? AND number < ? || '~' ORDER BY number LIMIT ?`;
  const prefixed = prepared(db, prefixSql).all(accountId, number, number, limit) as Array<{ customer_id: string; number: string }>;
  return prefixed.map((r) => ({ customerId: r.customer_id, kind: 'id_prefix' as const, matched: `invoice ${r.number}` }));
}

export function cardLabel(brand: string | null, last4: string, expMonth?: number | null, expYear?: number | null): string {
  const name = brand ? brand[0]!.toUpperCase() + brand.slice(1) : 'Card';
  const exp = expMonth && expYear ? `, exp ${String(expMonth).padStart(2, '0')}/${String(expYear).slice(-2)}` : '';
  return `${name} •••• ${last4}${exp}`;
}

export function lookupCardLast4(db: Database.Database, accountId: string, last4: string, limit: number): DirectMatch[] {
  const sql = `SELECT customer_id, card_brand, card_exp_month, card_exp_year FROM payment_methods
    WHERE account_id = ? AND card_last4 = ? AND customer_id IS NOT NULL ORDER BY created DESC LIMIT ?`;
  const rows = prepared(db, sql).all(accountId, last4, limit) as Array<{ customer_id: string; card_brand: string | null; card_exp_month: number | null; card_exp_year: number | null }>;
  return rows.map((r) => ({ customerId: r.customer_id, kind: 'card' as const, matched: cardLabel(r.card_brand, last4, r.card_exp_month, r.card_exp_year) }));
}
