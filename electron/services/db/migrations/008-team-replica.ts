import type { Migration } from './types';

// A desk in team mode is a replica of the team server: the feed position it has applied (written
// in the same transaction as the entries, so a crash never skips or repeats one), the agent the
// token belongs to, and the writes queued while offline (sent on reconnect, shown as pending).
// Team rows carry the server's ids; the authoring agent's id lets "mine" be decided locally.
export const migration008: Migration = {
  version: 8,
  name: 'team replica',
  up(db) {
    db.exec(`
      CREATE TABLE team_replica (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        server_url TEXT NOT NULL,
        seq INTEGER NOT NULL DEFAULT 0,
        snapshots INTEGER NOT NULL DEFAULT 0,
        agent_id TEXT,
        agent_name TEXT,
        agent_role TEXT,
        last_contact_ms INTEGER
      );

      CREATE TABLE team_outbox (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        call TEXT NOT NULL,
        input_json TEXT NOT NULL,
        -- Sent as Idempotency-Key: a retry after a lost answer is applied once by the server.
        idempotency_key TEXT NOT NULL UNIQUE,
        customer_id TEXT,
        created_at_ms INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        -- Set when the server refused the write (role, conflict): shown in words, not retried.
        refused_message TEXT
      );

      ALTER TABLE notes ADD COLUMN author_agent_id TEXT;
      ALTER TABLE dunning_cases ADD COLUMN assignee_agent_id TEXT;
    `);
  },
};
