import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { compareEntries } from '../stripe-server/collection';
import { randomMutation } from '../stripe-server/mutations';
import { API_VERSION, type StripeObject } from '../stripe-server/shapes';
import { rng, seedAccount } from '../stripe-server/seed';
import { spawnCliSync, sleep, type CliRun } from '../helpers/cli-sync';
import { tempDir } from '../helpers/services';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Crash safety of the incremental sync: `kill -9` of the CLI sync while it walks the Events API -
// between event pages, and in the middle of re-fetching objects an event named (invoice payments
// after a payment event, objects whose payload came in an older API version) - then one run to the
// end. Proven across the restarts:
// - no event lost: after every kill, every event up to the saved cursor is recorded as applied (a
//   cursor saved ahead of its events would skip them for good); at the end every event is applied;
// - none applied twice: the applied set only grows, the final run applies exactly the events the
//   killed runs had not finished (its own count), and the cursor never moves back;
// - the cache equals the server (the mirror oracle, row for row).

const ACCOUNT = 'acct_1KillEvents000001';
const KEY = 'sk_test_killEvents0001';
const ROUNDS = 6;
const KILLS_PER_ROUND = 3;
/** Slow enough that one events pass (hundreds of events, dozens of re-fetches) spans the kills. */
const RATE = '40';
/** Where the kills land; varies per run (printed in the test name), KILL_SEED=<n> repeats one. */
const SEED = Number(process.env.KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

let server: StripeServer;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  server = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(server.store, { customers: 60, seed: 31 });
  ({ dir, cleanup } = tempDir('bsc-sync-kill-events-'));
});
afterAll(async () => {
  await server.close();
  cleanup();
});

/** The CLI sync in its own process, against this file's server and key. */
function cliSync(db: string, ...args: string[]): CliRun {
  return spawnCliSync({ db, key: KEY, apiBase: server.url, rate: RATE }, ...args);
}

const isEventsList = (p: string) => p === '/v1/events';
/** A re-fetch of the events phase: one object, or an invoice's payments. */
const isRefetch = (p: string) => p === '/v1/invoice_payments' || /^\/v1\/(customers|subscriptions|invoices|payment_methods)\/[^/]+$/.test(p);

/** Resolves once `count` requests matching `match` arrived after index `from` (or the run ended). */
async function seen(from: number, count: number, match: (p: string) => boolean, run: CliRun): Promise<boolean> {
  let ended = false;
  void run.exit.then(() => (ended = true));
  while (!ended) {
    if (server.requests.slice(from).filter((r) => match(r.path)).length >= count) return true;
    await sleep(1);
  }
  return false;
}

interface EventsState {
  cursor: string | null;
  applied: Set<string>;
}

function readEventsState(db: string): EventsState {
  const conn = new Database(db, { readonly: true });
  try {
    const row = conn.prepare('SELECT events_cursor FROM sync_state WHERE account_id = ?').get(ACCOUNT) as { events_cursor: string | null };
    const applied = new Set((conn.prepare('SELECT event_id FROM applied_events WHERE account_id = ?').all(ACCOUNT) as Array<{ event_id: string }>).map((r) => r.event_id));
    return { cursor: row.events_cursor, applied };
  } finally {
    conn.close();
  }
}

/** The server's events in the order the Events API walks them (oldest first). */
function serverEvents(): StripeObject[] {
  return [...server.store.all('event')].sort(compareEntries);
}

