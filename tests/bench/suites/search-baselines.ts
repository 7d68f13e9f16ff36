import type Database from 'better-sqlite3';
import MiniSearch from 'minisearch';

// The two alternatives the search is measured against, over the same tables and queries.

/**
 * (a) What one writes without a text index: LIKE '%q%' over the customer fields and invoice
 * numbers; ids by equality (their primary keys and indexes still serve those).
 */
export function likeSearch(db: Database.Database, accountId: string, query: string, limit = 20): string[] {
  const q = query.trim();
  if (!q) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = q.replace(/\D+/g, '');
  let stmt = likeStatements.get(db);
  if (!stmt) likeStatements.set(db, (stmt = db.prepare(LIKE_SQL).pluck()));
  return stmt.all({ a: accountId, q, p: pattern, d: digits, limit }) as string[];
}

const likeStatements = new WeakMap<Database.Database, Database.Statement>();
const LIKE_SQL = `SELECT id FROM customers WHERE account_id = @a AND deleted = 0 AND (
         id = @q OR name LIKE @p ESCAPE '\\' OR email LIKE @p ESCAPE '\\' OR phone LIKE @p ESCAPE '\\' OR metadata_json LIKE @p ESCAPE '\\'
         OR (length(@d) >= 7 AND replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', '') LIKE '%' || @d || '%'))
       UNION SELECT customer_id FROM invoices WHERE account_id = @a AND (id = @q OR number LIKE @p ESCAPE '\\')
       UNION SELECT customer_id FROM subscriptions WHERE account_id = @a AND id = @q
       UNION SELECT customer_id FROM payment_attempts WHERE account_id = @a AND (payment_intent_id = @q OR charge_id = @q)
       UNION SELECT customer_id FROM payment_methods WHERE account_id = @a AND (id = @q OR card_last4 = @q)
       LIMIT @limit`;

interface Doc {
  id: number;
  cid: string;
  name: string;
  email: string;
  phone: string;
  meta: string;
  refs: string;
}

/**
 * Configured as a careful developer would: ids and invoice numbers stay one token (split on
 * spaces and punctuation other than _ and -), fuzzy matching only for words of letters (5+), so
 * pasted ids are not fuzzed against a vocabulary of 700k ids.
 */
export const MINISEARCH_OPTIONS = {
  fields: ['name', 'email', 'phone', 'meta', 'refs'],
  storeFields: ['cid'],
  tokenize: (text: string) => text.split(/[\s@.,;:!?()'"/+]+/u).filter(Boolean),
  processTerm: (term: string) => term.toLowerCase(),
  searchOptions: {
    boost: { name: 3, email: 2 },
    prefix: true,
    fuzzy: (term: string) => (term.length >= 5 && /^\p{L}+$/u.test(term) ? 0.2 : false),
    combineWith: 'AND' as const,
  },
};

/**
 * (b) MiniSearch in memory over the same data: one document per customer with its name, email,
 * phone digits, metadata values and every id/number/last4 that resolves to it.
 */
export function buildMiniSearch(db: Database.Database, accountId: string): MiniSearch<Doc> {
  const ms = new MiniSearch<Doc>(MINISEARCH_OPTIONS);
  const refs = new Map<string, string[]>();
  const add = (cid: string, ...values: Array<string | null>) => {
    let list = refs.get(cid);
    if (!list) refs.set(cid, (list = []));
    for (const v of values) if (v) list.push(v);
  };
  for (const r of db.prepare(`SELECT customer_id, id FROM subscriptions WHERE account_id = ?`).iterate(accountId) as IterableIterator<{ customer_id: string; id: string }>) add(r.customer_id, r.id);
  for (const r of db.prepare(`SELECT customer_id, id, number FROM invoices WHERE account_id = ?`).iterate(accountId) as IterableIterator<{ customer_id: string; id: string; number: string | null }>)
    add(r.customer_id, r.id, r.number);
  for (const r of db.prepare(`SELECT customer_id, payment_intent_id, charge_id FROM payment_attempts WHERE account_id = ?`).iterate(accountId) as IterableIterator<{ customer_id: string; payment_intent_id: string | null; charge_id: string | null }>)
    add(r.customer_id, r.payment_intent_id, r.charge_id);
  for (const r of db.prepare(`SELECT customer_id, id, card_last4 FROM payment_methods WHERE account_id = ? AND customer_id IS NOT NULL`).iterate(accountId) as IterableIterator<{ customer_id: string; id: string; card_last4: string | null }>)
    add(r.customer_id, r.id, r.card_last4);
  let batch: Doc[] = [];
  for (const c of db.prepare(`SELECT rowid, id, name, email, phone, metadata_json FROM customers WHERE account_id = ? AND deleted = 0`).iterate(accountId) as IterableIterator<{
    rowid: number;
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    metadata_json: string;
  }>) {
    const meta = Object.values(JSON.parse(c.metadata_json) as Record<string, unknown>).join(' ');
    batch.push({ id: c.rowid, cid: c.id, name: c.name ?? '', email: c.email ?? '', phone: (c.phone ?? '').replace(/\D+/g, ''), meta, refs: [c.id, ...(refs.get(c.id) ?? [])].join(' ') });
    if (batch.length === 5000) {
      ms.addAll(batch);
      batch = [];
    }
  }
  ms.addAll(batch);
  refs.clear();
  return ms;
}

export function miniSearch(ms: MiniSearch<Doc>, query: string, limit = 20): string[] {
  const q = query.trim();
  if (!q) return [];
  return ms
    .search(q)
    .slice(0, limit)
    .map((r) => r.cid as string);
}
