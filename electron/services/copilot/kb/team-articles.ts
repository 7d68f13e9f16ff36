import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { prepared } from '../../db/statements';

// The team's knowledge base on a desk: the kb_article entries of the team feed are written into
// the desk's own knowledge-base tables (the FTS index follows them by trigger), so the copilot's
// grounding reads them locally with the same search as a solo desk: no round trip to the server per
// answer, and drafts keep citing the team's articles while the desk is offline. (kb.search on the
// server would cost a request per answer and fail offline.) A team desk's knowledge base is the
// team's only: the sample articles and anything imported before joining are dropped at start, so
// every desk of a team cites the same articles.

/** source_path of an article that came from the team feed: `team:kb:<slug>`. */
const TEAM_SOURCE = 'team:';

export interface TeamKbArticle {
  ref: string;
  title: string;
  body: string;
  chunks: Array<{ ord: number; heading: string | null; text: string }>;
}

/** One kb_article entry: the article replaced with its chunks (or removed); applying it again changes nothing. */
export function applyTeamKbArticle(db: Database.Database, ref: string, article: TeamKbArticle | null, nowMs: number): void {
  const slug = ref.replace(/^kb:/, '');
  // Chunks, their FTS rows and their embeddings follow the document (ON DELETE CASCADE, triggers).
  prepared(db, 'DELETE FROM kb_documents WHERE slug = ? OR source_path = ?').run(slug, `${TEAM_SOURCE}${ref}`);
  if (!article) return;
  const hash = crypto.createHash('sha256').update(JSON.stringify([article.title, article.body, article.chunks])).digest('hex');
  const docId = Number(
    prepared(db, 'INSERT INTO kb_documents (source_path, slug, title, body, content_hash, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(`${TEAM_SOURCE}${ref}`, slug, article.title, article.body, hash, nowMs).lastInsertRowid,
  );
  const chunk = prepared(db, 'INSERT INTO kb_chunks (document_id, ord, heading, text) VALUES (?, ?, ?, ?)');
  for (const c of article.chunks) chunk.run(docId, c.ord, c.heading ?? null, c.text);
}

/** Before a snapshot: the team's articles go, the snapshot brings every live one back. */
export function clearTeamKbArticles(db: Database.Database): void {
  prepared(db, "DELETE FROM kb_documents WHERE source_path LIKE 'team:%'").run();
}

/** At a team desk's start: articles that did not come from the team (the sample, an earlier import) go. */
export function dropLocalKbArticles(db: Database.Database): number {
  return prepared(db, "DELETE FROM kb_documents WHERE source_path NOT LIKE 'team:%'").run().changes;
}
