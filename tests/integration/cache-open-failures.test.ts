import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../../electron/services/db/migrate';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../electron/services/db/migrations';
import { CacheOpenError, openCache } from '../../electron/services/db/open';
import { describeOpenFailure, isCorruption } from '../../electron/services/db/open-errors';
import { tempDir } from '../helpers/services';

// A cache that does not open is moved aside only when SQLite finds it corrupt. Every other failure
// (the engine does not load, no permission, read-only, a full disk, a failed migration) leaves the
// file where it is, with its notes, and says what happened: the next start must not silently
// build an empty cache over an intact one. Each case is made real where this machine allows.

const ROOT = path.resolve(import.meta.dirname, '../..');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const dirs: Array<() => void> = [];
afterEach(() => {
  while (dirs.length) dirs.pop()!();
});

function scratch(): string {
  const t = tempDir('bsc-open-');
  dirs.push(t.cleanup);
  return t.dir;
}

/** A real cache with one note in it (the row that must not be orphaned). */
function cacheWithNote(file: string, version = LATEST_SCHEMA_VERSION): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS, version);
  db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'Acme', 0, 0, 1)").run();
  db.prepare("INSERT INTO notes (account_id, customer_id, body, author, created_at_ms, updated_at_ms) VALUES ('acct_1', 'cus_1', 'called them, promised a refund', 'ana', 1, 1)").run();
  db.close();
}

function noteIsThere(file: string): boolean {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT body FROM notes').get() as { body: string } | undefined)?.body === 'called them, promised a refund';
  } finally {
    db.close();
  }
}

/** What `fn` threw (undefined when it did not throw: today's main opened and moved the file aside). */
function thrownBy(fn: () => unknown): unknown {
  try {
    const opened = fn() as { db?: { close(): void } } | undefined;
    opened?.db?.close();
    return undefined;
  } catch (e) {
    return e;
  }
}

/**
 * Makes the latest migration fail, whichever it is: an object it creates (or a column it adds) is
 * put there first, so its CREATE / ALTER fails like a half-applied upgrade by another build would.
 */
function blockLatestMigration(db: Database.Database): void {
  const at = (version: number) => {
    const mem = new Database(':memory:');
    migrate(mem, MIGRATIONS, version);
    return mem;
  };
  const before = at(LATEST_SCHEMA_VERSION - 1);
  const after = at(LATEST_SCHEMA_VERSION);
  const names = (d: Database.Database) => new Set((d.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name));
  const had = names(before);
  const created = [...names(after)].filter((n) => !had.has(n));
  const columns = (d: Database.Database, t: string) => (d.prepare(`SELECT name FROM pragma_table_info('${t}')`).all() as { name: string }[]).map((r) => r.name);
  const added = [...had].flatMap((t) => columns(after, t).filter((c) => !columns(before, t).includes(c)).map((c) => [t, c] as const));
  before.close();
  after.close();
  if (added.length) db.prepare(`ALTER TABLE "${added[0]![0]}" ADD COLUMN "${added[0]![1]}"`).run();
  else if (created.length) db.prepare(`CREATE TABLE "${created[0]}" (x)`).run();
  else throw new Error('the latest migration creates nothing this test can block: give it another way to fail');
}

const movedAside = (file: string) => fs.readdirSync(path.dirname(file)).filter((n) => n.startsWith(`${path.basename(file)}.corrupt-`));

/**
 * Runs openCache in a child process that file permissions bind. Root is never refused a permission,
 * so as root the child keeps uid 0 without the capabilities that override file modes and
 * ownership (setpriv), and the test hands the file to another user (notYours): running the child
 * as that user instead would fail to read a checkout inside a 0700 folder (mktemp -d).
 */
