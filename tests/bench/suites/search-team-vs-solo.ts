import path from 'node:path';
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { BenchContext } from '../run';
import { silentLogger } from '../../../electron/services/core/log';
import { searchCustomers } from '../../../electron/services/search/search-customers';
import { startTeamServer, type TeamServer } from '../../../electron/team-server/app';
import { startStripeServerWorker } from '../../stripe-server/worker-host';
import { startTestPostgres } from '../../helpers/postgres';
import { tempDir } from '../../helpers/services';
import { deskFromBackfill, deskFromSnapshot } from './desk-bootstrap';
import { latency, type Latency } from './search';
import { buildQueries, type BenchQuery, type Sampled } from './search-data';
import { seedMirrorFromStripe } from './team-mirror-seed';

// `npm run bench -- search --team-snapshot [--customers 20000] [--invoices 3 x customers] [--queries 1000] [--rounds 3]`
// Issue 14: search on a desk bootstrapped from a team snapshot gives the same figures as on a solo
// desk, side by side in one run. One account (the sync bench's bulk one, on the loopback Stripe
// server) makes two caches: the solo path (the desk's own backfill, the sync engine) and the team
// path (the team server's mirror written from the same list pages, then GET /v1/snapshot applied by
// the desk's TeamReplica). The same queries (drawn from customers of the account) run on both,
// alternating rounds so machine load falls on both alike; per query kind p50/p95, and recall@20.
// The caches hold the same rows but not in the same rowid order (backfill slices vs the snapshot's
// id order), and a broad text query (> RANK_LIMIT matches) takes the highest rowids as "newest":
// so per-kind recall of broad queries may differ between the two while the totals match.

const ACCOUNT = 'acct_1SearchTeamBench1';
const KEY = 'sk_test_searchTeamBench1';

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Customers of the cache with one of each thing a query can name (subscription, card, invoice, payment). */
function samplesOf(db: Database.Database, accountId: string, every: number): Sampled[] {
  return db
    .prepare(
      `SELECT c.id, c.name, c.email, COALESCE(c.phone, '') AS phone, s.id AS subId, pm.id AS pmId, pm.card_last4 AS last4,
         i.id AS invoiceId, i.number AS invoiceNumber, pa.payment_intent_id AS paymentIntent, pa.charge_id AS charge
       FROM customers c
       JOIN payment_methods pm ON pm.account_id = c.account_id AND pm.customer_id = c.id
       JOIN invoices i ON i.account_id = c.account_id AND i.customer_id = c.id
       JOIN payment_attempts pa ON pa.account_id = c.account_id AND pa.invoice_id = i.id
       JOIN subscriptions s ON s.account_id = c.account_id AND s.customer_id = c.id
       WHERE c.account_id = ? AND c.deleted = 0 AND c.rowid % ? = 0 AND i.number IS NOT NULL AND pa.payment_intent_id IS NOT NULL
       GROUP BY c.id`,
    )
    .all(accountId, every) as Sampled[];
}

interface Side {
  times: Map<string, number[]>;
  hit: number;
  total: number;
  /** Targeted queries per kind: [found in the top 20, asked]. */
  byKind: Map<string, [number, number]>;
}

function runOnce(db: Database.Database, queries: BenchQuery[], side: Side): void {
  for (const q of queries) {
    const t = performance.now();
    const ids = searchCustomers(db, ACCOUNT, q.text, { limit: 20 }).map((h) => h.id);
    const dt = performance.now() - t;
    for (const k of ['all', q.kind]) (side.times.get(k) ?? side.times.set(k, []).get(k)!).push(dt);
    if (q.target) {
      const k = side.byKind.get(q.kind) ?? side.byKind.set(q.kind, [0, 0]).get(q.kind)!;
      side.total++;
      k[1]++;
      if (ids.includes(q.target)) {
        side.hit++;
        k[0]++;
      }
    }
  }
}

