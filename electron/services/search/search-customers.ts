import type Database from 'better-sqlite3';
import type { SearchHit, SearchMatchKind } from '../../../shared/contract/customers';
import { alternativesQuery, phrasePrefixQuery, prefixQuery } from './fts-query';
import { lookupCardLast4, lookupEmail, lookupInvoiceNumber, lookupStripeId, type DirectMatch } from './id-lookup';
import { foldText, hasCjk, looksLikeEmail, looksLikeInvoiceNumber, looksLikePhone, phoneDigits, stripeIdKind, wordTokens } from './normalize';
import { foldedPrefixTerms, spellingCandidates } from './spelling';
import { catchUpBeforeSearch } from './index-queue';
import { prepared } from '../db/statements';
import { scoreTextMatch, type CandidateRow } from './text-match';
import { enrichHits } from './hit-details';
import { withoutInvisibles } from '../../../shared/domain/invisible-text';

// The one search box. Every kind of lookup runs against the local cache; results are merged by
// tier (an exact id or email always first), then by score within a tier, newest customer last
// tie-breaker. Customers sharing one email are kept together.

const TIER: Record<SearchMatchKind, number> = {
  id: 0,
  email: 1,
  invoice_number: 2,
  card: 3,
  phone: 3,
  id_prefix: 4,
  name: 5,
  email_partial: 5,
  metadata: 5,
  similar: 6,
};

/** Above this many FTS matches, bm25 ranking costs more than it helps: take the newest instead. */
const RANK_LIMIT = 1000;
/** Candidates scored in JS per text query. */
const CANDIDATES = 200;
const MAX_TOKENS = 8;

interface Found {
  customerId: string | null;
  rowid: number | null;
  kind: SearchMatchKind;
  matched: string;
  score: number;
  /** Position in the source's own order (bm25 rank or newest first). */
  order: number;
}

export interface SearchOptions {
  limit?: number;
}

const CUSTOMER_ROW_COLUMNS = 'c.rowid AS rowid, c.id, c.name, c.email, c.phone, c.description, c.metadata_json, c.created, c.delinquent, c.default_payment_method_id';

// Lists of ids are joined from json_each with CROSS JOIN, which makes SQLite drive the loop from
// the list: without statistics (no ANALYZE) the planner otherwise scans an account-wide index
// and probes the list, which is 100× slower on a large cache.

export interface CustomerHitRow extends CandidateRow {
  delinquent: number;
  default_payment_method_id: string | null;
}

function loadByRowids(db: Database.Database, accountId: string, rowids: number[]): CustomerHitRow[] {
  if (rowids.length === 0) return [];
  return prepared(db, `SELECT ${CUSTOMER_ROW_COLUMNS} FROM json_each(?) j CROSS JOIN customers c ON c.rowid = j.value WHERE c.account_id = ? AND c.deleted = 0`).all(
    JSON.stringify(rowids),
    accountId,
  ) as CustomerHitRow[];
}

function loadByIds(db: Database.Database, accountId: string, ids: string[]): CustomerHitRow[] {
  if (ids.length === 0) return [];
  return prepared(db, `SELECT ${CUSTOMER_ROW_COLUMNS} FROM json_each(?) j CROSS JOIN customers c ON c.account_id = ? AND c.id = j.value WHERE c.deleted = 0`).all(
    JSON.stringify(ids),
    accountId,
  ) as CustomerHitRow[];
}

/** Rowids matching an FTS query: bm25-ranked when the match set is small, newest first otherwise. */
function ftsCandidates(db: Database.Database, match: string, limit = CANDIDATES): number[] {
  const count = (prepared(db, `SELECT COUNT(*) AS n FROM (SELECT 1 FROM customer_search WHERE customer_search MATCH ? LIMIT ${RANK_LIMIT + 1})`).get(match) as { n: number }).n;
  if (count === 0) return [];
  const sql =
    count <= RANK_LIMIT
      ? `SELECT rowid FROM customer_search WHERE customer_search MATCH ? ORDER BY bm25(customer_search, 10.0, 4.0, 2.0, 1.0) LIMIT ?`
      : `SELECT rowid FROM customer_search WHERE customer_search MATCH ? ORDER BY rowid DESC LIMIT ?`;
  return prepared(db, sql).pluck().all(match, limit) as number[];
}