describe(`kill -9 during the events phase of the CLI sync (seed ${SEED}; KILL_SEED=${SEED} repeats it)`, () => {
  it(`loses no event and applies none twice across ${ROUNDS * KILLS_PER_ROUND} kills between event pages and mid re-fetch`, async () => {
    const db = path.join(dir, 'cache.db');
    const random = rng(SEED);
    let mutationSeed = 1;

    // A complete backfill first (the seed is quiet: a few changes give the account events to
    // hold a cursor on): from here on every change reaches the cache as events.
    for (let i = 0; i < 5; i++) randomMutation(server.store, mutationSeed++);
    const first = cliSync(db);
    expect((await first.exit).code, first.stderr).toBe(0);
    const start = readEventsState(db);
    expect(start.cursor).not.toBeNull();
    const baseline = serverEvents().findIndex((e) => e.id === start.cursor);
    expect(baseline).toBeGreaterThanOrEqual(0);
    const tracked = () => serverEvents().slice(baseline + 1);

    let previous = start;
    const kills: Array<{ kind: 'events page' | 're-fetch'; cursorAt: number; applied: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Enough changes for several pages of events; some rounds in an older API version, so
      // customers, subscriptions and invoices are re-fetched too, not only invoice payments.
      server.store.eventApiVersion = round % 2 === 1 ? '2024-06-20' : API_VERSION;
      for (let i = 0; i < 90; i++) randomMutation(server.store, mutationSeed++);
      server.store.eventApiVersion = API_VERSION;
      server.clock.advance(60);

      for (let k = 0; k < KILLS_PER_ROUND; k++) {
        const kind = k % 2 === 0 ? 're-fetch' : 'events page';
        const from = server.requests.length;
        const run = cliSync(db);
        // Into the pass: after the p-th page of events, then (re-fetch) at the m-th re-fetch after it.
        const pages = 1 + Math.floor(random() * 3);
        let reached = await seen(from, pages, isEventsList, run);
        if (reached && kind === 're-fetch') reached = await seen(server.requests.length, 1 + Math.floor(random() * 4), isRefetch, run);
        if (kind === 'events page') await sleep(Math.floor(random() * 30));
        run.child.kill('SIGKILL');
        const exit = await run.exit;
        expect(run.stderr).not.toMatch(/moved aside|could not be read/);
        if (!reached || exit.signal !== 'SIGKILL') {
          // This pass finished before the kill point: nothing left to interrupt this round.
          expect(exit.code, run.stderr).toBe(0);
          break;
        }

        const now = readEventsState(db);
        const order = serverEvents();
        const position = (id: string | null) => (id ? order.findIndex((e) => e.id === id) : -1);
        // The cursor never moves back, and is a real event.
        expect(now.cursor).not.toBeNull();
        expect(position(now.cursor)).toBeGreaterThanOrEqual(position(previous.cursor));
        // Nothing applied is forgotten; nothing unknown to the server is recorded.
        for (const id of previous.applied) expect(now.applied.has(id), `${id} forgotten after kill ${kills.length + 1}`).toBe(true);
        const known = new Set(order.map((e) => e.id));
        for (const id of now.applied) expect(known.has(id), id).toBe(true);
        // No event lost: everything up to the cursor is applied (else the next run skips it for good).
        const skipped = order.slice(baseline + 1, position(now.cursor) + 1).filter((e) => !now.applied.has(e.id));
        expect(skipped.map((e) => `${e.id} ${e.type}`), `events before the cursor but not applied, after a kill ${kind === 're-fetch' ? 'mid re-fetch' : 'between event pages'}`).toEqual([]);
        kills.push({ kind, cursorAt: position(now.cursor), applied: now.applied.size });
        previous = now;
        for (let i = 0; i < 3; i++) randomMutation(server.store, mutationSeed++);
      }
    }
    // The kills really landed in the events phase, of both kinds, at different places in it.
    expect(kills.filter((k) => k.kind === 're-fetch').length).toBeGreaterThanOrEqual(ROUNDS);
    expect(kills.filter((k) => k.kind === 'events page').length).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect(new Set(kills.map((k) => k.cursorAt)).size, JSON.stringify(kills)).toBeGreaterThan(ROUNDS);

    const before = readEventsState(db);
    const last = cliSync(db, '--json');
    const exit = await last.exit;
    expect(exit.code, last.stderr).toBe(0);
    const lines = last.stdout.trim().split('\n');
    const totals = JSON.parse(lines[lines.length - 1]!) as { events_applied: number };

    const after = readEventsState(db);
    const all = tracked();
    // Every event applied exactly once: all of them recorded, and the last run applied precisely
    // those the killed runs had not (an event applied again would be counted again).
    expect(all.filter((e) => !after.applied.has(e.id)).map((e) => e.id)).toEqual([]);
    const leftOver = all.filter((e) => !before.applied.has(e.id)).length;
    expect(totals.events_applied).toBe(leftOver);
    expect(after.cursor).toBe(all.at(-1)!.id);

    const conn = new Database(db, { readonly: true });
    try {
      const actual = cachedMirror(conn, ACCOUNT);
      expect(mirrorDiff(expectedMirror(server.store, new Set(Object.keys(actual.paymentMethods))), actual)).toEqual([]);
      for (const id of actual.deletedCustomers) expect(server.store.collection('customer').isDeleted(id), id).toBe(true);
      // One timeline line per event at most (the id is the event's).
      const dupes = conn.prepare('SELECT id, COUNT(*) AS n FROM timeline_events WHERE account_id = ? GROUP BY id HAVING n > 1').all(ACCOUNT);
      expect(dupes).toEqual([]);
    } finally {
      conn.close();
    }
  }, 300_000);
});
