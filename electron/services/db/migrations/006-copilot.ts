import type { Migration } from './types';

// The copilot's tables. The knowledge base gets a keyword index (FTS5, always available) over
// kb_chunks, kept in step by triggers so every write path (import, re-import, delete) updates it.
// Vectors live in a sqlite-vec `vec0` table created at run time, not here: the extension is loaded
// by the copilot service and its dimension depends on the embedding model chosen in Settings.
// Proposals record every action the copilot suggested and what a person decided, so a
// confirmation can only run an action the copilot actually proposed for that customer, and runs once.
export const migration006: Migration = {
  version: 6,
  name: 'copilot: knowledge-base keyword index, proposed actions',
  up: (db) => {
    db.exec(`
      ALTER TABLE kb_documents ADD COLUMN slug TEXT;
      CREATE UNIQUE INDEX kb_documents_slug ON kb_documents(slug);

      CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(
        heading, text,
        content = 'kb_chunks', content_rowid = 'id',
        tokenize = 'porter unicode61'
      );
      INSERT INTO kb_chunks_fts (rowid, heading, text) SELECT id, coalesce(heading, ''), text FROM kb_chunks;
      CREATE TRIGGER kb_chunks_fts_insert AFTER INSERT ON kb_chunks BEGIN
        INSERT INTO kb_chunks_fts (rowid, heading, text) VALUES (new.id, coalesce(new.heading, ''), new.text);
      END;
      CREATE TRIGGER kb_chunks_fts_delete AFTER DELETE ON kb_chunks BEGIN
        INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, coalesce(old.heading, ''), old.text);
      END;
      CREATE TRIGGER kb_chunks_fts_update AFTER UPDATE ON kb_chunks BEGIN
        INSERT INTO kb_chunks_fts (kb_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, coalesce(old.heading, ''), old.text);
        INSERT INTO kb_chunks_fts (rowid, heading, text) VALUES (new.id, coalesce(new.heading, ''), new.text);
      END;

      -- Which chunk has a vector for which embedding model (the vectors are in the vec0 table).
      CREATE TABLE kb_embeddings (
        chunk_id INTEGER PRIMARY KEY REFERENCES kb_chunks(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        dimensions INTEGER NOT NULL,
        embedded_at_ms INTEGER NOT NULL
      );

      CREATE TABLE copilot_proposals (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        type TEXT NOT NULL,
        args_json TEXT NOT NULL DEFAULT '{}',
        title TEXT NOT NULL,
        reason TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('state', 'model')),
        citations_json TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'dismissed', 'failed', 'info')),
        created_at_ms INTEGER NOT NULL,
        decided_at_ms INTEGER,
        decided_by TEXT,
        result_json TEXT
      );
      CREATE INDEX copilot_proposals_customer ON copilot_proposals(account_id, customer_id, created_at_ms DESC);
    `);
  },
};