function textSearch(db: Database.Database, accountId: string, query: string, tokens: string[], emailShaped: boolean): { found: Found[]; rows: CustomerHitRow[] } {
  // "@acme.com" (a domain) and a whole address that did not match exactly are read as a phrase in
  // the email column, not as loose words that "com" alone would match everywhere.
  const match = query.startsWith('@') || emailShaped ? phrasePrefixQuery(tokens, 'email') : prefixQuery(tokens);
  if (!match) return { found: [], rows: [] };
  const rowids = ftsCandidates(db, match);
  const rows = loadByRowids(db, accountId, rowids);
  const position = new Map(rowids.map((r, i) => [r, i]));
  const folded = tokens.map(foldText);
  const fullQuery = folded.join(' ');
  const found = rows.map((row) => {
    const m = scoreTextMatch(row, folded, fullQuery);
    return { customerId: row.id, rowid: row.rowid, kind: m.kind, matched: m.matched, score: m.score, order: position.get(row.rowid) ?? 0 };
  });
  return { found, rows };
}

function phoneSearch(db: Database.Database, accountId: string, query: string): { found: Found[]; rows: CustomerHitRow[] } {
  const digits = phoneDigits(query);
  const rowids = ftsCandidates(db, `phone : "${digits.slice(-7)}"`, 50);
  const rows = loadByRowids(db, accountId, rowids).filter((r) => {
    const stored = phoneDigits(r.phone ?? '');
    return stored.length > 0 && (stored.endsWith(digits) || digits.endsWith(stored) || stored.includes(digits));
  });
  return { found: rows.map((r, i) => ({ customerId: r.id, rowid: r.rowid, kind: 'phone' as const, matched: `phone ${r.phone}`, score: 0, order: i })), rows };
}

/** Typo and accent tolerance: each word may also be a known word within one edit of it. */
function similarSearch(db: Database.Database, accountId: string, tokens: string[]): { found: Found[]; rows: CustomerHitRow[] } {
  const groups = tokens.map((token) => {
    const alternatives = spellingCandidates(db, token).map((c) => c.term);
    // Scripts unicode61 does not fold (Greek accents, Cyrillic ё): match the folded prefix.
    if (/[^\u0000-\u024f]/u.test(token) || foldText(token) !== token) {
      for (const t of foldedPrefixTerms(db, token)) if (!alternatives.includes(t)) alternatives.push(t);
    }
    return { token, alternatives };
  });
  if (!groups.some((g) => g.alternatives.length > 0)) return { found: [], rows: [] };
  const match = alternativesQuery(groups, ['name', 'email']);
  if (!match) return { found: [], rows: [] };
  const rowids = ftsCandidates(db, match, 60);
  const rows = loadByRowids(db, accountId, rowids);
  const position = new Map(rowids.map((r, i) => [r, i]));
  const found = rows.map((row) => {
    const words = new Set([...wordTokens(row.name ?? ''), ...wordTokens(row.email ?? '')]);
    const corrected = groups.flatMap((g) => g.alternatives.filter((a) => words.has(a)));
    const matched = corrected.length ? `similar to ${corrected.slice(0, 2).map((w) => `"${w}"`).join(', ')}` : 'similar spelling';
    return { customerId: row.id, rowid: row.rowid, kind: 'similar' as const, matched, score: 0, order: position.get(row.rowid) ?? 0 };
  });
  return { found, rows };
}

