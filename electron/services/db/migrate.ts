import type Database from 'better-sqlite3';
import type { Migration } from './migrations/types';
import { MIGRATIONS } from './migrations';

export class NewerSchemaError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(
      `This cache was written by a newer version of the app (schema ${found}; this version knows up to ${supported}). ` +
        'Update the app, or choose another cache file.',
    );
    this.name = 'NewerSchemaError';
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target` (the latest by default). All pending migrations run in one
 * transaction: a failure leaves the file at its previous version, never half-migrated.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, target?: number): number {
  const latest = target ?? migrations[migrations.length - 1]?.version ?? 0;
  const current = schemaVersion(db);
  const supported = migrations[migrations.length - 1]?.version ?? 0;
  if (current > supported) throw new NewerSchemaError(current, supported);
  const pending = migrations.filter((m) => m.version > current && m.version <= latest);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
  return schemaVersion(db);
}
