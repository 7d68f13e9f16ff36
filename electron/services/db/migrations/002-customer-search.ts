import type { Migration } from './types';
import { drainSpellingQueue } from '../../search/spelling';

// Customer search index (issue 4). Three structures, chosen by measurement (see the search bench):
//
// 1. customer_search: FTS5 over name, email, phone digits and metadata values/description, with
//    unicode61 (case folding in every script, Latin diacritics removed) and prefix indexes for
//    1-3 characters, so "j", "jo", "joh" stay sub-millisecond over 100k customers. Contentless
//    (the text lives in `customers`) with contentless_delete so updates and deletions are cheap.
//    Kept in step by triggers on `customers`: every write path (sync, refresh, demo, tests) is
//    covered, and a deleted customer (deleted = 1) leaves the index in the same statement.
// 2. customer_search_cjk: a trigram table holding only names written in Han/kana/Hangul, which
//    have no spaces to split words on; searched by substring. Only those rows pay its write cost.
// 3. search_spelling (+ its queue): SymSpell-style deletion variants of every name/email word,
//    for typo and accent tolerance. The triggers only queue a rowid; JS tokenizes later.
//
// Exact ids (cus_, sub_, in_, pi_, ch_, pm_), invoice numbers and card last4 are answered from the
// existing indexes of their own tables, so invoices, subscriptions and payment methods need no
// search triggers at all.

/** SQL for "digits of this phone, then its last 10 and last 7 digits" (suffix lookups by token). */
function phoneColumnSql(expr: string): string {
  // Cut at an extension marker (x, ext, #, pause): the position of the first one present, or the
  // end. (min() over several arguments is NULL if any is NULL, hence the coalesce per marker.)
  const lowered = `lower(coalesce(${expr}, ''))`;
  const positions = ['x', 'e', '#', ';', ','].map((m) => `coalesce(nullif(instr(${lowered}, '${m}'), 0), 100000)`);
  let digits = `substr(coalesce(${expr}, ''), 1, min(${positions.join(', ')}) - 1)`;
  for (const sep of ["' '", "'-'", "'('", "')'", "'.'", "'+'", "'/'", 'char(9)']) digits = `replace(${digits}, ${sep}, '')`;
  return `(SELECT d || CASE WHEN length(d) > 10 THEN ' ' || substr(d, -10) ELSE '' END
                    || CASE WHEN length(d) > 7 THEN ' ' || substr(d, -7) ELSE '' END
           FROM (SELECT ${digits} AS d))`;
}

/** Metadata values and the description: free text agents also search by. */
function extraColumnSql(prefix: string): string {
  return `trim(coalesce(${prefix}.description, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(
      CASE WHEN json_valid(${prefix}.metadata_json) THEN ${prefix}.metadata_json ELSE '{}' END)
      WHERE type IN ('text', 'integer', 'real')), ''))`;
}

const CJK_GLOB = "'*[一-鿿㐀-䶿぀-ヿ가-힯豈-﫿]*'";

export const migration002: Migration = {
  version: 2,
  name: 'customer search index',
  up: (db) => {
    const phone = (row: string) => phoneColumnSql(`${row}.phone`);
    db.exec(`
      CREATE VIRTUAL TABLE customer_search USING fts5(
        name, email, phone, extra,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '1 2 3',
        content = '', contentless_delete = 1
      );
      CREATE VIRTUAL TABLE customer_search_cjk USING fts5(name, tokenize = 'trigram');

      CREATE TABLE search_spelling (
        variant TEXT NOT NULL,
        term TEXT NOT NULL,
        distance INTEGER NOT NULL,
        PRIMARY KEY (variant, term)
      ) WITHOUT ROWID;
      CREATE TABLE search_spelling_queue (customer_rowid INTEGER PRIMARY KEY);

      -- The customer list pages by newest first without sorting the whole table.
      -- Partial on "deleted IS 0" (spelled so on purpose): only queries that say exactly that (the
      -- list) can use it. A plain "deleted = 0" filter elsewhere is not steered onto this index,
      -- which without ANALYZE statistics the planner would prefer even over the email index.
      CREATE INDEX customers_list ON customers(account_id, created DESC) WHERE deleted IS 0;

      CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customer_search (rowid, name, email, phone, extra)
          SELECT NEW.rowid, NEW.name, NEW.email, ${phone('NEW')}, ${extraColumnSql('NEW')} WHERE NEW.deleted = 0;
        INSERT INTO customer_search_cjk (rowid, name) SELECT NEW.rowid, NEW.name WHERE NEW.deleted = 0 AND NEW.name GLOB ${CJK_GLOB};
        INSERT OR IGNORE INTO search_spelling_queue (customer_rowid) VALUES (NEW.rowid);
      END;

      -- Re-syncing an unchanged customer (the usual case) must not churn the index.
      CREATE TRIGGER customers_search_update AFTER UPDATE ON customers
        WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.phone IS NOT NEW.phone
          OR OLD.description IS NOT NEW.description OR OLD.metadata_json IS NOT NEW.metadata_json
          OR OLD.deleted IS NOT NEW.deleted OR OLD.rowid IS NOT NEW.rowid
      BEGIN
        DELETE FROM customer_search WHERE rowid = OLD.rowid;
        DELETE FROM customer_search_cjk WHERE rowid = OLD.rowid;
        INSERT INTO customer_search (rowid, name, email, phone, extra)
          SELECT NEW.rowid, NEW.name, NEW.email, ${phone('NEW')}, ${extraColumnSql('NEW')} WHERE NEW.deleted = 0;
        INSERT INTO customer_search_cjk (rowid, name) SELECT NEW.rowid, NEW.name WHERE NEW.deleted = 0 AND NEW.name GLOB ${CJK_GLOB};
        INSERT OR IGNORE INTO search_spelling_queue (customer_rowid)
          SELECT NEW.rowid WHERE OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email;
      END;

      CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
        DELETE FROM customer_search WHERE rowid = OLD.rowid;
        DELETE FROM customer_search_cjk WHERE rowid = OLD.rowid;
        DELETE FROM search_spelling_queue WHERE customer_rowid = OLD.rowid;
      END;

      -- Backfill from the rows already in the cache.
      INSERT INTO customer_search (rowid, name, email, phone, extra)
        SELECT c.rowid, c.name, c.email, ${phone('c')}, ${extraColumnSql('c')} FROM customers c WHERE c.deleted = 0;
      INSERT INTO customer_search_cjk (rowid, name) SELECT rowid, name FROM customers WHERE deleted = 0 AND name GLOB ${CJK_GLOB};
      INSERT INTO search_spelling_queue (customer_rowid) SELECT rowid FROM customers WHERE deleted = 0;
    `);
    while (drainSpellingQueue(db, 20_000) > 0) {
      // A one-off pass at upgrade time; afterwards the queue stays short.
    }
  },
};
