import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, NewerSchemaError } from './migrate';
import { LATEST_SCHEMA_VERSION } from './migrations';

export interface OpenedCache {
  db: Database.Database;
  /** Set when the previous file could not be opened and was moved aside: tell the user where. */
  recovered?: { movedTo: string; reason: string };
}

export interface OpenCacheOptions {
  /** Path to better-sqlite3's native module built for Electron (the Node build serves tests and the CLI). */
  nativeBinding?: string;
}

function openAndPrepare(file: string, options: OpenCacheOptions): Database.Database {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Refuse a newer schema before touching the file: even switching to WAL rewrites its header.
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found > LATEST_SCHEMA_VERSION) throw new NewerSchemaError(found, LATEST_SCHEMA_VERSION);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // Reading the schema forces SQLite to parse the header: a corrupt file fails here, not later.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating if needed) the local cache. A file SQLite cannot read is moved aside with a
 * timestamped name, never deleted, and a fresh cache is built: the cache can always be re-synced
 * from Stripe, but notes and audit rows in the old file may still matter to someone.
 * A file from a newer app version is refused, not moved: the user may simply be running an old build.
 */
export function openCache(file: string, options: OpenCacheOptions = {}): OpenedCache {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  try {
    return { db: openAndPrepare(file, options) };
  } catch (err) {
    if (err instanceof NewerSchemaError || file === ':memory:') throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = `${file}.corrupt-${stamp}`;
    fs.renameSync(file, movedTo);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, movedTo + suffix);
    }
    return { db: openAndPrepare(file, options), recovered: { movedTo, reason } };
  }
}
