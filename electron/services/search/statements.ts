import type Database from 'better-sqlite3';

// Searches run on every keystroke: preparing a statement costs about as much as running one, so
// statements are prepared once per connection. Variable-length lists go through json_each(?)
// so one statement serves every list length.

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: Database.Database, sql: string): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}
