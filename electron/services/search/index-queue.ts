import type Database from 'better-sqlite3';
import { CJK_GLOB, extraColumnSql, phoneColumnSql } from './index-sql';
import { addSpellingTerms } from './spelling';
import { prepared } from '../db/statements';

// The search index is brought up to date from a queue, not inside the sync's write transaction.
// Triggers on `customers` only queue the row's rowid (a few microseconds); this drain indexes the
// queued rows in batches, where FTS5 works several times cheaper per row than in the sync's pages
// of 100 (measured: `npm run bench -- search`, "write cost"). Searches drain a short queue
// themselves before reading, so a customer written a moment ago is found; a long queue (a
// backfill running) is left to the background drain and the agent sees the index as of its
// last batch (seconds).

/** A queue this short is drained inside a search: a tiny write, then the results are exact. */
export const INLINE_DRAIN_MAX = 200;

const INSERT_SQL = `INSERT INTO customer_search (rowid, name, email, phone, extra)
  SELECT c.rowid, c.name, c.email, ${phoneColumnSql('c.phone')}, ${extraColumnSql('c')}
  FROM json_each(?) j CROSS JOIN customers c ON c.rowid = j.value WHERE c.deleted = 0`;
const INSERT_CJK_SQL = `INSERT INTO customer_search_cjk (rowid, name)
  SELECT c.rowid, c.name FROM json_each(?) j CROSS JOIN customers c ON c.rowid = j.value WHERE c.deleted = 0 AND c.name GLOB ${CJK_GLOB}`;

interface QueuedRow {
  customer_rowid: number;
  reindex: number;
}

/**
 * Indexes up to `maxRows` queued customers in one transaction: rows indexed before are removed
 * first (edits, deletions), then every queued customer that exists and is not deleted is added.
 * Returns how many queue entries were consumed (0: the index is up to date).
 */
export function drainSearchQueue(db: Database.Database, maxRows = 1000): number {
  return db.transaction(() => {
    const batch = prepared(db, 'SELECT customer_rowid, reindex FROM search_queue ORDER BY customer_rowid LIMIT ?').all(maxRows) as QueuedRow[];
    if (batch.length === 0) return 0;
    const deleteFts = prepared(db, 'DELETE FROM customer_search WHERE rowid = ?');
    const deleteCjk = prepared(db, 'DELETE FROM customer_search_cjk WHERE rowid = ?');
    // Only rows that were indexed before need removing: deleting an absent rowid from a
    // contentless FTS5 table still costs a tombstone.
    for (const q of batch) {
      if (q.reindex) {
        deleteFts.run(q.customer_rowid);
        deleteCjk.run(q.customer_rowid);
      }
    }
    const ids = JSON.stringify(batch.map((q) => q.customer_rowid));
    prepared(db, INSERT_SQL).run(ids);
    prepared(db, INSERT_CJK_SQL).run(ids);
    const rows = prepared(db, 'SELECT c.name, c.email FROM json_each(?) j CROSS JOIN customers c ON c.rowid = j.value WHERE c.deleted = 0').all(ids) as Array<{
      name: string | null;
      email: string | null;
    }>;
    addSpellingTerms(db, rows);
    prepared(db, 'DELETE FROM search_queue WHERE customer_rowid IN (SELECT value FROM json_each(?))').run(ids);
    return batch.length;
  })();
}

/** Drains until the queue is empty (start-up, the CLI, after a sync run): not for the UI thread mid-keystroke. */
export function drainSearchQueueFully(db: Database.Database, batch = 2000): number {
  let total = 0;
  for (let n = drainSearchQueue(db, batch); n > 0; n = drainSearchQueue(db, batch)) total += n;
  return total;
}

/** Queue length, counted up to `cap` (a bounded probe, cheap on every search). */
export function searchQueueLength(db: Database.Database, cap = INLINE_DRAIN_MAX + 1): number {
  return (prepared(db, `SELECT COUNT(*) AS n FROM (SELECT 1 FROM search_queue LIMIT ?)`).get(cap) as { n: number }).n;
}

/** Before a search: a short queue is indexed now, so what was just written is found. */
export function catchUpBeforeSearch(db: Database.Database): void {
  const queued = searchQueueLength(db);
  if (queued > 0 && queued <= INLINE_DRAIN_MAX) drainSearchQueue(db, INLINE_DRAIN_MAX);
}
