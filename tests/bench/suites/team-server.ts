import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type Stripe from 'stripe';
import type { BenchContext } from '../run';
import { createServices } from '../../../electron/services';
import { silentLogger } from '../../../electron/services/core/log';
import { startTeamServer, type TeamServer } from '../../../electron/team-server/app';
import { startStripeServer, type StripeServer } from '../../stripe-server';
import { randomMutation } from '../../stripe-server/mutations';
import { seedAccount } from '../../stripe-server/seed';
import { startTestPostgres } from '../../helpers/postgres';
import { tempDir } from '../../helpers/services';
import { teamSnapshotOnly } from './team-server-snapshot';
import { deskFromSnapshot } from './desk-bootstrap';
import { signedDelivery } from '../../helpers/team-sync';

// `npm run bench -- team-server [--json] [--customers 1000] [--desks 1,50,200] [--window-s 20]
//   [--mutations-per-s 2]`; `npm run bench -- team-server --snapshot-only [--customers 100000]`:
//   only the snapshot figure, at the size of the acceptance (team-server-snapshot.ts)
// One team server (real PostgreSQL cluster, loopback Stripe server whose every event is also
// delivered to the server's webhook endpoint, signed, as Stripe would) and N simulated desks, each
// following the live feed (SSE), in a separate process (team-desk-swarm.ts). Per N, over the same window of account changes:
// - Stripe requests per minute made by the team (must not grow with N) vs N solo desks each
//   syncing on their own (one solo desk measured over the same kind of window, times N: solo
//   desks do not share anything, so each makes the same requests);
// - propagation webhook -> every desk: from the delivery's POST to each desk receiving the
//   object's feed entry, p50/p95 over every (event, desk) pair (target p95 <= 1 s on loopback);
// - write calls (notes.add by one agent at 5/s) p50/p95 while the N desks are connected;
// - database connections used (pg_stat_activity, sampled at the end of the window).
// Then: a new desk from GET /v1/snapshot (the desk's own pull, until its search index is complete)
// vs a direct backfill of the same account at 100 req/s (requests the team's backfill made / 100),
// target <= 1/3, and the Stripe requests the snapshot caused (0).

const ACCOUNT = 'acct_1TeamBench0000001';
const KEY = 'sk_test_teamBench00001';
const WHSEC = 'whsec_teamBenchSecret0000000001';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}
const pct = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MIRRORED = new Set(['customer', 'subscription', 'invoice', 'payment_method', 'invoice_payment', 'product']);

interface Window {
  stripeRequests: number;
  byPath: Record<string, number>;
  events: number;
  latencies: number[];
  missing: number;
  writeLatencies: number[];
  connections: number;
}

