import type { TeamMigration } from './types';

// A desk sends each write with an Idempotency-Key; the answer is kept here, written in the SAME
// transaction as the write. A desk that lost the answer (the server died, the network dropped)
// sends the write again and gets the kept answer: the write is applied once, never twice.
export const m901CallReplies: TeamMigration = {
  version: 901,
  name: 'desk call replies (idempotency keys)',
  async up(db) {
    await db.query(`
      CREATE TABLE team_call_replies (
        agent_id text NOT NULL,
        idempotency_key text NOT NULL,
        call text NOT NULL,
        value jsonb,
        at_ms bigint NOT NULL,
        PRIMARY KEY (agent_id, idempotency_key)
      );
      CREATE INDEX team_call_replies_age ON team_call_replies (at_ms);
    `);
  },
};
