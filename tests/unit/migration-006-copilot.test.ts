import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';

function search(db: Database.Database, q: string): number[] {
  return (db.prepare('SELECT rowid AS id FROM kb_chunks_fts WHERE kb_chunks_fts MATCH ? ORDER BY rowid').all(q) as Array<{ id: number }>).map((r) => r.id);
}

describe('migration 006: copilot knowledge-base index and proposals', () => {
  it('indexes knowledge-base chunks that existed before it, and keeps the index in step afterwards', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 5);
    expect(schemaVersion(db)).toBeLessThan(6);
    db.prepare("INSERT INTO kb_documents (id, source_path, title, body, content_hash, imported_at_ms) VALUES (1, '/kb/refunds.md', 'Refunds', '...', 'h', 1)").run();
    db.prepare("INSERT INTO kb_chunks (id, document_id, ord, heading, text) VALUES (10, 1, 0, 'Refund policy', 'Refunds within fourteen days are granted in full.')").run();
    migrate(db, MIGRATIONS, 6);
    expect(schemaVersion(db)).toBe(6);
    expect(search(db, 'fourteen')).toEqual([10]);
    expect(search(db, 'refund')).toEqual([10]); // porter stemming: "refunds" → "refund"

    db.prepare("INSERT INTO kb_chunks (id, document_id, ord, heading, text) VALUES (11, 1, 1, NULL, 'Chargebacks are handled by the billing team.')").run();
    expect(search(db, 'chargebacks')).toEqual([11]);
    db.prepare("UPDATE kb_chunks SET text = 'Disputes go to finance.' WHERE id = 11").run();
    expect(search(db, 'chargebacks')).toEqual([]);
    expect(search(db, 'disputes')).toEqual([11]);
    db.prepare('DELETE FROM kb_documents WHERE id = 1').run();
    expect(search(db, 'disputes OR refund')).toEqual([]);
    expect(db.prepare("INSERT INTO kb_chunks_fts(kb_chunks_fts) VALUES ('integrity-check')").run().changes).toBeGreaterThanOrEqual(0);
  });

  it('adds the article slug and the proposals table with its status guard', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 6);
    const cols = (db.prepare("SELECT name FROM pragma_table_info('kb_documents')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).toContain('slug');
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('demo', 'Demo', 0, 1, 1)").run();
    const insert = db.prepare("INSERT INTO copilot_proposals (id, account_id, customer_id, type, title, reason, source, status, created_at_ms) VALUES (?, 'demo', 'cus_A', 'send_portal_link', 't', 'r', 'state', ?, 1)");
    insert.run('prop_aaaaaaaa', 'proposed');
    expect(() => insert.run('prop_bbbbbbbb', 'executed')).toThrow(/CHECK/);
  });
});
