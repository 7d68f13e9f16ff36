import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';

function seedBefore003(db: Database.Database): void {
  db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'Acme', 0, 0, 1)").run();
  db.prepare("INSERT INTO invoices (account_id, id, customer_id, currency, created, synced_at_ms) VALUES ('acct_1', 'in_1', 'cus_1', 'usd', 100, 1)").run();
  db.prepare(
    `INSERT INTO payment_attempts (account_id, id, invoice_id, customer_id, payment_intent_id, status, amount, currency, decline_code, advice_code, created, source_ts)
     VALUES ('acct_1', 'inpay_1', 'in_1', 'cus_1', 'pi_1', 'failed', 1200, 'usd', 'insufficient_funds', 'try_again_later', 101, 101)`,
  ).run();
}

describe('migration 003: sync', () => {
  it('keeps every attempt, and accepts an attempt whose invoice has not arrived yet', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, 2);
    seedBefore003(db);
    // Before: the foreign key refuses an attempt of an unknown invoice.
    expect(() => db.prepare("INSERT INTO payment_attempts (account_id, id, invoice_id, status, currency, created) VALUES ('acct_1', 'inpay_x', 'in_missing', 'paid', 'usd', 1)").run()).toThrow(/FOREIGN KEY/);

    migrate(db, MIGRATIONS, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT id, invoice_id, decline_code, advice_code, amount, source_ts FROM payment_attempts').all()).toEqual([
      { id: 'inpay_1', invoice_id: 'in_1', decline_code: 'insufficient_funds', advice_code: 'try_again_later', amount: 1200, source_ts: 101 },
    ]);
    db.prepare("INSERT INTO payment_attempts (account_id, id, invoice_id, status, currency, created) VALUES ('acct_1', 'inpay_x', 'in_missing', 'paid', 'usd', 1)").run();
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'payment_attempts'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['payment_attempts_invoice', 'payment_attempts_pi', 'payment_attempts_charge']));
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('adds tombstones keyed by account and id', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 3);
    const insert = db.prepare("INSERT INTO sync_tombstones (account_id, object_type, id, deleted_ts) VALUES (?, 'invoice', 'in_1', 5)");
    insert.run('acct_1');
    insert.run('acct_2');
    expect(() => insert.run('acct_1')).toThrow(/UNIQUE/);
  });
});
