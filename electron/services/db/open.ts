import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, NewerSchemaError } from './migrate';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { CacheOpenError, describeOpenFailure, isCorruption, QuickCheckFailed } from './open-errors';

export { CacheOpenError } from './open-errors';

export interface OpenedCache {
  db: Database.Database;
  /** Set when the previous file was corrupt and was moved aside: tell the user where. */
  recovered?: { movedTo: string; reason: string };
}

export interface OpenCacheOptions {
  /** Path to better-sqlite3's native module built for Electron (the Node build serves tests and the CLI). */
  nativeBinding?: string;
  /**
   * The folder is the console's own (the app's user-data folder, ~/.billing-support-console):
   * tightened to 0700 even when it already exists (Electron creates user data 0755). A folder the
   * user named (--db /tmp/x.db) is only made 0700 when this creates it.
   */
  privateFolder?: boolean;
}

/** The cache holds customer PII, notes, audit rows and portal URLs: only its owner may read it. */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

function bindingOptions(options: OpenCacheOptions): Database.Options {
  return options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
}

/** Loads the native module on an in-memory database, so a broken engine never gets near the file. */
function loadEngine(file: string, options: OpenCacheOptions): void {
  try {
    new Database(':memory:', bindingOptions(options)).close();
  } catch (err) {
    throw new CacheOpenError('engine', file, err);
  }
}

/**
 * The folder (created 0700 if missing) and the file (created empty, 0600, before SQLite does, so
 * the WAL and SHM files SQLite derives from it are 0600 too). An existing cache of ours that a
 * previous version left world-readable is tightened.
 */
function preparePrivateFile(file: string, privateFolder: boolean): void {
  const folder = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (err) {
    throw new CacheOpenError(describeOpenFailure(err), file, err);
  }
  if (privateFolder) tighten(folder, PRIVATE_DIR_MODE);
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CacheOpenError(describeOpenFailure(err), file, err);
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) tighten(f, PRIVATE_FILE_MODE);
}

/** Takes group and other access away from a file or folder of ours. */
function tighten(target: string, mode: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return; // no WAL/SHM yet
  }
  if (!(stat.isFile() || stat.isDirectory()) || (stat.mode & 0o077) === 0) return;
  // Not ours to change (another user's file we may read): leave it; SQLite says whether it opens.
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return;
  fs.chmodSync(target, mode);
}

function openAndPrepare(file: string, options: OpenCacheOptions): Database.Database {
  const db = new Database(file, bindingOptions(options));
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
    if (check !== 'ok') throw new QuickCheckFailed(String(check));
    try {
      migrate(db);
    } catch (err) {
      // A corrupt page met while migrating is corruption; a full disk is a full disk; the rest is the migration's.
      if (isCorruption(err)) throw err;
      const failure = describeOpenFailure(err);
      throw new CacheOpenError(failure === 'other' ? 'migration' : failure, file, err);
    }
    // SQLite opens a file it may read but not write read-only without a word; the first save would
    // fail later (a note lost at the click). A write of the same version finds out now.
    try {
      db.pragma(`user_version = ${db.pragma('user_version', { simple: true }) as number}`);
    } catch (err) {
      if (isCorruption(err)) throw err;
      throw new CacheOpenError(describeOpenFailure(err), file, err);
    }
    for (const f of [`${file}-wal`, `${file}-shm`]) tighten(f, PRIVATE_FILE_MODE);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const movedTo = `${file}.corrupt-${stamp}`;
  fs.renameSync(file, movedTo);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, movedTo + suffix);
  }
  return movedTo;
}

/**
 * Opens (creating if needed) the local cache. Only a file SQLite itself finds corrupt
 * (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check) is moved aside with a timestamped name,
 * never deleted, and a fresh cache built: the cache can always be re-synced from Stripe, but notes
 * and audit rows in the old file may still matter to someone. Anything else - the engine does not
 * load, no permission, a read-only or full disk, a failed migration, a newer schema - leaves the
 * file exactly as it is and throws a CacheOpenError (NewerSchemaError for the last) that says what
 * happened and what to do: moving a healthy file aside would orphan its notes without a word.
 */
export function openCache(file: string, options: OpenCacheOptions = {}): OpenedCache {
  loadEngine(file, options);
  if (file === ':memory:') return { db: openAndPrepare(file, options) };
  preparePrivateFile(file, options.privateFolder ?? false);
  try {
    return { db: openAndPrepare(file, options) };
  } catch (err) {
    if (err instanceof NewerSchemaError || err instanceof CacheOpenError) throw err;
    if (!isCorruption(err)) throw new CacheOpenError(describeOpenFailure(err), file, err);
    const reason = err instanceof Error ? err.message : String(err);
    const movedTo = moveAside(file);
    preparePrivateFile(file, false);
    return { db: openAndPrepare(file, options), recovered: { movedTo, reason } };
  }
}