export default async function teamServerBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  if (ctx.args.includes('--snapshot-only')) return teamSnapshotOnly(ctx);
  const customers = Number(arg(ctx.args, 'customers', '1000'));
  const deskCounts = arg(ctx.args, 'desks', '1,50,200').split(',').map(Number);
  const windowS = Number(arg(ctx.args, 'window-s', '20'));
  const mutationsPerS = Number(arg(ctx.args, 'mutations-per-s', '2'));
  const pgs = await startTestPostgres();
  const stripe: StripeServer = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers, seed: 17, quiet: true });
  const figures: Record<string, unknown> = { customers, window_s: windowS, mutations_per_s: mutationsPerS };
  let team: TeamServer | null = null;
  const { dir, cleanup } = tempDir('bsc-team-bench-');
  try {
    ctx.print(`team-server bench: ${customers} customers, desks ${deskCounts.join('/')}, ${windowS} s windows, ${mutationsPerS} mutations/s`);
    const backfillStart = performance.now();
    team = await startTeamServer({
      env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'bench-team-secret-0123456789', STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: stripe.url, STRIPE_WEBHOOK_SECRET: WHSEC, BSC_STRIPE_RATE: '100', BSC_TEAM_DB_POOL: '10' },
      databaseUrl: pgs.url,
      log: silentLogger,
      rateLimit: { perSecond: 1_000, burst: 1_000 },
    });
    const pool = new pg.Pool({ connectionString: pgs.url, max: 2 });
    const healthy = async () => ((await (await fetch(`${team!.url}/healthz`)).json()) as { accounts: Array<{ backfill_complete: boolean }> }).accounts[0]?.backfill_complete;
    while (!(await healthy())) await sleep(100);
    const backfillS = (performance.now() - backfillStart) / 1000;
    const backfillRequests = stripe.requests.length;
    ctx.print(`team backfill: ${backfillRequests} Stripe requests in ${backfillS.toFixed(1)} s (paced at 100 req/s)`);

    // Stripe "delivers" every event to the webhook endpoint, signed; the POST time is the start.
    const deliveredAt = new Map<string, { t: number; objectId: string }>();
    const stopDeliveries = stripe.store.onEvent((e) => {
      const ev = e as unknown as Stripe.Event;
      const obj = ev.data.object as { id: string; object: string };
      const d = signedDelivery(ev, WHSEC);
      // Wall clock: the desks run in another process.
      const t = Date.now();
      if (MIRRORED.has(obj.object)) deliveredAt.set(ev.id, { t, objectId: obj.id });
      void fetch(`${team!.url}/stripe/webhook/${ACCOUNT}`, { method: 'POST', headers: { 'stripe-signature': d.signature }, body: d.body }).catch(() => {});
    });

    const agent = await team.agents.add('Bench Lead', 'lead');
    const customerIds = stripe.store.all('customer').map((c) => c.id);
    let seed = 1;
    const runWindow = async (desks: number): Promise<Window> => {
      const head = ((await (await fetch(`${team!.url}/v1/feed?after=0&limit=1`, { headers: { authorization: `Bearer ${agent.token}` } })).json()) as { head: number }).head;
      const tokens: string[] = [];
      for (let i = 0; i < desks; i++) tokens.push((await team!.agents.add(`Desk ${desks}-${i}`, 'agent')).token);
      const swarm = fork(fileURLToPath(new URL('./team-desk-swarm.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const answer = <T>() => new Promise<T>((resolve, reject) => {
        swarm.once('message', (m) => resolve(m as T));
        swarm.once('exit', (code) => reject(new Error(`the desk swarm exited (${code})`)));
      });
      const ready = answer<{ ready: number }>();
      swarm.send({ start: { url: team!.url, tokens, after: head } });
      await ready;
      deliveredAt.clear();
      const startReq = stripe.requests.length;
      const writeLatencies: number[] = [];
      const started = performance.now();
      let nextMutation = started;
      let nextWrite = started;
      const writes: Promise<void>[] = [];
      while (performance.now() - started < windowS * 1000) {
        const now = performance.now();
        if (now >= nextMutation) {
          randomMutation(stripe.store, seed++);
          nextMutation += 1000 / mutationsPerS;
        }
        if (now >= nextWrite) {
          const t0 = performance.now();
          writes.push(
            fetch(`${team!.url}/v1/call/notes.add`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ customerId: customerIds[seed % customerIds.length], body: `bench note ${seed}` }) })
              .then((r) => r.text())
              .then(() => void writeLatencies.push(performance.now() - t0)),
          );
          nextWrite += 200;
        }
        await sleep(10);
      }
      await Promise.all(writes);
      await sleep(2_000); // the last deliveries
      const stripeRequests = stripe.requests.length - startReq;
      // What the team's requests were (paths with ids folded), to see what a change costs.
      const byPath: Record<string, number> = {};
      for (const r of stripe.requests.slice(startReq)) {
        const key = `${r.method} ${r.path.replace(/\/(cus|in|sub|pm|prod|inpay|evt)_[A-Za-z0-9]+/g, '/:id')}`;
        byPath[key] = (byPath[key] ?? 0) + 1;
      }
      const connections = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()')).rows[0].n;
      // One figure per (object, desk): the object's first delivery to its first arrival.
      const firstDelivery: Record<string, number> = {};
      for (const { t, objectId } of deliveredAt.values()) if (!(objectId in firstDelivery) || firstDelivery[objectId] > t) firstDelivery[objectId] = t;
      const result = answer<{ latencies: number[]; missing: number }>();
      swarm.send({ deliveries: firstDelivery });
      const { latencies, missing } = await result;
      return { stripeRequests, byPath, events: deliveredAt.size, latencies, missing, writeLatencies, connections };
    };

    const perDesks: Record<string, unknown> = {};
    for (const n of deskCounts) {
      const w = await runWindow(n);
      const perMin = Math.round((w.stripeRequests / windowS) * 60);
      const row = {
        team_stripe_requests_per_min: perMin,
        propagation_ms_p50: pct(w.latencies, 50),
        propagation_ms_p95: pct(w.latencies, 95),
        propagation_pairs: w.latencies.length,
        not_propagated_pairs: w.missing,
        write_ms_p50: pct(w.writeLatencies, 50),
        write_ms_p95: pct(w.writeLatencies, 95),
        writes: w.writeLatencies.length,
        db_connections: w.connections,
        team_stripe_requests_by_path: w.byPath,
      };
      perDesks[n] = row;
      ctx.print(`${n} desks: team ${perMin} Stripe req/min (${Object.entries(w.byPath).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}), ${w.events} events; webhook -> every desk p50 ${row.propagation_ms_p50} ms, p95 ${row.propagation_ms_p95} ms (${w.latencies.length} pairs, ${w.missing} without an entry); notes.add p50 ${row.write_ms_p50} ms, p95 ${row.write_ms_p95} ms; ${w.connections} database connections`);
    }
    figures.desks = perDesks;

    // A new desk from the snapshot, by the desk's own path, ready when its search finds a customer.
    const snapReq = stripe.requests.length;
    const probeCustomer = (stripe.store.all('customer') as unknown as Array<{ id: string; email: string | null }>).filter((c) => c.email).at(-1) as { id: string; email: string };
    const desk = await deskFromSnapshot(team.url, agent.token, path.join(dir, 'desk.db'), { query: probeCustomer.email.split('@')[0].replace(/[._]/g, ' '), customerId: probeCustomer.id });
    await desk.services.close();
    const snapshotMs = desk.ms;
    const directMs = (backfillRequests / 100) * 1000;
    figures.snapshot = { ms: Math.round(snapshotMs), stream_ms: Math.round(desk.streamMs), apply_ms: Math.round(desk.pullMs - desk.streamMs), entries: desk.entries, desk_customers: desk.customers, stripe_requests: stripe.requests.length - snapReq, direct_backfill_ms_at_100rps: Math.round(directMs), ratio: Math.round((snapshotMs / directMs) * 1000) / 1000, team_backfill_s: Math.round(backfillS * 10) / 10, team_backfill_requests: backfillRequests };
    ctx.print(`new desk from snapshot, ready (search answers): ${Math.round(snapshotMs)} ms (stream ${Math.round(desk.streamMs)} ms, apply ${Math.round(desk.pullMs - desk.streamMs)} ms; ${desk.entries} entries, ${desk.customers} customers, ${stripe.requests.length - snapReq} Stripe requests) vs direct backfill ${Math.round(directMs)} ms at 100 req/s (the team's own backfill's ${backfillRequests} requests / 100): ratio ${(snapshotMs / directMs).toFixed(3)} (target <= 0.333; at 100k customers: --snapshot-only)`);

    stopDeliveries();
    await team.stop();
    team = null;
    await pool.end();

    // One solo desk, syncing on its own over a window of the same changes.
    const solo = await createServices({ dbPath: path.join(dir, 'solo.db'), env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: stripe.url, skipDemoSeed: true }, { logger: silentLogger });
    try {
      solo.ctx.registries.stripeClients.setPacing({ ratePerSecond: 100, maxConcurrent: 8 });
      const engine = solo.ctx.registries.sync.engine(ACCOUNT);
      await engine.syncOnce();
      const before = stripe.requests.length;
      engine.watch();
      const started = performance.now();
      let next = started;
      while (performance.now() - started < windowS * 1000) {
        if (performance.now() >= next) {
          randomMutation(stripe.store, seed++);
          next += 1000 / mutationsPerS;
        }
        await sleep(10);
      }
      await engine.stop();
      const soloPerMin = Math.round(((stripe.requests.length - before) / windowS) * 60);
      figures.solo_desk_stripe_requests_per_min = soloPerMin;
      figures.solo_desks_stripe_requests_per_min = Object.fromEntries(deskCounts.map((n) => [n, soloPerMin * n]));
      ctx.print(`solo desks: ${soloPerMin} Stripe req/min each -> ${deskCounts.map((n) => `${n} desks ${soloPerMin * n}`).join(', ')} req/min (the team's stays at one sync)`);
    } finally {
      await solo.close();
    }
    return figures;
  } finally {
    await team?.stop();
    await stripe.close();
    await pgs.close();
    cleanup();
  }
}
