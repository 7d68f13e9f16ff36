import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';

function seedBefore005(db: Database.Database) {
  db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'Acme', 0, 0, 1)").run();
  db.prepare(
    `INSERT INTO portal_links (account_id, customer_id, subscription_id, flow, session_id, url, return_url, simulated, created_by, created_at_ms)
     VALUES ('acct_1', 'cus_A', 'sub_A', 'subscription_cancel', 'bps_1', 'https://billing.stripe.com/p/session/test_1', 'https://example.com', 0, 'ana', 1000)`,
  ).run();
}

describe('migration 005: portal link idempotency', () => {
  it('keeps existing links and adds the key and expiry-recovery columns', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 4);
    expect(schemaVersion(db)).toBeLessThan(5);
    seedBefore005(db);
    migrate(db, MIGRATIONS, 5);
    expect(schemaVersion(db)).toBe(5);
    const row = db.prepare('SELECT flow, url, created_by, idempotency_key, recovers_after_expiry FROM portal_links').get();
    expect(row).toEqual({ flow: 'subscription_cancel', url: 'https://billing.stripe.com/p/session/test_1', created_by: 'ana', idempotency_key: null, recovers_after_expiry: 0 });
  });

  it('refuses a second link with the same idempotency key in one account, but not in another or without a key', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 5);
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'A', 0, 0, 1), ('acct_2', 'B', 0, 0, 1)").run();
    const insert = db.prepare(
      "INSERT INTO portal_links (account_id, customer_id, flow, url, created_by, created_at_ms, idempotency_key) VALUES (?, 'cus_A', 'home', 'https://x.test', 'ana', 1, ?)",
    );
    insert.run('acct_1', 'click-123456');
    expect(() => insert.run('acct_1', 'click-123456')).toThrow(/UNIQUE/);
    insert.run('acct_2', 'click-123456');
    insert.run('acct_1', null);
    insert.run('acct_1', null);
    expect(db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 4 });
  });
});
