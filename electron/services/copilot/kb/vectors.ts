import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

// Knowledge-base vectors in sqlite-vec's `vec0` virtual table (rowid = kb_chunks.id, cosine
// distance). The extension is loaded into the cache connection on first use; where it cannot load
// (a platform without the prebuilt library) the knowledge base keeps working on keyword search.
// The table's dimension follows the embedding model: a different model rebuilds it.

export const VEC_TABLE = 'kb_vec';

/**
 * sqlite-vec in one connection: loaded on first use, once. The services hold theirs on the context
 * (`ctx.registries.vectors`); a connection opened elsewhere (a test, a tool) makes its own.
 */
export class VecExtension {
  private outcome: { ok: boolean; reason?: string } | null = null;

  constructor(readonly db: Database.Database) {}

  /** Loads the extension (the first time); false and the reason when it cannot. */
  ensure(): { ok: boolean; reason?: string } {
    if (this.outcome) return this.outcome;
    try {
      sqliteVec.load(this.db);
      this.outcome = { ok: true };
    } catch (err) {
      this.outcome = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    return this.outcome;
  }
}

function vecTableExists(db: Database.Database): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(VEC_TABLE));
}

export function vecTableDimensions(db: Database.Database): number | null {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(VEC_TABLE) as { sql: string } | undefined;
  const m = row ? /float\[(\d+)\]/.exec(row.sql) : null;
  return m ? Number(m[1]) : null;
}

/** Creates (or rebuilds for a new dimension) the vector table. Requires the extension. */
export function ensureVecTable(db: Database.Database, dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 8192) throw new Error(`unusable embedding dimension ${dimensions}`);
  const current = vecTableDimensions(db);
  if (current === dimensions) return;
  db.transaction(() => {
    if (current != null) {
      db.exec(`DROP TABLE ${VEC_TABLE}`);
      db.exec('DELETE FROM kb_embeddings');
    }
    db.exec(`CREATE VIRTUAL TABLE ${VEC_TABLE} USING vec0(embedding float[${dimensions}] distance_metric=cosine)`);
  })();
}

export function storeVectors(db: Database.Database, model: string, items: Array<{ chunkId: number; vector: number[] }>, nowMs: number): void {
  if (items.length === 0) return;
  ensureVecTable(db, items[0]!.vector.length);
  const del = db.prepare(`DELETE FROM ${VEC_TABLE} WHERE rowid = ?`);
  const ins = db.prepare(`INSERT INTO ${VEC_TABLE} (rowid, embedding) VALUES (?, ?)`);
  const meta = db.prepare(
    'INSERT INTO kb_embeddings (chunk_id, model, dimensions, embedded_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (chunk_id) DO UPDATE SET model = excluded.model, dimensions = excluded.dimensions, embedded_at_ms = excluded.embedded_at_ms',
  );
  db.transaction(() => {
    for (const it of items) {
      del.run(BigInt(it.chunkId));
      ins.run(BigInt(it.chunkId), new Float32Array(it.vector));
      meta.run(it.chunkId, model, it.vector.length, nowMs);
    }
  })();
}

/** Removes vectors of chunks about to be deleted (vec0 rows do not follow foreign keys). */
export function deleteVectors(vec: VecExtension, chunkIds: number[]): void {
  const db = vec.db;
  if (chunkIds.length === 0 || !vecTableExists(db) || !vec.ensure().ok) return;
  const del = db.prepare(`DELETE FROM ${VEC_TABLE} WHERE rowid = ?`);
  for (const id of chunkIds) del.run(BigInt(id));
}

/** Chunks without a vector from this model. */
export function chunksMissingVectors(db: Database.Database, model: string, limit = 10_000): Array<{ id: number; text: string; heading: string | null; title: string }> {
  return db
    .prepare(
      `SELECT c.id, c.text, c.heading, d.title FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id
       LEFT JOIN kb_embeddings e ON e.chunk_id = c.id AND e.model = ?
       WHERE e.chunk_id IS NULL ORDER BY c.id LIMIT ?`,
    )
    .all(model, limit) as Array<{ id: number; text: string; heading: string | null; title: string }>;
}

/** Nearest chunks to a query vector, closest first; only chunks whose vector came from `model`. */
export function nearestChunks(vec: VecExtension, model: string, vector: number[], k: number): Array<{ chunkId: number; distance: number }> {
  const db = vec.db;
  if (!vecTableExists(db) || !vec.ensure().ok || vecTableDimensions(db) !== vector.length) return [];
  const rows = db
    .prepare(`SELECT rowid AS id, distance FROM ${VEC_TABLE} WHERE embedding MATCH ? AND k = ? ORDER BY distance`)
    .all(new Float32Array(vector), k * 2) as Array<{ id: number; distance: number }>;
  const valid = db.prepare('SELECT 1 FROM kb_embeddings WHERE chunk_id = ? AND model = ?');
  return rows.filter((r) => valid.get(r.id, model)).slice(0, k).map((r) => ({ chunkId: Number(r.id), distance: r.distance }));
}
