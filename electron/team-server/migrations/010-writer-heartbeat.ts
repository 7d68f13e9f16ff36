import type { TeamMigration } from './types';

// The sync writer's lease gets a heartbeat (sync/writer-lease.ts): the holder's lease session
// (its backend pid) and when it last said it is making progress. PostgreSQL frees the advisory
// lock only when a session ends; a writer whose process is stuck with its session alive (event
// loop blocked, frozen) stops beating, and another instance ends that session and takes over.
// A row of its own, not a column of stripe_sync_state: every sink write locks that row for its
// transaction, and a beat queued behind a long page write would look like a stuck writer.
export const m010WriterHeartbeat: TeamMigration = {
  version: 10,
  name: 'sync writer heartbeat (lease session pid, last beat)',
  async up(db) {
    await db.query(`
      CREATE TABLE stripe_sync_writer (
        account_id text PRIMARY KEY,
        epoch bigint NOT NULL,
        pid integer NOT NULL,
        heartbeat_at timestamptz NOT NULL
      );
    `);
  },
};
