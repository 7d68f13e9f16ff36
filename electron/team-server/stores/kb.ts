import type pg from 'pg';
import '../pg-types';
import type { Tx } from '../db';
import type { KbArticle, KbHit, KbStatus } from '../../../shared/contract/copilot';
import { AppError } from '../../../shared/contract/errors';
import type { FolderArticle } from '../../services/copilot/kb/read-folder';
import { snippet } from '../../services/copilot/kb/search';

// The team's knowledge base in PostgreSQL: one row per article (cited as kb:<slug>), one per
// chunk with a stored tsvector for plain full-text search (always available; vector search is
// optional and not here yet). The same folder reader as the desk's store.

export interface KbArticleEntry {
  ref: string;
  title: string;
  body: string;
  chunks: Array<{ ord: number; heading: string | null; text: string }>;
}

export const teamKb = {
  /** Writes one article if its text changed; returns the feed data for it, or null when unchanged. */
  async upsertArticle(tx: Tx, a: FolderArticle, atMs: number): Promise<KbArticleEntry | null> {
    const ref = `kb:${a.article.slug}`;
    const { rows } = await tx.query<{ id: number; content_hash: string }>('SELECT id, content_hash FROM kb_documents WHERE ref = $1 FOR UPDATE', [ref]);
    if (rows[0]?.content_hash === a.hash) return null;
    if (rows[0]) await tx.query('DELETE FROM kb_documents WHERE id = $1', [rows[0].id]);
    const doc = await tx.query<{ id: number }>('INSERT INTO kb_documents (ref, title, source, content_hash, updated_at_ms, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [ref, a.article.title, a.file.split(/[\\/]/).pop(), a.hash, atMs, a.article.body]);
    for (const c of a.article.chunks) await tx.query('INSERT INTO kb_chunks (document_id, ord, heading, body) VALUES ($1, $2, $3, $4)', [doc.rows[0].id, c.ord, c.heading, c.text]);
    return { ref, title: a.article.title, body: a.article.body, chunks: a.article.chunks.map((c) => ({ ord: c.ord, heading: c.heading, text: c.text })) };
  },

  async search(pool: pg.Pool, query: string, limit: number): Promise<KbHit[]> {
    const { rows } = await pool.query<{ ref: string; title: string; heading: string | null; body: string; score: number }>(
      `SELECT d.ref, d.title, c.heading, c.body, ts_rank(c.tsv, q) AS score
       FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id, websearch_to_tsquery('english', $1) q
       WHERE c.tsv @@ q ORDER BY score DESC, c.id LIMIT $2`,
      [query, limit],
    );
    return rows.map((r) => ({ ref: r.ref as KbHit['ref'], title: r.title, heading: r.heading, snippet: snippet(r.body), score: Number(r.score.toFixed(5)), via: ['keyword'] }));
  },

  async status(pool: pg.Pool): Promise<KbStatus> {
    const { rows } = await pool.query<{ d: number; c: number }>('SELECT (SELECT count(*)::int FROM kb_documents) AS d, (SELECT count(*)::int FROM kb_chunks) AS c');
    return { documents: rows[0].d, chunks: rows[0].c, embedded: 0, vectorSearch: false };
  },

  async get(pool: pg.Pool, ref: string): Promise<KbArticle> {
    const { rows } = await pool.query<{ ref: string; title: string; body: string }>('SELECT ref, title, body FROM kb_documents WHERE ref = $1', [ref]);
    if (!rows[0]) throw new AppError('not_found', `No knowledge-base article ${ref} on the team server. An admin imports the knowledge base.`);
    return { ref: rows[0].ref as KbArticle['ref'], title: rows[0].title, body: rows[0].body };
  },
};
