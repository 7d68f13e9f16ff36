import type Database from 'better-sqlite3';

// Write settings for the length of a backfill. Measured (`npm run bench -- sync`, 750k objects):
// with SQLite's defaults (WAL checkpoint every 1,000 pages, 2 MB page cache) half of the ingest
// time went to COMMIT, mostly checkpoints - each one copies the WAL back into the database and
// fsyncs it, and a page of 100 invoices dirties a few hundred index pages, so a checkpoint ran
// every few pages. Checkpointing every 20,000 pages (an 80 MB WAL) with a 64 MB cache raised the
// ingest from ~22-26k to ~32-37k objects/s; the longest page transaction (one that checkpoints)
// stayed around 100 ms. (10,000 pages: ~35k at best; 40,000: ~39k but 140 ms pauses.)
// The settings are per connection; they are put back when the last backfill on it ends.

const WAL_PAGES = 20_000;
const CACHE_KIB = 65_536;

interface Saved {
  users: number;
  walAutocheckpoint: number;
  cacheSize: number;
}

/** The write settings of one connection; the services hold theirs on the context (`ctx.registries.bulkWrites`). */
export class BulkWrites {
  private saved: Saved | null = null;

  constructor(private readonly db: Database.Database) {}

  /** Raises the settings (the first backfill) and returns the end of this one (the last puts them back). */
  begin(): () => void {
    const db = this.db;
    let s = this.saved;
    if (!s) {
      s = { users: 0, walAutocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number, cacheSize: db.pragma('cache_size', { simple: true }) as number };
      this.saved = s;
      db.pragma(`wal_autocheckpoint = ${Math.max(WAL_PAGES, s.walAutocheckpoint)}`);
      // cache_size: negative = KiB, positive = pages; only ever raised.
      if (s.cacheSize < 0 ? -s.cacheSize < CACHE_KIB : s.cacheSize * 4 < CACHE_KIB) db.pragma(`cache_size = -${CACHE_KIB}`);
    }
    s.users++;
    let ended = false;
    return () => {
      if (ended || !db.open) return;
      ended = true;
      const cur = this.saved!;
      if (--cur.users > 0) return;
      this.saved = null;
      db.pragma(`wal_autocheckpoint = ${cur.walAutocheckpoint}`);
      db.pragma(`cache_size = ${cur.cacheSize}`);
      // Fold the large WAL back now rather than on some later small write (never waits for readers).
      db.pragma('wal_checkpoint(PASSIVE)');
    };
  }
}
