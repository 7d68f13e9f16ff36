import type { Migration } from './types';
import { drainSearchQueueFully } from '../../search/index-queue';

// Customer search index (issue 4). Chosen by measurement (`npm run bench -- search`):
//
// 1. customer_search: FTS5 over name, email, phone digits and metadata values/description, with
//    unicode61 (case folding in every script, Latin diacritics removed) and prefix indexes for
//    1-3 characters, so "j", "jo", "joh" stay sub-millisecond over 100k customers. Contentless
//    (the text lives in `customers`) with contentless_delete, so edits and deletions are cheap.
// 2. customer_search_cjk: a trigram table holding only names written in Han/kana/Hangul, which
//    have no spaces to split words on; searched by substring. Only those rows pay its cost.
// 3. search_spelling: SymSpell-style deletion variants of every name/email word, for typo and
//    accent tolerance.
// 4. search_queue: the triggers on `customers` only queue the changed rowid. FTS5 inserts made
//    inside the sync's pages of 100 cost more than the rest of the ingest of a customer; the
//    queue moves that work into larger batches (index-queue.ts), off the sync's transaction.
//    `reindex` = 1 when the row may already be in the index (edit, delete): the drain removes it
//    first. Deleted customers (deleted = 1) are never (re)inserted, and every read also joins
//    `customers` with deleted = 0.
//
// Exact ids (cus_, sub_, in_, pi_, ch_, pm_), invoice numbers and card last4 are answered from the
// existing indexes of their own tables, so invoices, subscriptions and payment methods need no
// search triggers at all.
export const migration002: Migration = {
  version: 2,
  name: 'customer search index',
  up: (db) => {
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

      CREATE TABLE search_queue (
        customer_rowid INTEGER PRIMARY KEY,
        reindex INTEGER NOT NULL DEFAULT 0
      );

      -- The customer list pages newest first without sorting the table. Partial on "deleted IS 0"
      -- (spelled so on purpose): only queries that say exactly that (the list) can use it. A plain
      -- "deleted = 0" filter elsewhere is not steered onto this index, which without ANALYZE
      -- statistics the planner would otherwise prefer even over the email index.
      CREATE INDEX customers_list ON customers(account_id, created DESC) WHERE deleted IS 0;

      CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
        INSERT OR IGNORE INTO search_queue (customer_rowid, reindex) VALUES (NEW.rowid, 0);
      END;
      -- Re-syncing an unchanged customer (the usual case) queues nothing. An entry already queued
      -- as new (reindex = 0: not yet indexed) stays so: OR IGNORE.
      CREATE TRIGGER customers_search_update AFTER UPDATE ON customers
        WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.phone IS NOT NEW.phone
          OR OLD.description IS NOT NEW.description OR OLD.metadata_json IS NOT NEW.metadata_json
          OR OLD.deleted IS NOT NEW.deleted
      BEGIN
        INSERT OR IGNORE INTO search_queue (customer_rowid, reindex) VALUES (NEW.rowid, 1);
      END;
      CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
        INSERT OR IGNORE INTO search_queue (customer_rowid, reindex) VALUES (OLD.rowid, 1);
      END;

      -- Index what the cache already holds.
      INSERT INTO search_queue (customer_rowid, reindex) SELECT rowid, 0 FROM customers;
    `);
    drainSearchQueueFully(db, 5000);
  },
};
