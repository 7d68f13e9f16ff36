import type Database from 'better-sqlite3';
import type { DunningQuery, SavedDunningView } from '../../../shared/contract/dunning';
import { prepared } from '../db/statements';

// Saved queue views (a filter set and a sort under a name), shared by everyone using this cache.
// Saving under an existing name (case-insensitive) replaces that view.

interface ViewRow {
  id: number;
  name: string;
  query_json: string;
  created_by: string;
  updated_at_ms: number;
}

function toView(r: ViewRow): SavedDunningView {
  const q = JSON.parse(r.query_json) as DunningQuery;
  return { id: r.id, name: r.name, filters: q.filters, sort: q.sort, createdBy: r.created_by, updatedAt: r.updated_at_ms };
}

export function listSavedViews(db: Database.Database): SavedDunningView[] {
  return (prepared(db, 'SELECT * FROM dunning_saved_views ORDER BY name COLLATE NOCASE').all() as ViewRow[]).map(toView);
}

export function saveView(db: Database.Database, name: string, query: DunningQuery, actor: string, nowMs: number): SavedDunningView {
  prepared(
    db,
    `INSERT INTO dunning_saved_views (name, query_json, created_by, created_at_ms, updated_at_ms) VALUES (@name, @q, @actor, @now, @now)
     ON CONFLICT (name) DO UPDATE SET query_json = excluded.query_json, updated_at_ms = excluded.updated_at_ms`,
  ).run({ name, q: JSON.stringify(query), actor, now: nowMs });
  return toView(prepared(db, 'SELECT * FROM dunning_saved_views WHERE name = ?').get(name) as ViewRow);
}

export function deleteView(db: Database.Database, id: number): boolean {
  return prepared(db, 'DELETE FROM dunning_saved_views WHERE id = ?').run(id).changes > 0;
}
