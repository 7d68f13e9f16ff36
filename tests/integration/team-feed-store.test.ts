import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { PgFeedStore, SnapshotRequiredError, stripeChange, type SnapshotRow } from '../../electron/team-server/stores/feed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// The feed store's guarantees: an entry becomes visible only in seq order (a reader that saw N
// never later finds a smaller seq committed behind it), a rolled-back change leaves no entry, a
// snapshot is one consistent point, pruning keeps the newest state of every entity.

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

async function store(): Promise<{ pool: pg.Pool; feed: PgFeedStore }> {
  const pool = await pgs.newPool();
  await migrateTeamDb(pool);
  return { pool, feed: new PgFeedStore(pool) };
}

const customer = (id: string, v: number) => stripeChange('acct_1', { id, object: 'customer', v } as { id: string; object: string });

describe('feed store', () => {
  it('a later append waits for an earlier open one, so no reader sees seq 2 before seq 1 is committed', async () => {
    const { pool, feed } = await store();
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await feed.append(first, [customer('cus_1', 1)]);
      const secondDone = (async () => {
        await second.query('BEGIN');
        await feed.append(second, [customer('cus_2', 1)]);
        await second.query('COMMIT');
      })();
      let finished = false;
      void secondDone.then(() => (finished = true));
      // Wait until the second transaction is either done (the bug) or blocked on the feed lock.
      for (;;) {
        const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if (finished || rows[0].n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect((await feed.page(0)).entries).toEqual([]);
      await first.query('COMMIT');
      await secondDone;
      expect((await feed.page(0)).entries.map((e) => [e.seq, e.entityId])).toEqual([
        [1, 'cus_1'],
        [2, 'cus_2'],
      ]);
    } finally {
      first.release();
      second.release();
    }
  });

  it('a rolled-back change leaves no entry and no newest state', async () => {
    const { pool, feed } = await store();
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await feed.append(c, [customer('cus_1', 1)]);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
    expect((await feed.page(0)).entries).toEqual([]);
    expect((await pool.query('SELECT count(*)::int AS n FROM feed_latest')).rows[0].n).toBe(0);
  });

  it('a snapshot is one point: changes committed while it streams are in the feed after S, not in it', async () => {
    const { pool, feed } = await store();
    const write = async (id: string, v: number, del = false) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await feed.append(c, [del ? stripeChange('acct_1', { id, object: 'customer', deleted: true }) : customer(id, v)]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
    for (let i = 0; i < 30; i++) await write(`cus_${i}`, 1);
    await write('cus_3', 0, true);
    const rows: SnapshotRow[] = [];
    let seq = -1;
    const snap = await feed.snapshot(
      (h) => void (seq = h.seq),
      async (page) => {
        rows.push(...page);
        await write(`cus_late_${rows.length}`, 1); // commits while the snapshot is open
      },
      { pageSize: 7 },
    );
    expect(seq).toBe(31);
    expect(snap).toEqual({ seq: 31, count: 29 });
    expect(rows.map((r) => r.entityId)).not.toContain('cus_3');
    expect(rows.some((r) => r.entityId.startsWith('cus_late'))).toBe(false);
    const after = await feed.page(31);
    expect(after.entries.length).toBeGreaterThan(0);
    expect(after.entries.every((e) => e.entityId.startsWith('cus_late'))).toBe(true);
  });

  it('pruning drops old entries and old deletions but keeps the newest state; positions behind it must snapshot', async () => {
    const { pool, feed } = await store();
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await feed.append(c, [customer('cus_1', 1), customer('cus_2', 1), customer('cus_1', 2), stripeChange('acct_1', { id: 'cus_2', object: 'customer', deleted: true }), customer('cus_3', 1)]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    expect(await feed.prune(4)).toEqual({ prunedThrough: 4, deleted: 4 });
    await expect(feed.page(3)).rejects.toBeInstanceOf(SnapshotRequiredError);
    expect((await feed.page(4)).entries.map((e) => e.entityId)).toEqual(['cus_3']);
    const latest = (await pool.query('SELECT entity_id, seq, op FROM feed_latest ORDER BY entity_id')).rows;
    expect(latest).toEqual([
      { entity_id: 'cus_1', seq: 3, op: 'upsert' },
      { entity_id: 'cus_3', seq: 5, op: 'upsert' },
    ]);
    // A prune never moves backwards, and never past the head.
    expect((await feed.prune(2)).prunedThrough).toBe(4);
    expect((await feed.prune(99)).prunedThrough).toBe(5);
    expect(await feed.head()).toBe(5);
  });
});
