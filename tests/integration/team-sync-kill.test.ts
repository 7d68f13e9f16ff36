import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { diffMirrorWithServer } from '../helpers/team-mirror';
import { registerAccount, repeatedPages, waitFor } from '../helpers/team-sync';

// Acceptance: two team server instances (separate processes) on one database; the one syncing is
// killed with SIGKILL in the middle of the backfill. The other takes the lease (the figure is
// printed; the lease retry is 2 s against the 10 s asked), resumes from the committed checkpoint
// instead of starting over - at most the page each stream had in flight is requested again - and
// the final mirror equals the Stripe server.

const ROOT = path.resolve(__dirname, '../..');
const ACCOUNT = 'acct_1TeamKillTest0001';
const KEY = 'sk_test_teamKill000001';
/** Paced so the backfill (~850 requests) lasts several seconds. */
const RATE = '100';
/** Backfill streams: customers (then their payment methods), subscriptions, invoices, invoice payments. */
const STREAMS = 5;

let pgs: TestPostgres;
let pool: pg.Pool;
let server: StripeServer;
const children: ChildProcess[] = [];

interface Instance {
  name: string;
  child: ChildProcess;
  leader: Promise<void>;
  stderr: string;
}

function instance(name: string): Instance {
  const env = { ...process.env, DATABASE_URL: pgs.url, STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: server.url, BSC_TEAM_ACCOUNT: ACCOUNT, BSC_TEAM_INSTANCE: name, BSC_STRIPE_RATE: RATE };
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/team/sync-instance.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const inst: Instance = { name, child, stderr: '', leader: null! };
  child.stderr!.on('data', (d: Buffer) => (inst.stderr += d.toString()));
  inst.leader = new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`leader ${name}`)) resolve();
    });
  });
  return inst;
}

async function checkpointPages(): Promise<number> {
  const { rows } = await pool.query<{ backfill: { resources?: Record<string, { pages: number }> } }>('SELECT backfill FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT]);
  return Object.values(rows[0]?.backfill?.resources ?? {}).reduce((n, r) => n + r.pages, 0);
}

beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 4 });
  await registerAccount(pool, ACCOUNT);
  server = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(server.store, { customers: 800, seed: 29 });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await server?.close();
  await pool?.end();
  await pgs?.close();
});

describe('team sync: kill -9 of the writer mid-backfill', () => {
  it('the other instance takes over, resumes from the checkpoint, and the mirror equals the server', async () => {
    const a = instance('a');
    const b = instance('b');
    const first = await Promise.race([a.leader.then(() => a), b.leader.then(() => b)]);
    const second = first === a ? b : a;
    await waitFor('a quarter of the backfill', async () => (await checkpointPages()) >= 60, 120_000);
    const before = server.requests.length;
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await second.leader;
    const takeoverMs = Date.now() - killedAt;
    console.info(`team-sync kill: takeover ${takeoverMs} ms after SIGKILL (pages committed before it: ${await checkpointPages()})`);
    await waitFor('the backfill to complete', async () => (await pool.query('SELECT backfill_complete FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0].backfill_complete, 180_000);

    // Resumed: only pages in flight at the kill were requested again, never a committed one.
    const repeated = repeatedPages(server.requests);
    expect(repeated.length, repeated.join('\n')).toBeLessThanOrEqual(STREAMS);
    const listAfter = server.requests.slice(before).filter((r) => r.method === 'GET' && /^\/v1\/(customers|subscriptions|invoices|invoice_payments)/.test(r.path)).length;
    const listBefore = server.requests.slice(0, before).filter((r) => r.method === 'GET' && /^\/v1\/(customers|subscriptions|invoices|invoice_payments)/.test(r.path)).length;
    expect(listBefore).toBeGreaterThan(50);
    expect(listAfter).toBeGreaterThan(0);
    // The successor's tenure is fenced by a new epoch; the dead writer's ended with it.
    const state = (await pool.query('SELECT writer_epoch::int AS epoch, writer_instance FROM stripe_sync_state WHERE account_id = $1', [ACCOUNT])).rows[0];
    expect(state).toEqual({ epoch: 2, writer_instance: second.name });

    const diff = await diffMirrorWithServer(pool, server.store, ACCOUNT);
    expect(diff.snapshot).toEqual([]);
    expect(diff.feed).toEqual([]);
    second.child.kill('SIGTERM');
  });
});
