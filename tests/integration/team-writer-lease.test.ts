import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgFeedStore } from '../../electron/team-server/stores/feed';
import { LeaseLostError, PgSyncSink } from '../../electron/team-server/sync/pg-sink';
import { WriterLease } from '../../electron/team-server/sync/writer-lease';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { registerAccount, waitFor } from '../helpers/team-sync';

// The writer lease alone: one holder per account, a new epoch per tenure, and a holder whose
// session PostgreSQL ended (its connection cut: what a dead or partitioned instance looks like to
// the database) is told at once and can no longer commit once a successor has taken over. A holder
// that is stuck with its sessions alive - making no progress, or its event loop blocked inside a
// write transaction (another process) - is replaced through the heartbeat, and its write never
// commits.

const ACCOUNT = 'acct_1LeaseTest0000001';
let pgs: TestPostgres;
let pool: pg.Pool;
const leases: WriterLease[] = [];

/** A short heartbeat expiry for the tests (LEASE_TTL_MS on a server). */
const TTL_MS = 1_000;
const children: ChildProcess[] = [];

const lease = (instanceId: string, onNotify?: (p: string | undefined) => void, healthy?: () => boolean) => {
  const l = new WriterLease({ connectionString: pgs.url, accountId: ACCOUNT, instanceId, ttlMs: TTL_MS, healthy, ...(onNotify ? { listen: { channel: 'bsc_webhook', onNotify } } : {}) });
  leases.push(l);
  return l;
};

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  await registerAccount(pool, ACCOUNT);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
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
    await b.release();
  });

  it('a holder that makes no progress gives the lease up; a successor takes over and the old sink cannot commit', async () => {
    let progressing = true;
    const a = lease('a', undefined, () => progressing);
    const b = lease('b');
    expect(await a.tryAcquire()).toBe(true);
    const staleSink = new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, a.epoch);
    expect(await b.tryAcquire()).toBe(false);
    progressing = false;
    await waitFor('the stalled holder to give the lease up', async () => !a.held);
    await waitFor('the successor', () => b.tryAcquire());
    await expect(staleSink.markSynced(3)).rejects.toBeInstanceOf(LeaseLostError);
    await b.release();
  });

  it('a holder whose process is stuck inside a write, sessions alive, is replaced and its write never commits', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/team/stuck-writer.ts'], {
      env: { ...process.env, DATABASE_URL: pgs.url, BSC_TEAM_ACCOUNT: ACCOUNT, BSC_LEASE_TTL_MS: String(TTL_MS), BSC_STUCK_CUSTOMER: 'cus_WrittenWhileStuck' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const stuckEpoch = Number((await waitFor('the writer to get stuck', async () => (err ? Promise.reject(new Error(err)) : /stuck (\d+)/.exec(out)?.[1])))!);
    // Its sessions are alive: the lock is held, the transaction open.
    const b = lease('b');
    expect(await b.tryAcquire()).toBe(false);
    await waitFor('the successor', () => b.tryAcquire());
    expect(b.epoch).toBe(stuckEpoch + 1);
    expect(child.exitCode).toBe(null);
    expect((await pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0].n).toBe(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM stripe_objects WHERE id = $1', ['cus_WrittenWhileStuck'])).rows[0].n).toBe(0);
    await new PgSyncSink(pool, new PgFeedStore(pool), ACCOUNT, b.epoch).markSynced(4);
    await b.release();
  });
});
