import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { randomMutation } from '../stripe-server/mutations';
import { rng, seedAccount } from '../stripe-server/seed';
import { spawnCliSync, sleep, type CliRun } from '../helpers/cli-sync';
import { tempDir, testServices } from '../helpers/services';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Acceptance: `kill -9` of the CLI sync at 20+ random points, then one run to completion: the cache
// equals the server (no lost rows, none extra), the checkpoint only ever moved forward, and the
// last run resumed instead of starting over (it made fewer requests than a whole backfill).
//
// A kill point is "after the server has seen k more requests from this run, plus a few ms", k drawn
// from a seeded generator: this lands kills during start-up, the first probe, and anywhere in the
// backfill (mid-request, mid-transaction) however fast or slow the machine is. The account keeps
// changing while the CLI is down, so the last run also has events to catch up on.
//
// The server answers after ~60 ms (+-30%), so the sync keeps several requests in flight and pages
// each list in created-time slices side by side: the kills land with pages of several slices in
// flight. A slice finished before a run is never requested again in that run.

const ACCOUNT = 'acct_1KillTest00000001';
const KEY = 'sk_test_killTest000001';
const KILLS = 22;
/** Paced so a whole backfill (~850 requests) spans all the kills. */
const RATE = '100';
const LATENCY = { ms: 60, jitter: 0.3 };
/** ~23 CLI processes, each paying node + tsx start-up on a loaded machine. */
const TIMEOUT_MS = 300_000;

let server: StripeServer;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  server = await startStripeServer({ accountId: ACCOUNT, latency: LATENCY });
  seedAccount(server.store, { customers: 800, seed: 23 });
  ({ dir, cleanup } = tempDir('bsc-sync-kill-'));
});
afterAll(async () => {
  await server.close();
  cleanup();
});

/** The CLI sync in its own process, against this file's server and key. */
function cliSync(db: string, ...args: string[]): CliRun {
  return spawnCliSync({ db, key: KEY, apiBase: server.url, rate: RATE }, ...args);
}

/** Resolves once the server has received `count` requests after index `from` (or the run ended). */
async function requestsSeen(from: number, count: number, run: CliRun): Promise<void> {
  let ended = false;
  void run.exit.then(() => (ended = true));
  while (!ended && server.requests.length - from < count) await sleep(1);
}

interface Slice {
  gte: number | null;
  lt: number | null;
  done: boolean;
}

interface Checkpoint {
  complete: boolean;
  /** Pages committed per resource (customers' payment methods count one page per customer). */
  pages: Record<string, number>;
  /** The created-time slices of each list. */
  slices: Record<string, Slice[]>;
}

const EMPTY: Checkpoint = { complete: false, pages: {}, slices: {} };

function readCheckpoint(db: string): Checkpoint {
  const conn = new Database(db);
  try {
    const row = conn.prepare('SELECT backfill_json, backfill_complete FROM sync_state WHERE account_id = ?').get(ACCOUNT) as { backfill_json: string; backfill_complete: number } | undefined;
    if (!row) return EMPTY;
    const cp = JSON.parse(row.backfill_json) as { resources?: Record<string, { pages: number; slices?: Slice[] }> };
    const pages: Record<string, number> = {};
    const slices: Record<string, Slice[]> = {};
    for (const [r, c] of Object.entries(cp.resources ?? {})) {
      pages[r] = c.pages;
      if (c.slices) slices[r] = c.slices.map(({ gte, lt, done }) => ({ gte, lt, done }));
    }
    return { complete: row.backfill_complete === 1, pages, slices };
  } catch (err) {
    // No sync_state table yet: killed while the cache file was being created.
    if (/no such table/.test(String(err))) return EMPTY;
    throw err;
  } finally {
    conn.close();
  }
}

const sliceKey = (s: Pick<Slice, 'gte' | 'lt'>) => `${s.gte ?? '-'}..${s.lt ?? '-'}`;

const LIST_PATHS: Record<string, string> = { '/v1/customers': 'customers', '/v1/subscriptions': 'subscriptions', '/v1/invoices': 'invoices', '/v1/invoice_payments': 'invoice_payments' };

/** List requests a run made for slices that were already finished when it started. */
function finishedSlicesReread(before: Checkpoint, from: number): string[] {
  const finished = new Set<string>();
  for (const [r, slices] of Object.entries(before.slices)) for (const s of slices) if (s.done) finished.add(`${r} ${sliceKey(s)}`);
  const out: string[] = [];
  for (const req of server.requests.slice(from)) {
    const resource = LIST_PATHS[req.path];
    if (!resource || req.method !== 'GET') continue;
    const q = new URLSearchParams(req.query);
    // Only the backfill's own pages (events and refresh lists carry other filters).
    if (q.get('limit') !== '100' || q.has('customer') || q.has('invoice')) continue;
    const num = (k: string) => (q.has(k) ? Number(q.get(k)) : null);
    const key = `${resource} ${sliceKey({ gte: num('created[gte]'), lt: num('created[lt]') })}`;
    if (finished.has(key)) out.push(`${req.path}${req.query}`);
  }
  return out;
}

