import type Database from 'better-sqlite3';
import { AppError } from '../../../../shared/contract/errors';
import type { KbArticle, KbStatus } from '../../../../shared/contract/copilot';
import { readKbFolder } from './read-folder';
import { deleteVectors, type VecExtension } from './vectors';

// The knowledge base: Markdown articles imported from a folder, one row per article and one per
// chunk (the FTS index follows kb_chunks through triggers). An article is identified by its slug
// (file name), which is also its citation id `kb:<slug>`: importing a folder with refunds.md
// replaces the article cited as [kb:refunds], wherever it came from.

export interface ImportResult {
  documents: number;
  chunks: number;
  unchanged: number;
  problems: string[];
  /** Chunk ids written by this import (they need vectors when embeddings are on). */
  newChunkIds: number[];
}

/** `vectors`: the same connection's sqlite-vec (a changed article's old vectors are deleted with it). */
export function importKbFolder(db: Database.Database, vectors: VecExtension, folder: string, nowMs: number): ImportResult {
  const { articles, problems } = readKbFolder(folder);
  const result: ImportResult = { documents: 0, chunks: 0, unchanged: 0, problems, newChunkIds: [] };
  const findBySlug = db.prepare('SELECT id, content_hash FROM kb_documents WHERE slug = ?');
  const chunkIds = db.prepare('SELECT id FROM kb_chunks WHERE document_id = ?');
  const deleteDoc = db.prepare('DELETE FROM kb_documents WHERE id = ?');
  const insertDoc = db.prepare('INSERT INTO kb_documents (source_path, slug, title, body, content_hash, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?)');
  const insertChunk = db.prepare('INSERT INTO kb_chunks (document_id, ord, heading, text) VALUES (?, ?, ?, ?)');

  for (const { file, article, hash } of articles) {
    const existing = findBySlug.get(article.slug) as { id: number; content_hash: string } | undefined;
    if (existing?.content_hash === hash) {
      result.unchanged++;
      continue;
    }
    db.transaction(() => {
      if (existing) {
        deleteVectors(vectors, (chunkIds.all(existing.id) as Array<{ id: number }>).map((r) => r.id));
        deleteDoc.run(existing.id);
      }
      // A different slug from the same path (file renamed in place) must not trip the UNIQUE path.
      db.prepare('DELETE FROM kb_documents WHERE source_path = ?').run(file);
      const docId = Number(insertDoc.run(file, article.slug, article.title, article.body, hash, nowMs).lastInsertRowid);
      for (const c of article.chunks) result.newChunkIds.push(Number(insertChunk.run(docId, c.ord, c.heading, c.text).lastInsertRowid));
    })();
    result.documents++;
    result.chunks += article.chunks.length;
  }
  return result;
}

export function kbIsEmpty(db: Database.Database): boolean {
  return (db.prepare('SELECT COUNT(*) AS n FROM kb_documents').get() as { n: number }).n === 0;
}

export function kbStatus(db: Database.Database, vectorSearch: boolean): KbStatus {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    documents: n('SELECT COUNT(*) AS n FROM kb_documents'),
    chunks: n('SELECT COUNT(*) AS n FROM kb_chunks'),
    embedded: n('SELECT COUNT(*) AS n FROM kb_embeddings'),
    vectorSearch,
  };
}

export function getKbArticle(db: Database.Database, ref: string): KbArticle {
  const slug = ref.replace(/^kb:/, '');
  const row = db.prepare('SELECT slug, title, body FROM kb_documents WHERE slug = ?').get(slug) as { slug: string; title: string; body: string } | undefined;
  if (!row) throw new AppError('not_found', `No knowledge-base article ${ref}. Import the knowledge base again in Settings › Copilot.`);
  return { ref: `kb:${row.slug}`, title: row.title, body: row.body };
}

export function kbSlugs(db: Database.Database): Map<string, string> {
  const rows = db.prepare('SELECT slug, title FROM kb_documents WHERE slug IS NOT NULL').all() as Array<{ slug: string; title: string }>;
  return new Map(rows.map((r) => [`kb:${r.slug}`, r.title]));
}
