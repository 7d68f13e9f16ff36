import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { LeaseLostError, PgSyncSink } from '../../electron/team-server/sync/pg-sink';
import { WriterLease } from '../../electron/team-server/sync/writer-lease';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { registerAccount, waitFor } from '../helpers/team-sync';

// The writer lease alone: one holder per account, a new epoch per tenure, and a holder whose
// session PostgreSQL ended (its connection cut: what a dead or partitioned instance looks like to
// the database) is told at once and can no longer commit once a successor has taken over.

const ACCOUNT = 'acct_1LeaseTest0000001';
let pgs: TestPostgres;
let pool: pg.Pool;
const leases: WriterLease[] = [];

const lease = (instanceId: string, onNotify?: (p: string | undefined) => void) => {
  const l = new WriterLease({ connectionString: pgs.url, accountId: ACCOUNT, instanceId, checkMs: 200, ...(onNotify ? { listen: { channel: 'bsc_webhook', onNotify } } : {}) });
  leases.push(l);
  return l;
};

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  await registerAccount(pool, ACCOUNT);
});
afterAll(async () => {
  for (const l of leases) await l.release();
  await pool?.end();
  await pgs?.close();
});

describe('sync writer lease', () => {
  it('one holder at a time; each tenure gets a new epoch; release passes it on', async () => {
    const a = lease('a');
    const b = lease('b');
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    const first = a.epoch!;
    await a.release();
    expect(await b.tryAcquire()).toBe(true);
    expect(b.epoch).toBe(first + 1);
    expect((await pool.query('SELECT writer_instance FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0].writer_instance).toBe('b');
    await b.release();
  });

  it("a holder whose session is cut learns it, a successor takes over, and the old holder's sink cannot commit", async () => {
    const notified: string[] = [];
    const a = lease('a', (p) => p && notified.push(p));
    const b = lease('b');
    expect(await a.tryAcquire()).toBe(true);
    await pool.query("SELECT pg_notify('bsc_webhook', $1)", [ACCOUNT]);
    await waitFor('the wake-up on the lease connection', async () => notified.includes(ACCOUNT));
    const lost: string[] = [];
    a.onLost((reason) => lost.push(reason));
    const staleSink = new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, a.epoch);
    // The session holding the advisory lock is the lease's own connection.
    const cut = await pool.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(cut.rows).toEqual([{ ok: true }]);
    await waitFor('the holder to learn it lost the lease', async () => lost.length > 0);
    expect(a.held).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
    await expect(staleSink.markSynced(1)).rejects.toBeInstanceOf(LeaseLostError);
    await new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, b.epoch).markSynced(2);
  });
});
