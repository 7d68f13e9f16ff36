import type { TeamMigration } from './types';

// A case recovered by a retry the server made keeps what came back (the queue's "recovered" and
// the metrics read it), as the desk's cases do.
export const m005CaseRecoveredAmount: TeamMigration = {
  version: 5,
  name: 'dunning case recovered amount',
  async up(db) {
    await db.query('ALTER TABLE dunning_cases ADD COLUMN recovered_amount bigint NOT NULL DEFAULT 0');
  },
};