/** Requests a whole backfill of the server's current state costs (in-process, same engine). */
async function fullBackfillRequests(): Promise<number> {
  const s = await testServices({ env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
  try {
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 2_000, maxConcurrent: 8 });
    const engine = s.ctx.registries.sync.engine(ACCOUNT);
    await engine.syncOnce();
    return engine.stats.requests;
  } finally {
    await s.dispose();
  }
}

describe('kill -9 during the CLI sync', () => {
  it(`resumes after ${KILLS} kills at random points and ends with no lost and no duplicated rows`, async () => {
    const db = path.join(dir, 'cache.db');
    const random = rng(2024);
    let mutationSeed = 1;
    const killed: Array<{ afterRequests: number; jitterMs: number; pages: number }> = [];
    let previous: Checkpoint = EMPTY;
    let mostSlices = 0;

    for (let attempt = 0; killed.length < KILLS && attempt < KILLS * 2; attempt++) {
      const from = server.requests.length;
      // Every few runs a kill during start-up (the cache being opened or created), else after k requests.
      const early = random() < 0.1;
      const k = early ? 0 : 1 + Math.floor(random() * 40);
      const jitterMs = Math.floor(random() * (early ? 400 : 25));
      const run = cliSync(db);
      await requestsSeen(from, k, run);
      await sleep(jitterMs);
      run.child.kill('SIGKILL');
      const exit = await run.exit;
      expect(run.stderr).not.toMatch(/moved aside|could not be read/);
      if (exit.signal !== 'SIGKILL') {
        // It finished before the kill point: the backfill is done; the rest is the last run's.
        expect(exit.code, run.stderr).toBe(0);
        break;
      }
      const now = readCheckpoint(db);
      // Committed pages never go backwards: a kill loses at most the pages in flight.
      if (!now.complete) for (const [r, n] of Object.entries(previous.pages)) expect(now.pages[r] ?? 0, `${r} after kill ${killed.length + 1}`).toBeGreaterThanOrEqual(n);
      // A finished slice stays finished, and was not read again.
      if (!now.complete) {
        for (const [r, slices] of Object.entries(previous.slices)) {
          const after = new Map((now.slices[r] ?? []).map((sl) => [sliceKey(sl), sl]));
          for (const sl of slices) if (sl.done) expect(after.get(sliceKey(sl))?.done, `${r} slice ${sliceKey(sl)} after kill ${killed.length + 1}`).toBe(true);
        }
      }
      expect(finishedSlicesReread(previous, from)).toEqual([]);
      mostSlices = Math.max(mostSlices, Object.values(now.slices).reduce((n, sl) => n + sl.length, 0));
      previous = now;
      killed.push({ afterRequests: k, jitterMs, pages: Object.values(now.pages).reduce((a, b) => a + b, 0) });
      // The account moves on while the sync is down.
      for (let i = 0; i < 4; i++) randomMutation(server.store, mutationSeed++);
    }
    expect(killed.length).toBeGreaterThanOrEqual(20);
    // The kills were spread over the backfill, not bunched before its first page.
    expect(new Set(killed.map((k) => k.pages)).size).toBeGreaterThan(10);
    expect(previous.complete).toBe(false);
    // The lists really were paged in slices (more than one per list).
    expect(mostSlices).toBeGreaterThan(4);

    const fromLast = server.requests.length;
    const last = cliSync(db, '--json');
    const exit = await last.exit;
    expect(exit.code, last.stderr).toBe(0);
    expect(finishedSlicesReread(previous, fromLast)).toEqual([]);
    const lines = last.stdout.trim().split('\n');
    const totals = JSON.parse(lines[lines.length - 1]) as Record<string, number>;
    expect(Object.keys(totals)).toEqual(['customers', 'subscriptions', 'invoices', 'events_applied', 'requests', 'seconds']);

    // No lost and no duplicated rows: every table equals the server, row for row.
    const conn = new Database(db, { readonly: true });
    try {
      const actual = cachedMirror(conn, ACCOUNT);
      const expected = expectedMirror(server.store, new Set(Object.keys(actual.paymentMethods)));
      expect(mirrorDiff(expected, actual)).toEqual([]);
      for (const id of actual.deletedCustomers) expect(server.store.collection('customer').isDeleted(id), id).toBe(true);
      expect(totals.customers).toBe(Object.keys(expected.customers).length);
      expect(totals.subscriptions).toBe(Object.keys(expected.subscriptions).length);
      expect(totals.invoices).toBe(Object.keys(expected.invoices).length);
      const state = conn.prepare('SELECT backfill_complete, last_error FROM sync_state WHERE account_id = ?').get(ACCOUNT);
      expect(state).toEqual({ backfill_complete: 1, last_error: null });
    } finally {
      conn.close();
    }
    // The changes made while the CLI was down arrived as events.
    expect(totals.events_applied).toBeGreaterThan(0);

    // Resumed, not restarted: the last run cost less than a whole backfill does.
    const whole = await fullBackfillRequests();
    expect(totals.requests).toBeLessThan(whole);
    // 23 CLI processes (each starting node + tsx) and ~850 paced requests: a minute on an idle
    // machine, more on a loaded one.
  }, TIMEOUT_MS);
});
