// Why a cache file did not open, in words: corruption (the only case where the file is moved
// aside) versus everything else, where the file is left alone and the person is told what happened.

/** What went wrong when opening the cache, from the SQLite or system error code. */
export type OpenFailure = 'engine' | 'permission' | 'read_only' | 'disk_full' | 'busy' | 'migration' | 'other';

/** quick_check found damage: the file is corrupt even though SQLite could open it. */
export class QuickCheckFailed extends Error {
  constructor(readonly result: string) {
    super(`integrity check failed: ${result}`);
    this.name = 'QuickCheckFailed';
  }
}

function codeOf(err: unknown): string {
  return String((err as { code?: unknown })?.code ?? '');
}

/** SQLite found the file damaged or not a database (extended codes like SQLITE_CORRUPT_INDEX included). */
export function isCorruption(err: unknown): boolean {
  return err instanceof QuickCheckFailed || /^SQLITE_(CORRUPT|NOTADB)(_|$)/.test(codeOf(err));
}

export function describeOpenFailure(err: unknown): OpenFailure {
  const code = codeOf(err);
  if (/^(EACCES|EPERM)$|^SQLITE_(PERM|AUTH)|^SQLITE_CANTOPEN/.test(code)) return 'permission';
  if (/^(EROFS)$|^SQLITE_READONLY/.test(code)) return 'read_only';
  if (/^(ENOSPC|EDQUOT)$|^SQLITE_FULL/.test(code)) return 'disk_full';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'busy';
  if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') return /ENOSPC|full/i.test(String((err as Error)?.message)) ? 'disk_full' : 'other';
  return 'other';
}

const WHAT: Record<OpenFailure, (file: string) => string> = {
  engine: () =>
    'The SQLite engine (better-sqlite3) could not be loaded: it was built for a different Node.js or Electron version, or for another machine. Run `npm start` (or `npm rebuild better-sqlite3` for the CLI) to rebuild it, or reinstall the app.',
  permission: (file) => `The cache file ${file} (or its folder) cannot be opened with this user's permissions. Give your user read and write access to it, or choose another cache file.`,
  read_only: (file) => `The cache file ${file} is on a read-only disk or is read-only. Make it writable, or choose another cache file.`,
  disk_full: (file) => `The disk holding the cache file ${file} is full. Free some space and start again.`,
  busy: (file) => `The cache file ${file} is locked by another program (another copy of the console?). Close it and start again.`,
  migration: (file) => `The cache file ${file} could not be brought up to this version's schema (the upgrade failed and was rolled back).`,
  other: (file) => `The cache file ${file} could not be opened.`,
};

/** A cache that did not open for a reason other than corruption: the file was not moved or changed. */
export class CacheOpenError extends Error {
  readonly reason: string;

  constructor(readonly failure: OpenFailure, readonly file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${WHAT[failure](file)} The file was left as it is (nothing was moved or deleted). What went wrong: ${reason}`, { cause });
    this.name = 'CacheOpenError';
    this.reason = reason;
  }
}
