import type { Migration } from './types';

// What the sync engine needs beyond 001:
// - payment_attempts loses its foreign key to invoices. The backfill lists invoices and invoice
//   payments side by side (two streams under one rate budget); an attempt may arrive before its
//   invoice and must not be refused. Reads join on (account_id, invoice_id) as before, and the
//   invoice delete path removes an invoice's attempts itself (what ON DELETE CASCADE did).
// - sync_tombstones: objects Stripe deleted outright (a draft invoice). Without a tombstone, a
//   backfill page fetched before the deletion but applied after it would bring the row back.
// - applied_events gets an index on created, so ids older than Stripe's 30-day retention (which
//   can never be listed again) can be pruned.
export const migration003: Migration = {
  version: 3,
  name: 'sync: attempts independent of invoice order, tombstones, applied-events pruning',
  up: (db) => {
    db.exec(`
      CREATE TABLE payment_attempts_v3 (
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        invoice_id TEXT NOT NULL,
        customer_id TEXT,
        payment_intent_id TEXT,
        charge_id TEXT,
        status TEXT NOT NULL,
        amount INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL,
        decline_code TEXT,
        failure_code TEXT,
        failure_message TEXT,
        advice_code TEXT,
        network_status TEXT,
        outcome_type TEXT,
        outcome_reason TEXT,
        payment_method_id TEXT,
        card_brand TEXT,
        card_last4 TEXT,
        created INTEGER NOT NULL,
        source_ts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, id)
      );
      INSERT INTO payment_attempts_v3 SELECT account_id, id, invoice_id, customer_id, payment_intent_id, charge_id, status, amount, currency,
        decline_code, failure_code, failure_message, advice_code, network_status, outcome_type, outcome_reason, payment_method_id,
        card_brand, card_last4, created, source_ts FROM payment_attempts;
      DROP TABLE payment_attempts;
      ALTER TABLE payment_attempts_v3 RENAME TO payment_attempts;
      CREATE INDEX payment_attempts_invoice ON payment_attempts(account_id, invoice_id, created);
      CREATE INDEX payment_attempts_pi ON payment_attempts(account_id, payment_intent_id);
      CREATE INDEX payment_attempts_charge ON payment_attempts(account_id, charge_id);

      CREATE TABLE sync_tombstones (
        account_id TEXT NOT NULL,
        object_type TEXT NOT NULL,
        id TEXT NOT NULL,
        deleted_ts INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      );

      CREATE INDEX applied_events_created ON applied_events(account_id, created);
    `);
  },
};
