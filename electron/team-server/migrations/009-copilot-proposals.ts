import type { TeamMigration } from './types';

// Copilot proposals a desk brought to the team server to be confirmed or dismissed: the desk's
// copilot proposes (its own run over its replica); the server keeps the proposal it was shown,
// decides it once, and remembers the outcome so a repeat answers "already done".
export const m009CopilotProposals: TeamMigration = {
  version: 9,
  name: 'copilot proposals',
  async up(db) {
    await db.query(`
      CREATE TABLE copilot_proposals (
        account_id text NOT NULL,
        id text NOT NULL,
        customer_id text NOT NULL,
        agent_id text NOT NULL REFERENCES agents(id),
        type text NOT NULL,
        args jsonb NOT NULL,
        title text NOT NULL,
        reason text NOT NULL,
        source text NOT NULL,
        status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'dismissed', 'failed')),
        attempt integer NOT NULL DEFAULT 0,
        created_at_ms bigint NOT NULL,
        decided_at_ms bigint,
        decided_by_agent_id text REFERENCES agents(id),
        result jsonb,
        PRIMARY KEY (account_id, id)
      )`);
  },
};
