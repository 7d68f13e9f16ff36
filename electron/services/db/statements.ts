import type Database from 'better-sqlite3';

// Hot paths (a search per keystroke, a sync page, a queue filter) run the same SQL again and again:
// preparing a statement costs about as much as running one, so each SQL text is prepared once per
// connection. Variable-length lists go through json_each(?) so one statement serves every length.

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function cached(db: Database.Database, key: string, make: () => Database.Statement): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  let s = byDb.get(key);
  if (!s) byDb.set(key, (s = make()));
  return s;
}

/** `db.prepare(sql)`, once per connection. */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  return cached(db, sql, () => db.prepare(sql));
}

/** The same in raw mode (rows as arrays: no object per row on wide, hot reads). */
export function preparedRaw(db: Database.Database, sql: string): Database.Statement {
  return cached(db, `raw:${sql}`, () => db.prepare(sql).raw(true));
}
