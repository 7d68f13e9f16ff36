import type pg from 'pg';
import { TEAM_MIGRATIONS, type TeamMigration } from './migrations';

// Brings the team database to the latest (or a target) version. Each migration runs in its own
// transaction together with its row in team_schema_version, so a failure leaves the database at
// the previous version, never half-migrated. Several instances may start at once on one database:
// an advisory lock lets exactly one migrate while the others wait and then find nothing to do.

export class NewerTeamSchemaError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(
      `This team database was written by a newer version of the team server (schema ${found}; this version knows up to ${supported}). ` +
        'Update the team server, or point DATABASE_URL at another database.',
    );
    this.name = 'NewerTeamSchemaError';
  }
}

/** Arbitrary but fixed: the advisory lock key that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 0x6273_6301;

async function appliedVersions(client: pg.ClientBase): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>('SELECT version FROM team_schema_version');
  return new Set(rows.map((r) => r.version));
}

async function currentVersion(client: pg.ClientBase): Promise<number> {
  return Math.max(0, ...(await appliedVersions(client)));
}

export async function teamSchemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass('team_schema_version') AS t");
  if (!rows[0]?.t) return 0;
  const client = await pool.connect();
  try {
    return await currentVersion(client);
  } finally {
    client.release();
  }
}

export async function migrateTeamDb(pool: pg.Pool, migrations: readonly TeamMigration[] = TEAM_MIGRATIONS, target?: number): Promise<number> {
  // The highest known step, wherever it sits in the list (desk-owned steps are numbered from 901).
  const supported = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const latest = target ?? supported;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS team_schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const applied = await appliedVersions(client);
      // A step this version does not know (higher, or a number from a branch it lacks) means a newer server wrote the database.
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length) throw new NewerTeamSchemaError(Math.max(...unknown), supported);
      // By the set applied, not the highest: two branches number in parallel (odd and even), so a
      // database may hold 001 and 003 before 002 arrives with a merge.
      for (const m of migrations) {
        if (applied.has(m.version) || m.version > latest) continue;
        await client.query('BEGIN');
        try {
          await m.up(client);
          await client.query('INSERT INTO team_schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`Team database migration ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`, { cause: err });
        }
      }
      return await currentVersion(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
