import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { drainSearchQueue } from '../../electron/services/search/index-queue';

const queued = (db: Database.Database) => db.prepare(`SELECT customer_rowid, reindex FROM search_queue ORDER BY customer_rowid`).all();

function seedAt1(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS, 1);
  db.exec(`INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_A', 'A', 0, 0, 0), ('acct_B', 'B', 0, 0, 0)`);
  const ins = db.prepare(
    `INSERT INTO customers (account_id, id, name, email, phone, description, metadata_json, deleted, created, synced_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1700000000, 0)`,
  );
  ins.run('acct_A', 'cus_alice', 'Alice Johnson', 'alice@acme.com', '+1 (415) 555-0101', null, '{"plan_code":"GOLD-7"}', 0);
  ins.run('acct_A', 'cus_gone', 'Gone Person', 'gone@acme.com', null, null, '{}', 1);
  ins.run('acct_A', 'cus_yamada', '山田太郎', 'taro@example.jp', null, null, '{}', 0);
  ins.run('acct_B', 'cus_bob', 'Bob Stone', 'bob@acme.com', null, 'VIP reseller', '{}', 0);
  return db;
}

const match = (db: Database.Database, q: string) =>
  (db.prepare(`SELECT c.id FROM customer_search s JOIN customers c ON c.rowid = s.rowid WHERE customer_search MATCH ? ORDER BY c.id`).all(q) as Array<{ id: string }>).map((r) => r.id);

describe('migration 002: customer search index', () => {
  it('backfills the index from rows that existed before it, leaving deleted customers out', () => {
    const db = seedAt1();
    migrate(db, MIGRATIONS, 2);
    expect(schemaVersion(db)).toBe(2);
    expect(match(db, '"acme"')).toEqual(['cus_alice', 'cus_bob']);
    expect(match(db, '"gone"')).toEqual([]);
    expect(match(db, 'phone : "5550101"')).toEqual(['cus_alice']);
    expect(match(db, 'extra : "gold"')).toEqual(['cus_alice']);
    expect(match(db, 'extra : "reseller"')).toEqual(['cus_bob']);
    // The CJK name went to the substring table; the spelling table was built and its queue drained.
    expect(db.prepare(`SELECT rowid FROM customer_search_cjk WHERE name LIKE '%太郎%'`).all()).toHaveLength(1);
    expect(queued(db)).toEqual([]);
    expect(db.prepare(`SELECT term FROM search_spelling WHERE variant = 'jonson'`).all()).toEqual([{ term: 'johnson' }]);
  });

  it('queues later inserts, edits, soft and hard deletes; the drain brings the index in step', () => {
    const db = seedAt1();
    migrate(db, MIGRATIONS, 2);
    const carla = db.prepare(`INSERT INTO customers (account_id, id, name, email, created, synced_at_ms) VALUES ('acct_A', 'cus_new', 'Carla Diaz', 'carla@new.io', 1, 0)`).run();
    // The sync's write only queued the row (reindex 0: it was never indexed)…
    expect(queued(db)).toEqual([{ customer_rowid: Number(carla.lastInsertRowid), reindex: 0 }]);
    expect(match(db, '"carla"')).toEqual([]);
    // …and an edit before the drain keeps it queued as new.
    db.prepare(`UPDATE customers SET name = 'Carla Ortiz' WHERE id = 'cus_new'`).run();
    expect(queued(db)).toEqual([{ customer_rowid: Number(carla.lastInsertRowid), reindex: 0 }]);
    expect(drainSearchQueue(db)).toBe(1);
    expect(match(db, '"ortiz"')).toEqual(['cus_new']);
    expect(match(db, '"diaz"')).toEqual([]);

    db.prepare(`UPDATE customers SET name = 'Carla Ruiz' WHERE id = 'cus_new'`).run();
    expect(queued(db)).toEqual([{ customer_rowid: Number(carla.lastInsertRowid), reindex: 1 }]);
    drainSearchQueue(db);
    expect(match(db, '"ortiz"')).toEqual([]);
    expect(match(db, '"ruiz"')).toEqual(['cus_new']);

    db.prepare(`UPDATE customers SET deleted = 1 WHERE id = 'cus_new'`).run();
    db.prepare(`DELETE FROM customers WHERE id = 'cus_alice'`).run();
    drainSearchQueue(db);
    expect(match(db, '"ruiz"')).toEqual([]);
    expect(match(db, '"alice"')).toEqual([]);
    expect(match(db, '"acme"')).toEqual(['cus_bob']);
    expect(queued(db)).toEqual([]);
  });

  it('queues nothing when a re-sync leaves the searchable fields unchanged', () => {
    const db = seedAt1();
    migrate(db, MIGRATIONS, 2);
    db.prepare(`UPDATE customers SET balance = 500, source_ts = 99, synced_at_ms = 5 WHERE id = 'cus_alice'`).run();
    expect(queued(db)).toEqual([]);
    expect(match(db, '"alice"')).toEqual(['cus_alice']);
  });

  it('indexes a customer whose metadata is not valid JSON instead of failing the write', () => {
    const db = seedAt1();
    migrate(db, MIGRATIONS, 2);
    db.prepare(`INSERT INTO customers (account_id, id, name, metadata_json, created, synced_at_ms) VALUES ('acct_A', 'cus_odd', 'Odd Meta', 'not json', 1, 0)`).run();
    expect(drainSearchQueue(db)).toBe(1);
    expect(match(db, '"odd"')).toEqual(['cus_odd']);
  });
});