export async function searchTeamVsSolo(ctx: BenchContext): Promise<Record<string, unknown>> {
  const customers = numberArg(ctx.args, 'customers', 20_000);
  const invoices = numberArg(ctx.args, 'invoices', customers * 3);
  const queryCount = numberArg(ctx.args, 'queries', 1000);
  const rounds = numberArg(ctx.args, 'rounds', 3);
  const pgs = await startTestPostgres();
  const stripe = await startStripeServerWorker({ accountId: ACCOUNT });
  const { dir, cleanup } = tempDir('bsc-search-team-');
  let team: TeamServer | null = null;
  const closers: Array<() => Promise<void>> = [];
  try {
    const seeded = await stripe.call<{ customers: number; invoices: number }>('seedBulk', { customers, invoices });
    ctx.print(`search, solo desk vs team-snapshot desk: ${seeded.customers} customers, ${seeded.invoices} invoices (the bulk account on the loopback Stripe server), ${queryCount} queries x ${rounds} rounds each`);
    const solo = await deskFromBackfill(path.join(dir, 'solo.db'), stripe.url, KEY, ACCOUNT);
    closers.push(() => solo.services.close());
    ctx.print(`solo cache: the desk's own backfill, ${solo.objects} objects in ${solo.seconds.toFixed(1)} s`);

    team = await startTeamServer({ env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'bench-team-secret-0123456789', BSC_TEAM_DB_POOL: '4' }, databaseUrl: pgs.url, log: silentLogger, rateLimit: { perSecond: 1_000, burst: 1_000 } });
    const mirror = await seedMirrorFromStripe(team, { stripeUrl: stripe.url, key: KEY, accountId: ACCOUNT, name: 'Search bench' });
    const soloDb = solo.services.ctx.db;
    const samples = samplesOf(soloDb, ACCOUNT, Math.max(1, Math.floor(customers / 3000)));
    if (!samples.length) throw new Error('no customer of the account has a card, an invoice and a payment to draw queries from');
    const agent = await team.agents.add('Search Bench', 'agent');
    const desk = await deskFromSnapshot(team.url, agent.token, path.join(dir, 'team.db'), { query: samples[0].name, customerId: samples[0].id });
    closers.push(() => desk.services.close());
    ctx.print(`team cache: mirror written in ${mirror.seconds.toFixed(1)} s, the desk from the snapshot ready in ${(desk.ms / 1000).toFixed(1)} s (${desk.entries} entries)`);
    const teamDb = desk.services.ctx.db;
    const count = (db: Database.Database) => (db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0').get(ACCOUNT) as { n: number }).n;
    ctx.print(`customers: solo ${count(soloDb)}, team ${count(teamDb)}`);
    const rows = (db: Database.Database) => Object.fromEntries(['customers', 'subscriptions', 'invoices', 'payment_attempts', 'payment_methods', 'dunning_cases'].map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE account_id = ?`).get(ACCOUNT) as { n: number }).n]));
    ctx.print(`rows: solo ${JSON.stringify(rows(soloDb))}; team ${JSON.stringify(rows(teamDb))}`);

    const queries = buildQueries(samples, queryCount, 7);
    const sides: Record<'solo' | 'team', Side> = { solo: { times: new Map(), hit: 0, total: 0, byKind: new Map() }, team: { times: new Map(), hit: 0, total: 0, byKind: new Map() } };
    // Warm-up on both (statements prepared, pages cached), then rounds alternating which goes first.
    runOnce(soloDb, queries.slice(0, 100), { times: new Map(), hit: 0, total: 0, byKind: new Map() });
    runOnce(teamDb, queries.slice(0, 100), { times: new Map(), hit: 0, total: 0, byKind: new Map() });
    for (let r = 0; r < rounds; r++) {
      const order: Array<'solo' | 'team'> = r % 2 ? ['team', 'solo'] : ['solo', 'team'];
      for (const s of order) runOnce(s === 'solo' ? soloDb : teamDb, queries, sides[s]);
    }
    const r3 = (n: number) => Math.round(n * 1000) / 1000;
    const figures = (s: Side) => ({
      latency: Object.fromEntries([...s.times].map(([k, v]) => [k, latency(v)])) as Record<string, Latency>,
      recall: r3(s.hit / Math.max(1, s.total)),
      recallByKind: Object.fromEntries([...s.byKind].map(([k, [hit, n]]) => [k, r3(hit / n)])) as Record<string, number>,
    });
    const soloF = figures(sides.solo);
    const teamF = figures(sides.team);
    ctx.print(`\n${'kind'.padEnd(15)} ${'solo p50'.padStart(9)} ${'team p50'.padStart(9)} ${'solo p95'.padStart(9)} ${'team p95'.padStart(9)}  (ms)  recall@20 solo / team`);
    for (const k of Object.keys(soloF.latency)) {
      const a = soloF.latency[k];
      const b = teamF.latency[k];
      ctx.print(`${k.padEnd(15)} ${String(a.p50).padStart(9)} ${String(b?.p50 ?? '-').padStart(9)} ${String(a.p95).padStart(9)} ${String(b?.p95 ?? '-').padStart(9)}        ${soloF.recallByKind[k] ?? '-'} / ${teamF.recallByKind[k] ?? '-'}`);
    }
    const ratio = Math.round((teamF.latency.all.p95 / Math.max(0.001, soloF.latency.all.p95)) * 100) / 100;
    ctx.print(`recall@20: solo ${soloF.recall}, team ${teamF.recall}; team p95 / solo p95 = ${ratio}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    return { customers: seeded.customers, invoices: seeded.invoices, queries: queries.length, rounds, solo: soloF, team: teamF, team_p95_over_solo_p95: ratio, snapshot_ready_ms: Math.round(desk.ms) };
  } finally {
    for (const c of closers.reverse()) await c().catch(() => {});
    await team?.stop();
    await stripe.close();
    await pgs.close();
    cleanup();
  }
}