const DAC_CAPS = '-dac_override,-dac_read_search,-fowner';
const NOBODY = 65534;
/** As root: the file belongs to someone else, as it would for a user who did not create it. */
const notYours = (file: string) => {
  if (isRoot) fs.chownSync(file, NOBODY, NOBODY);
};
function openUnprivileged(file: string): { failure: string | null; message: string; recovered: boolean } {
  const script = `
    import { openCache } from ${JSON.stringify(path.join(ROOT, 'electron/services/db/open.ts'))};
    try { const o = openCache(${JSON.stringify(file)}); o.db.close(); console.log(JSON.stringify({ failure: null, message: '', recovered: Boolean(o.recovered) })); }
    catch (e) { console.log(JSON.stringify({ failure: e.failure ?? e.name, message: e.message, recovered: false })); }`;
  const args = ['--import', 'tsx', '--input-type=module', '-e', script];
  const r = isRoot ? spawnSync('setpriv', [`--bounding-set=${DAC_CAPS}`, `--inh-caps=${DAC_CAPS}`, '--', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' }) : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(line);
}

describe('opening the cache: corruption is moved aside', () => {
  it('a file that is not a database (SQLITE_NOTADB) is moved aside and a fresh cache built', () => {
    const file = path.join(scratch(), 'cache.db');
    fs.writeFileSync(file, 'not a database '.repeat(400));
    const opened = openCache(file);
    expect(opened.recovered?.reason).toMatch(/not a database/);
    expect(fs.readFileSync(opened.recovered!.movedTo, 'utf8')).toContain('not a database');
    opened.db.close();
  });

  it('a database with a damaged page (quick_check or SQLITE_CORRUPT) is moved aside', () => {
    const file = path.join(scratch(), 'cache.db');
    cacheWithNote(file);
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.prepare('CREATE TABLE filler (x TEXT)').run();
    for (let i = 0; i < 200; i++) db.prepare('INSERT INTO filler VALUES (?)').run('x'.repeat(500));
    db.close();
    // Scribble over the middle pages (b-tree pages of filler and its neighbours), not the header.
    const bytes = fs.readFileSync(file);
    const page = 4096;
    for (let p = 3; p < Math.floor(bytes.length / page) - 1; p += 2) bytes.fill(0xa5, p * page, p * page + 64);
    fs.writeFileSync(file, bytes);
    const opened = openCache(file);
    expect(opened.recovered, 'the damaged file should have been moved aside').toBeDefined();
    expect(fs.existsSync(opened.recovered!.movedTo)).toBe(true);
    opened.db.close();
  });
});

describe('opening the cache: every other failure leaves the file alone and says why', () => {
  it('a native engine that does not load: the file is never touched (not even created)', () => {
    const dir = scratch();
    const bogus = path.join(dir, 'better_sqlite3.node');
    fs.writeFileSync(bogus, 'this is not a shared object');
    const existing = path.join(dir, 'cache.db');
    cacheWithNote(existing);
    const before = fs.readFileSync(existing);
    const err = thrownBy(() => openCache(existing, { nativeBinding: bogus }));
    expect(err).toBeInstanceOf(CacheOpenError);
    expect((err as CacheOpenError).failure).toBe('engine');
    expect((err as Error).message).toMatch(/SQLite engine .* could not be loaded.*left as it is/s);
    expect(fs.readFileSync(existing).equals(before)).toBe(true);
    expect(movedAside(existing)).toEqual([]);
    expect(fs.existsSync(`${existing}-wal`)).toBe(false);

    const fresh = path.join(dir, 'sub', 'never.db');
    expect(() => openCache(fresh, { nativeBinding: bogus })).toThrow(CacheOpenError);
    expect(fs.existsSync(path.dirname(fresh))).toBe(false);
  });

  it('a failed migration: the file stays, at its version, with its notes', () => {
    const file = path.join(scratch(), 'cache.db');
    cacheWithNote(file, LATEST_SCHEMA_VERSION - 1);
    // Something the last migration creates is already there (made by hand, or by a broken build).
    const db = new Database(file);
    blockLatestMigration(db);
    db.close();
    const err = thrownBy(() => openCache(file));
    expect(err).toBeInstanceOf(CacheOpenError);
    expect((err as CacheOpenError).failure).toBe('migration');
    expect((err as Error).message).toMatch(/could not be brought up to this version's schema.*left as it is.*(already exists|duplicate column)/s);
    expect(movedAside(file)).toEqual([]);
    expect(noteIsThere(file)).toBe(true);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION - 1);
    check.close();
  });

  it('no permission to read the file (EACCES / SQLITE_CANTOPEN): left alone, said in words', () => {
    const dir = scratch();
    fs.chmodSync(dir, 0o777); // the folder is writable, so moving the file aside would succeed
    const file = path.join(dir, 'cache.db');
    cacheWithNote(file);
    const before = fs.readFileSync(file);
    notYours(file);
    fs.chmodSync(file, 0o000);
    const r = openUnprivileged(file);
    fs.chmodSync(file, 0o600);
    expect(r.failure).toBe('permission');
    expect(r.message).toMatch(/cannot be opened with this user's permissions.*left as it is/s);
    expect(movedAside(file)).toEqual([]);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(noteIsThere(file)).toBe(true);
  });

  it('a read-only cache (SQLITE_READONLY): left alone, said in words', () => {
    const dir = scratch();
    fs.chmodSync(dir, 0o777);
    const file = path.join(dir, 'cache.db');
    cacheWithNote(file);
    // Readable but not writable for the user who opens it.
    notYours(file);
    fs.chmodSync(file, 0o444);
    const r = openUnprivileged(file);
    fs.chmodSync(file, 0o600);
    expect(r.failure).toBe('read_only');
    expect(r.message).toMatch(/read-only.*left as it is/s);
    expect(movedAside(file)).toEqual([]);
    expect(noteIsThere(file)).toBe(true);
  });

  // A full disk needs a small file system of its own: a tmpfs, which only root may mount.
  const mountPoint = isRoot ? tryMountSmallTmpfs() : null;
  it.skipIf(!mountPoint)('a full disk (SQLITE_FULL): left alone, said in words', () => {
    try {
      const file = path.join(mountPoint!, 'cache.db');
      cacheWithNote(file, LATEST_SCHEMA_VERSION - 1);
      const db = new Database(file);
      db.pragma('journal_mode = DELETE');
      db.close();
      // Fill what is left of the disk.
      const filler = fs.openSync(path.join(mountPoint!, 'filler'), 'w');
      try {
        for (;;) fs.writeSync(filler, Buffer.alloc(4096));
      } catch (e) {
        expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        fs.closeSync(filler);
      }
      const err = thrownBy(() => openCache(file));
      expect(err).toBeInstanceOf(CacheOpenError);
      expect((err as CacheOpenError).failure).toBe('disk_full');
      expect((err as Error).message).toMatch(/disk holding the cache file .* is full.*left as it is/s);
      expect(movedAside(file)).toEqual([]);
      fs.rmSync(path.join(mountPoint!, 'filler'));
      expect(noteIsThere(file)).toBe(true);
    } finally {
      spawnSync('umount', [mountPoint!]);
      fs.rmSync(mountPoint!, { recursive: true, force: true });
    }
  });
});

function tryMountSmallTmpfs(): string | null {
  const dir = fs.mkdtempSync(path.join(path.dirname(tempDir('bsc-probe-').dir), 'bsc-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return dir;
}

describe('which errors count as corruption', () => {
  it.each([
    ['SQLITE_CORRUPT', true],
    ['SQLITE_CORRUPT_INDEX', true],
    ['SQLITE_NOTADB', true],
    ['SQLITE_CANTOPEN', false],
    ['SQLITE_READONLY', false],
    ['SQLITE_READONLY_DBMOVED', false],
    ['SQLITE_FULL', false],
    ['SQLITE_IOERR_WRITE', false],
    ['SQLITE_BUSY', false],
    ['SQLITE_ERROR', false],
    ['EACCES', false],
    ['ENOSPC', false],
    ['', false],
  ])('%s → corrupt: %s', (code, corrupt) => {
    expect(isCorruption(Object.assign(new Error('x'), { code }))).toBe(corrupt);
  });

  it.each([
    ['SQLITE_CANTOPEN', 'permission'],
    ['EACCES', 'permission'],
    ['SQLITE_READONLY', 'read_only'],
    ['EROFS', 'read_only'],
    ['SQLITE_FULL', 'disk_full'],
    ['ENOSPC', 'disk_full'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_ERROR', 'other'],
  ])('%s is told as %s', (code, failure) => {
    expect(describeOpenFailure(Object.assign(new Error('x'), { code }))).toBe(failure);
  });
});

describe('cache file permissions', () => {
  it('a new cache: folder 0700, file, WAL and SHM 0600 (they hold customer PII, notes, audit)', () => {
    const dir = path.join(scratch(), 'Billing Support Console');
    const file = path.join(dir, 'cache.db');
    const { db } = openCache(file);
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_1', 'Acme', 0, 0, 1)").run();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, (fs.statSync(f).mode & 0o777).toString(8)]).toEqual([f, '600']);
    db.close();
  });

  it("the console's own folder (user data, the CLI's default) is kept 0700 even when it exists; a folder the user named is left", () => {
    const own = path.join(scratch(), 'Billing Support Console');
    fs.mkdirSync(own, { mode: 0o755 });
    fs.chmodSync(own, 0o755); // as Electron creates user data
    openCache(path.join(own, 'cache.db'), { privateFolder: true }).db.close();
    expect((fs.statSync(own).mode & 0o777).toString(8)).toBe('700');

    const named = path.join(scratch(), 'shared');
    fs.mkdirSync(named);
    fs.chmodSync(named, 0o755);
    openCache(path.join(named, 'x.db')).db.close();
    expect((fs.statSync(named).mode & 0o777).toString(8)).toBe('755');
  });

  it('an existing world-readable cache of ours is tightened to 0600', () => {
    const file = path.join(scratch(), 'cache.db');
    cacheWithNote(file);
    fs.chmodSync(file, 0o644);
    const { db } = openCache(file);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((fs.statSync(`${file}-wal`).mode & 0o777).toString(8)).toBe('600');
    db.close();
  });
});
