import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { migration008 } from '../../electron/services/db/migrations/008-team-replica';

// Migration 008: a cache can be a team replica (feed position, agent, queued writes); notes and
// cases written before it keep every value, with no agent ids (a solo desk's rows).

describe('migration 008 team replica', () => {
  it('keeps notes and cases written before it and adds the replica tables', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, migration008.version - 1);
    db.prepare("INSERT INTO accounts (id, name, added_at_ms) VALUES ('acct_1', 'A', 1)").run();
    const c = db.prepare("INSERT INTO dunning_cases (account_id, customer_id, invoice_id, currency, opened_at, stage_changed_at, subject, assignee) VALUES ('acct_1', 'cus_1', 'in_1', 'usd', 1, 1, 'invoice:in_1', 'Sam')").run();
    db.prepare("INSERT INTO notes (account_id, customer_id, dunning_case_id, body, author, created_at_ms, updated_at_ms) VALUES ('acct_1', 'cus_1', ?, 'before', 'ana', 1, 1)").run(c.lastInsertRowid);
    migrate(db, MIGRATIONS, migration008.version);
    expect(schemaVersion(db)).toBe(migration008.version);
    expect(db.prepare('SELECT body, author, author_agent_id FROM notes').all()).toEqual([{ body: 'before', author: 'ana', author_agent_id: null }]);
    expect(db.prepare('SELECT assignee, assignee_agent_id FROM dunning_cases').all()).toEqual([{ assignee: 'Sam', assignee_agent_id: null }]);
    db.prepare("INSERT INTO team_replica (account_id, server_url) VALUES ('acct_1', 'https://team.example.com')").run();
    expect(db.prepare('SELECT seq, snapshots FROM team_replica').get()).toEqual({ seq: 0, snapshots: 0 });
    db.prepare("INSERT INTO team_outbox (account_id, call, input_json, idempotency_key, created_at_ms) VALUES ('acct_1', 'notes.add', '{}', 'k-1', 1)").run();
    // One key, one write: the same key cannot be queued twice.
    expect(() => db.prepare("INSERT INTO team_outbox (account_id, call, input_json, idempotency_key, created_at_ms) VALUES ('acct_1', 'notes.add', '{}', 'k-1', 2)").run()).toThrow(/UNIQUE/);
    // The replica row goes with its account.
    db.prepare("DELETE FROM accounts WHERE id = 'acct_1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM team_replica').get()).toEqual({ n: 0 });
  });
});
