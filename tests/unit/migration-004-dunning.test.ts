import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';

function seedBefore004(db: Database.Database) {
  db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'Acme', 0, 0, 1)").run();
  const insert = db.prepare(
    `INSERT INTO dunning_cases (account_id, customer_id, invoice_id, subscription_id, stage, amount_at_risk, currency, opened_at, stage_changed_at)
     VALUES ('acct_1', ?, ?, ?, ?, ?, 'usd', 100, 100)`,
  );
  insert.run('cus_A', 'in_A', 'sub_A', 'contacted', 4200);
  insert.run('cus_B', null, 'sub_B', 'new', 900);
  db.prepare("INSERT INTO notes (account_id, customer_id, dunning_case_id, body, author, created_at_ms, updated_at_ms) VALUES ('acct_1', 'cus_A', 1, 'called', 'ana', 1, 1)").run();
}

describe('migration 004: dunning queue', () => {
  it('keeps existing cases and notes, deriving each case subject and the amount that entered dunning', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 3);
    expect(schemaVersion(db)).toBeLessThan(4);
    seedBefore004(db);
    migrate(db, MIGRATIONS, 4);
    expect(schemaVersion(db)).toBe(4);
    const rows = db.prepare('SELECT id, stage, subject, entered_amount, failure_mark, attempt_count, closed_reason FROM dunning_cases ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, stage: 'contacted', subject: 'invoice:in_A', entered_amount: 4200, failure_mark: 0, attempt_count: 0, closed_reason: null },
      { id: 2, stage: 'new', subject: 'subscription:sub_B', entered_amount: 900, failure_mark: 0, attempt_count: 0, closed_reason: null },
    ]);
    expect(db.prepare('SELECT body FROM notes WHERE dunning_case_id = 1').get()).toEqual({ body: 'called' });
  });

  it('allows one open case per subject but any number of closed ones (a new failure opens a new case)', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 4);
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'A', 0, 0, 1)").run();
    const insert = db.prepare(
      `INSERT INTO dunning_cases (account_id, customer_id, invoice_id, subject, stage, currency, opened_at, stage_changed_at) VALUES ('acct_1', 'cus_A', 'in_A', 'invoice:in_A', ?, 'usd', 1, 1)`,
    );
    insert.run('recovered');
    insert.run('lost');
    insert.run('new');
    expect(() => insert.run('contacted')).toThrow(/UNIQUE/);
  });

  it('keeps a history per case (removed with the case) and saved views with unique names', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 4);
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'A', 0, 0, 1)").run();
    db.prepare(`INSERT INTO dunning_cases (account_id, customer_id, subject, currency, opened_at, stage_changed_at) VALUES ('acct_1', 'cus_A', 'invoice:in_A', 'usd', 1, 1)`).run();
    db.prepare(`INSERT INTO dunning_case_history (case_id, at_ms, actor, kind, to_stage) VALUES (1, 5, 'stripe', 'opened', 'new')`).run();
    expect(() => db.prepare(`INSERT INTO dunning_case_history (case_id, at_ms, actor, kind) VALUES (1, 5, 'ana', 'teleported')`).run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM dunning_cases WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM dunning_case_history').get()).toEqual({ n: 0 });

    const save = db.prepare(`INSERT INTO dunning_saved_views (name, query_json, created_by, created_at_ms, updated_at_ms) VALUES (?, '{}', 'ana', 1, 1)`);
    save.run('Hard declines');
    expect(() => save.run('hard DECLINES')).toThrow(/UNIQUE/);
  });
});
