import type Database from 'better-sqlite3';
import { snapshotRank } from './apply-team-entry';
import type { WireEntry } from './team-client';

// A team snapshot on its way in: the server's entry lines, kept as text in a temporary table (a
// file SQLite deletes itself) with their apply rank, then read back in rank order (products before
// the items that name them, customers, the other Stripe objects, cases before their history)
// a page at a time. A 100k-customer account is gigabytes of JSON: held parsed in memory it does
// not fit a desk's heap, staged it costs a write and a read of the text, and the snapshot is still
// applied in one transaction (a reader never sees half of it) whatever order the server sends.

/** The entity of an entry line without parsing it: the server writes {"seq":…,"account":…,"entity":…} first. */
const ENTITY_PREFIX = /^\{"seq":\d+,"account":"(?:[^"\\]|\\.)*","entity":"([^"\\]+)"/;

function rankOfLine(line: string): number {
  const m = ENTITY_PREFIX.exec(line);
  const entity = m ? m[1] : (JSON.parse(line) as WireEntry).entity;
  return snapshotRank({ entity } as WireEntry);
}

const READ_PAGE = 1000;

export class SnapshotStage {
  private readonly insert: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec('DROP TABLE IF EXISTS temp.team_snapshot_stage');
    db.exec('CREATE TEMP TABLE team_snapshot_stage (rank INTEGER NOT NULL, line TEXT NOT NULL)');
    this.insert = db.prepare('INSERT INTO temp.team_snapshot_stage (rank, line) VALUES (?, ?)');
  }

  /** One page of entry lines, in one (temporary) transaction. */
  add(lines: readonly string[]): void {
    this.db.transaction(() => {
      for (const line of lines) this.insert.run(rankOfLine(line), line);
    })();
  }

  /** Every staged entry in apply order (rank, then as the server sent them), parsed a page at a time. */
  *entries(): Generator<WireEntry> {
    this.db.exec('CREATE INDEX IF NOT EXISTS temp.team_snapshot_stage_rank ON team_snapshot_stage (rank)');
    const page = this.db.prepare('SELECT rowid AS n, line FROM temp.team_snapshot_stage WHERE rank = ? AND rowid > ? ORDER BY rowid LIMIT ?');
    const ranks = (this.db.prepare('SELECT DISTINCT rank FROM temp.team_snapshot_stage ORDER BY rank').all() as Array<{ rank: number }>).map((r) => r.rank);
    for (const rank of ranks) {
      let after = 0;
      for (;;) {
        const rows = page.all(rank, after, READ_PAGE) as Array<{ n: number; line: string }>;
        if (!rows.length) break;
        after = rows[rows.length - 1].n;
        for (const r of rows) yield JSON.parse(r.line) as WireEntry;
      }
    }
  }

  drop(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.team_snapshot_stage');
  }
}