/** Names in scripts without spaces (Han, kana, Hangul): every CJK word of the query as a substring. */
function cjkSearch(db: Database.Database, accountId: string, tokens: string[]): { found: Found[]; rows: CustomerHitRow[] } {
  const parts = tokens.filter(hasCjk).slice(0, 4);
  if (parts.length === 0) return { found: [], rows: [] };
  const where = parts.map(() => `name LIKE ? ESCAPE '\\'`).join(' AND ');
  const patterns = parts.map((p) => `%${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rowids = prepared(db, `SELECT rowid FROM customer_search_cjk WHERE ${where} LIMIT ${CANDIDATES}`).pluck().all(...patterns) as number[];
  const rows = loadByRowids(db, accountId, rowids);
  return { found: rows.map((r, i) => ({ customerId: r.id, rowid: r.rowid, kind: 'name' as const, matched: 'name', score: 90, order: i })), rows };
}

function directFound(matches: DirectMatch[]): Found[] {
  return matches.map((m, i) => ({ customerId: m.customerId, rowid: null, kind: m.kind, matched: m.matched, score: 0, order: i }));
}

/** Collapses the query to what can be searched: no invisible characters, NFC, single spaces, at most 200 characters. */
export function normalizeQuery(raw: string): string {
  return withoutInvisibles(raw).normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function searchCustomers(db: Database.Database, accountId: string, rawQuery: string, options: SearchOptions = {}): SearchHit[] {
  const query = normalizeQuery(rawQuery);
  if (!query) return [];
  catchUpBeforeSearch(db);
  const limit = Math.max(1, Math.min(100, Math.floor(options.limit ?? 20)));
  const found: Found[] = [];
  const rows = new Map<string, CustomerHitRow>();
  const addRows = (result: { found: Found[]; rows: CustomerHitRow[] }) => {
    found.push(...result.found);
    for (const r of result.rows) rows.set(r.id, r);
  };

  const idKind = stripeIdKind(query);
  if (idKind) found.push(...directFound(lookupStripeId(db, accountId, idKind, query, limit)));
  const emailShaped = looksLikeEmail(query);
  const exactEmail = emailShaped ? lookupEmail(db, accountId, query, 100) : [];
  found.push(...directFound(exactEmail));
  if (!idKind && looksLikeInvoiceNumber(query)) found.push(...directFound(lookupInvoiceNumber(db, accountId, query, limit)));
  if (/^\d{4}$/.test(query)) found.push(...directFound(lookupCardLast4(db, accountId, query, limit)));
  if (looksLikePhone(query)) addRows(phoneSearch(db, accountId, query));

  // An id-shaped query is a paste, not words: the text index has nothing to add. Neither has it
  // for an email address that matched exactly: those customers are the answer.
  const tokens = idKind || exactEmail.length ? [] : wordTokens(query).slice(0, MAX_TOKENS);
  if (tokens.length) {
    addRows(textSearch(db, accountId, query, tokens, emailShaped));
    if (hasCjk(query)) addRows(cjkSearch(db, accountId, tokens));
    const distinct = new Set(found.map((f) => f.customerId));
    if (distinct.size < limit) addRows(similarSearch(db, accountId, tokens));
  }

  // Best finding per customer.
  const best = new Map<string, Found>();
  for (const f of found) {
    if (!f.customerId) continue;
    const prev = best.get(f.customerId);
    if (!prev || TIER[f.kind] < TIER[prev.kind] || (TIER[f.kind] === TIER[prev.kind] && f.score > prev.score)) best.set(f.customerId, f);
  }
  const missing = [...best.keys()].filter((id) => !rows.has(id));
  for (const r of loadByIds(db, accountId, missing)) rows.set(r.id, r);

  const ranked = [...best.values()]
    .filter((f) => rows.has(f.customerId!))
    .sort((a, b) => TIER[a.kind] - TIER[b.kind] || b.score - a.score || a.order - b.order || rows.get(b.customerId!)!.created - rows.get(a.customerId!)!.created)
    .slice(0, limit);

  return enrichHits(db, accountId, groupSharedEmails(ranked.map((f) => ({ found: f, row: rows.get(f.customerId!)! }))));
}

/** Keeps customers that share an email next to each other, at the position of the best one. */
export function groupSharedEmails<T extends { row: { email: string | null } }>(items: T[]): T[] {
  const groups = new Map<string, T[]>();
  const order: T[][] = [];
  for (const item of items) {
    const key = item.row.email?.toLowerCase();
    if (!key) {
      order.push([item]);
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      groups.set(key, (group = []));
      order.push(group);
    }
    group.push(item);
  }
  return order.flat();
}
