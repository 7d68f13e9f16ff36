import type Database from 'better-sqlite3';
import type { KbHit } from '../../../../shared/contract/copilot';
import { nearestChunks, type VecExtension } from './vectors';

// Knowledge-base retrieval: keyword search (FTS5, BM25, heading weighted) always; nearest vectors
// (sqlite-vec) when an embedding model is configured; the two lists merged by reciprocal rank
// fusion, which needs no score calibration between BM25 and cosine distance.

const STOPWORDS = new Set(
  'a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my no not of on or our so that the their them then there these they this to was we were what when where which who why will with would you your yours am please hi hello thanks thank just also get got'.split(' '),
);

/** Free text → an FTS5 query of quoted terms OR-ed together (quoting neutralises FTS syntax in the input). */
export function ftsQuery(text: string): string | null {
  const terms = text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length >= 2 && t.length <= 40 && !STOPWORDS.has(t));
  const unique = [...new Set(terms)].slice(0, 24);
  return unique.length ? unique.map((t) => `"${t}"`).join(' OR ') : null;
}

interface ChunkRow {
  id: number;
  heading: string | null;
  text: string;
  slug: string;
  title: string;
}

export function keywordSearch(db: Database.Database, query: string, limit: number): number[] {
  const q = ftsQuery(query);
  if (!q) return [];
  const rows = db
    .prepare('SELECT rowid AS id FROM kb_chunks_fts WHERE kb_chunks_fts MATCH ? ORDER BY bm25(kb_chunks_fts, 2.0, 1.0) LIMIT ?')
    .all(q, limit) as Array<{ id: number }>;
  return rows.map((r) => r.id);
}

/** Reciprocal rank fusion: Σ 1/(k + rank) over the lists a chunk appears in. */
export function reciprocalRankFusion(lists: number[][], k = 60): Map<number, number> {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1)));
  return scores;
}

/** A hit's passage: whole sentences up to `max` characters. */
export function snippet(text: string, max = 320): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return (end > max * 0.5 ? cut.slice(0, end + 1) : cut.replace(/\s\S*$/, '')) + ' …';
}

export interface KbSearchOptions {
  limit: number;
  /** Embeds the query; null (or a failure) means keyword search only. */
  embedQuery?: (text: string) => Promise<number[] | null>;
  embeddingModel?: string | null;
  /** The same connection's sqlite-vec; vector search needs it beside the model. */
  vectors?: VecExtension;
}

export async function searchKb(db: Database.Database, query: string, options: KbSearchOptions): Promise<KbHit[]> {
  const depth = Math.max(options.limit * 4, 20);
  const keyword = keywordSearch(db, query, depth);
  let vector: number[] = [];
  if (options.embedQuery && options.embeddingModel && options.vectors && query.trim()) {
    const v = await options.embedQuery(query).catch(() => null);
    if (v) vector = nearestChunks(options.vectors, options.embeddingModel, v, depth).map((r) => r.chunkId);
  }
  const fused = reciprocalRankFusion(vector.length ? [keyword, vector] : [keyword]);
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.limit);
  if (ranked.length === 0) return [];
  const get = db.prepare('SELECT c.id, c.heading, c.text, d.slug, d.title FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id WHERE c.id = ?');
  const kw = new Set(keyword);
  const vs = new Set(vector);
  const hits: KbHit[] = [];
  for (const [id, score] of ranked) {
    const row = get.get(id) as ChunkRow | undefined;
    if (!row) continue;
    const via: KbHit['via'] = [];
    if (kw.has(id)) via.push('keyword');
    if (vs.has(id)) via.push('vector');
    hits.push({ ref: `kb:${row.slug}`, title: row.title, heading: row.heading, snippet: snippet(row.text), score: Number(score.toFixed(5)), via });
  }
  return hits;
}
