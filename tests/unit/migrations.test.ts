import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate, NewerSchemaError, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from '../../electron/services/db/migrations';
import { openCache } from '../../electron/services/db/open';
import { tempDir } from '../helpers/services';

describe('migrations', () => {
  it('versions are strictly increasing', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('001 creates every table the product reads, with money as integers beside a currency', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['accounts', 'customers', 'subscriptions', 'subscription_items', 'invoices', 'payment_attempts', 'payment_methods', 'dunning_cases', 'notes', 'portal_links', 'audit_log', 'sync_state', 'applied_events', 'kb_documents', 'kb_chunks']) {
      expect(tables).toContain(t);
    }
    const cols = db.prepare("SELECT name, type FROM pragma_table_info('invoices')").all() as { name: string; type: string }[];
    expect(cols.find((c) => c.name === 'amount_due')?.type).toBe('INTEGER');
    expect(cols.find((c) => c.name === 'currency')?.type).toBe('TEXT');
    expect(schemaVersion(db)).toBe(1);
  });

  it('a failing migration leaves the database at its previous version', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 1);
    const broken = [...MIGRATIONS, { version: 999, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half_done (x)'); throw new Error('boom'); } }];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer version, with a clear message, and leaves the file alone', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'newer.db');
      const db = new Database(file);
      db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
      db.close();
      const before = fs.readFileSync(file);
      expect(() => openCache(file)).toThrow(NewerSchemaError);
      expect(() => openCache(file)).toThrow(/newer version of the app/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    } finally {
      cleanup();
    }
  });

  it('moves a corrupt cache aside (never deletes it) and builds a fresh one', () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'cache.db');
      fs.writeFileSync(file, 'this is not a sqlite database'.repeat(200));
      const opened = openCache(file);
      expect(opened.recovered?.movedTo).toMatch(/cache\.db\.corrupt-/);
      expect(fs.readFileSync(opened.recovered!.movedTo, 'utf8')).toContain('this is not a sqlite database');
      expect(schemaVersion(opened.db)).toBe(LATEST_SCHEMA_VERSION);
      opened.db.close();
    } finally {
      cleanup();
    }
  });

  it('opens with WAL and foreign keys on', () => {
    const { dir, cleanup } = tempDir();
    try {
      const { db } = openCache(path.join(dir, 'c.db'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.close();
    } finally {
      cleanup();
    }
  });
});
