import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { BenchContext } from '../run';
import { openCache } from '../../../electron/services/db/open';
import { searchCustomers } from '../../../electron/services/search/search-customers';
import { drainSearchQueue } from '../../../electron/services/search/index-queue';
import { startSearchIndexer } from '../../../electron/services/search/background-indexer';
import { buildQueries, generateData, type BenchQuery, type QueryKind } from './search-data';
import { buildMiniSearch, likeSearch, miniSearch } from './search-baselines';
import { measureWriteCost } from './search-write-cost';
import { searchTeamVsSolo } from './search-team-vs-solo';

// `npm run bench -- search [--json] [--customers N] [--invoices N] [--queries N] [--like-queries N]
//   [--backfill-rate N] [--write-cost-customers N] [--skip-minisearch] [--skip-backfill] [--skip-write-cost]`
// `npm run bench -- search --team-snapshot [...]`: the same search on a solo desk's cache and on a
//   desk bootstrapped from a team snapshot of the same account, side by side (search-team-vs-solo.ts).
//
// Search latency over a cache of 100k customers / 300k invoices, against (a) a LIKE scan over
// the same tables and (b) MiniSearch in memory over the same data, in the same run; memory of
// each; search latency while another connection backfills; and what the search triggers cost
// the sync's write path.

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a non-negative number`);
  return v;
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r3(at(50)), p95: r3(at(95)), p99: r3(at(99)), max: r3(s[s.length - 1] ?? 0), mean: r3(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

interface RunResult {
  latency: Latency;
  byKind: Record<string, Latency>;
  /** Share of targeted queries whose customer was in the top 20. */
  recall: Record<string, number>;
}

function run(queries: BenchQuery[], search: (q: string) => string[]): RunResult {
  const times: number[] = [];
  const kindTimes = new Map<QueryKind, number[]>();
  const found = new Map<QueryKind, { hit: number; total: number }>();
  for (const q of queries) {
    const t = performance.now();
    const ids = search(q.text);
    const dt = performance.now() - t;
    times.push(dt);
    (kindTimes.get(q.kind) ?? kindTimes.set(q.kind, []).get(q.kind)!).push(dt);
    if (q.target) {
      const f = found.get(q.kind) ?? found.set(q.kind, { hit: 0, total: 0 }).get(q.kind)!;
      f.total++;
      if (ids.includes(q.target)) f.hit++;
    }
  }
  const recall: Record<string, number> = {};
  let hit = 0;
  let total = 0;
  for (const [k, f] of found) {
    recall[k] = Math.round((f.hit / f.total) * 1000) / 1000;
    hit += f.hit;
    total += f.total;
  }
  recall.all = total ? Math.round((hit / total) * 1000) / 1000 : 0;
  return { latency: latency(times), byKind: Object.fromEntries([...kindTimes].map(([k, v]) => [k, latency(v)])), recall };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Bytes on disk of the search structures (dbstat), and the connection's page cache budget. */
function sqliteFootprint(db: Database.Database): { indexBytes: number; byTable: Record<string, number>; pageCacheBudgetBytes: number } {
  const rows = db
    .prepare(
      `SELECT name, SUM(pgsize) AS bytes FROM dbstat
       WHERE name LIKE 'customer_search%' OR name LIKE 'search_spelling%' OR name = 'customers_list' GROUP BY name`,
    )
    .all() as Array<{ name: string; bytes: number }>;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  return {
    indexBytes: rows.reduce((a, r) => a + r.bytes, 0),
    byTable: Object.fromEntries(rows.map((r) => [r.name, r.bytes])),
    pageCacheBudgetBytes: cacheSize < 0 ? -cacheSize * 1024 : cacheSize * pageSize,
  };
}

interface MemoryFigures {
  rssDelta: number;
  heapDelta: number;
  peakRss: number;
}

function measureMemory(mode: 'sqlite' | 'minisearch', dbPath: string, accountId: string, queriesFile: string): Promise<MemoryFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./search-memory-child.ts', import.meta.url)), [mode, dbPath, accountId, queriesFile], { execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child (${mode}) exited with ${code}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!) as MemoryFigures);
    });
  });
}

async function withBackfill<T>(dbPath: string, accountId: string, objectsPerSecond: number, seed: number, body: () => Promise<T>): Promise<{ result: T; writer: { objects: number; pages: number; seconds: number; longestTransactionMs: number } }> {
  const worker = new Worker(new URL('./search-backfill-writer.mjs', import.meta.url), { workerData: { dbPath, accountId, objectsPerSecond, seed } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  // Let the writer reach its pace before measuring.
  await new Promise((r) => setTimeout(r, 300));
  const result = await body();
  const stats = await new Promise<{ objects: number; pages: number; seconds: number; longestTransactionMs: number }>((resolve, reject) => {
    worker.on('message', (m) => {
      if (m && typeof m === 'object') resolve(m as never);
    });
    worker.once('error', reject);
    worker.postMessage('stop');
  });
  await worker.terminate();
  return { result, writer: stats };
}

export default async function searchBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  if (ctx.args.includes('--team-snapshot')) return searchTeamVsSolo(ctx);
  const args = ctx.args;
  const customers = option(args, 'customers', 100_000);
  const invoices = option(args, 'invoices', customers * 3);
  const queryCount = option(args, 'queries', 1000);
  const likeCount = option(args, 'like-queries', Math.min(queryCount, 200));
  const backfillRate = option(args, 'backfill-rate', 10_000);
  const writeCostCustomers = option(args, 'write-cost-customers', 20_000);
  const skipMini = args.includes('--skip-minisearch');
  const skipBackfill = args.includes('--skip-backfill');
  const skipWriteCost = args.includes('--skip-write-cost');
  const accountId = 'acct_bench';
  const print = ctx.print;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-bench-search-'));
  const dbPath = path.join(dir, 'bench.db');
  const figures: Record<string, unknown> = { customers, invoices_requested: invoices, queries: queryCount, machine: { cpus: os.cpus().length, node: process.version } };
  try {
    const { db } = openCache(dbPath);
    print(`search bench: ${customers.toLocaleString()} customers, ${invoices.toLocaleString()} invoices, ${queryCount} queries (cache in ${dir})`);
    let t = performance.now();
    const data = generateData(db, accountId, { customers, invoices, seed: 42, sampleEvery: Math.max(1, Math.floor(customers / 3000)) });
    const genSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    let drained = 0;
    const batchMs: number[] = [];
    for (;;) {
      const b = performance.now();
      const n = drainSearchQueue(db, 500);
      if (n === 0) break;
      batchMs.push(performance.now() - b);
      drained += n;
    }
    const indexSeconds = (performance.now() - t) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const batches = latency(batchMs);
    print(`  data: ${data.invoices.toLocaleString()} invoices written; customers (with the search queue trigger) ${Math.round(data.customerWriteRate).toLocaleString()}/s in pages of 100; generation ${genSeconds.toFixed(1)} s`);
    print(`  index build from the queue: ${drained.toLocaleString()} customers in ${indexSeconds.toFixed(2)} s (${Math.round(drained / indexSeconds).toLocaleString()}/s; batches of 500: p50 ${batches.p50} ms, p95 ${batches.p95} ms, max ${batches.max} ms)`);
    figures.data = { invoices: data.invoices, customer_write_rate: Math.round(data.customerWriteRate), generation_seconds: genSeconds, index_build_per_second: Math.round(drained / indexSeconds), index_batch_500_ms: batches };

    const queries = buildQueries(data.samples, queryCount, 7);
    const kinds = Object.fromEntries(Object.entries(queries.reduce<Record<string, number>>((a, q) => ((a[q.kind] = (a[q.kind] ?? 0) + 1), a), {})));
    print(`  query mix: ${Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    figures.query_mix = kinds;

    const ours = (q: string) => searchCustomers(db, accountId, q, { limit: 20 }).map((h) => h.id);
    run(queries.slice(0, 100), ours); // warm-up: statements prepared, pages cached
    const idle = run(queries, ours);
    print(`\nFTS5 search (services, idle): p50 ${idle.latency.p50} ms  p95 ${idle.latency.p95} ms  p99 ${idle.latency.p99} ms  max ${idle.latency.max} ms  recall@20 ${idle.recall.all}`);
    for (const [k, l] of Object.entries(idle.byKind)) print(`    ${k.padEnd(15)} p50 ${l.p50}  p95 ${l.p95}  p99 ${l.p99}  recall ${idle.recall[k] ?? '-'}`);
    figures.fts = idle;

    const likeQueries = queries.filter((_, i) => i % Math.max(1, Math.round(queries.length / Math.max(1, likeCount))) === 0).slice(0, likeCount);
    const oursSameSet = run(likeQueries, ours);
    const like = run(likeQueries, (q) => likeSearch(db, accountId, q));
    const likeRatio = Math.round((like.latency.p95 / Math.max(0.001, oursSameSet.latency.p95)) * 10) / 10;
    const likeRatioP50 = Math.round((like.latency.p50 / Math.max(0.001, oursSameSet.latency.p50)) * 10) / 10;
    print(`\n(a) LIKE scan, ${likeQueries.length} of the same queries: p50 ${like.latency.p50} ms  p95 ${like.latency.p95} ms  p99 ${like.latency.p99} ms  recall@20 ${like.recall.all}`);
    print(`    FTS5 on that subset: p50 ${oursSameSet.latency.p50} ms  p95 ${oursSameSet.latency.p95} ms -> FTS5 is ${likeRatioP50}× faster at p50, ${likeRatio}× at p95`);
    figures.like = { ...like, fts_same_queries: oursSameSet.latency, speedup_p50: likeRatioP50, speedup_p95: likeRatio };

    db.close();
    // Memory: each engine in a process of its own, from the same baseline (modules loaded).
    const queriesFile = path.join(dir, 'queries.json');
    fs.writeFileSync(queriesFile, JSON.stringify(queries.map((q) => q.text)));
    const sqliteMem = await measureMemory('sqlite', dbPath, accountId, queriesFile);
    const sqliteDb = new Database(dbPath);
    const footprint = sqliteFootprint(sqliteDb);
    sqliteDb.close();
    print(`\nSQLite memory (own process, open + ${queries.length * 2} queries): RSS +${mb(sqliteMem.rssDelta)} MB (peak +${mb(sqliteMem.peakRss)} MB), JS heap +${mb(sqliteMem.heapDelta)} MB;`);
    print(`    page cache budget ${mb(footprint.pageCacheBudgetBytes)} MB per connection; search structures on disk ${mb(footprint.indexBytes)} MB (read through the page cache, not held in memory)`);
    figures.sqlite_memory = { rss_delta_mb: mb(sqliteMem.rssDelta), peak_rss_delta_mb: mb(sqliteMem.peakRss), heap_delta_mb: mb(sqliteMem.heapDelta), page_cache_budget_mb: mb(footprint.pageCacheBudgetBytes), index_on_disk_mb: mb(footprint.indexBytes), index_by_table_bytes: footprint.byTable };

    if (!skipMini) {
      const memDb = new Database(dbPath);
      t = performance.now();
      const ms = buildMiniSearch(memDb, accountId);
      const buildSeconds = (performance.now() - t) / 1000;
      memDb.close();
      miniSearch(ms, 'warm up');
      run(queries.slice(0, 100), (q) => miniSearch(ms, q));
      const mini = run(queries, (q) => miniSearch(ms, q));
      const miniMem = await measureMemory('minisearch', dbPath, accountId, queriesFile);
      const ratio = Math.round((idle.latency.p95 / Math.max(0.001, mini.latency.p95)) * 100) / 100;
      const memRatio = Math.round((sqliteMem.rssDelta / Math.max(1, miniMem.rssDelta)) * 100) / 100;
      print(`\n(b) MiniSearch in memory (same data; prefix, fuzzy 0.2 on words of 5+ letters; ids kept whole): built in ${buildSeconds.toFixed(1)} s`);
      print(`    memory (own process): RSS +${mb(miniMem.rssDelta)} MB (peak +${mb(miniMem.peakRss)} MB), JS heap +${mb(miniMem.heapDelta)} MB`);
      print(`    p50 ${mini.latency.p50} ms  p95 ${mini.latency.p95} ms  p99 ${mini.latency.p99} ms  recall@20 ${mini.recall.all}`);
      for (const [k, l] of Object.entries(mini.byKind)) print(`    ${k.padEnd(15)} p50 ${l.p50}  p95 ${l.p95}  recall ${mini.recall[k] ?? '-'}`);
      print(`    FTS5 p95 / MiniSearch p95 = ${ratio} (target ≤ 2);  SQLite RSS / MiniSearch RSS = ${memRatio} (target ≤ 0.5)`);
      figures.minisearch = { ...mini, build_seconds: buildSeconds, rss_delta_mb: mb(miniMem.rssDelta), peak_rss_delta_mb: mb(miniMem.peakRss), heap_delta_mb: mb(miniMem.heapDelta), fts_p95_over_minisearch_p95: ratio, sqlite_rss_over_minisearch_rss: memRatio };
    }

    if (!skipBackfill) {
      const live = new Database(dbPath);
      live.pragma('journal_mode = WAL');
      live.pragma('busy_timeout = 5000');
      const search = (q: string) => searchCustomers(live, accountId, q, { limit: 20 }).map((h) => h.id);
      run(queries.slice(0, 100), search);
      // As in the app: the background indexer runs on the searching connection's thread, batches
      // interleaved with the searches.
      const stopIndexer = startSearchIndexer(live, { warn: (m: string) => print(`    indexer: ${m}`) } as never);
      const idleAgain = await runTimed(queries, search);
      const backfills: Record<string, unknown> = {};
      for (const rate of backfillRate > 0 ? [backfillRate, 0] : [0]) {
        const { result: r, writer } = await withBackfill(dbPath, accountId, rate, rate, () => runTimed(queries, search));
        const ratio = Math.round((r.latency.p95 / Math.max(0.001, idleAgain.latency.p95)) * 100) / 100;
        const label = rate > 0 ? `paced at ${rate.toLocaleString()} objects/s` : 'unpaced (as fast as it can)';
        print(`\nsearch while a backfill writes (${label}; wrote ${Math.round(writer.objects / writer.seconds).toLocaleString()} objects/s, longest page transaction ${writer.longestTransactionMs.toFixed(1)} ms):`);
        print(`    p50 ${r.latency.p50} ms  p95 ${r.latency.p95} ms  p99 ${r.latency.p99} ms  (idle on this connection: p95 ${idleAgain.latency.p95} ms) -> ${ratio}× idle p95`);
        backfills[rate > 0 ? `paced_${rate}` : 'unpaced'] = { latency: r.latency, writer, p95_over_idle: ratio };
      }
      stopIndexer();
      const lag = (live.prepare('SELECT COUNT(*) AS n FROM search_queue').get() as { n: number }).n;
      print(`    index lag when the backfills stopped: ${lag.toLocaleString()} customers queued`);
      live.close();
      figures.backfill_queue_left = lag;
      figures.backfill = { idle: idleAgain.latency, ...backfills };
    }

    if (!skipWriteCost) {
      const cost = measureWriteCost(dir, writeCostCustomers, print);
      figures.write_cost = cost;
    }

    const fts = figures.fts as RunResult;
    const verdict = {
      p95_le_5ms: fts.latency.p95 <= 5,
      like_speedup_ge_20x: (figures.like as { speedup_p95: number }).speedup_p95 >= 20,
      within_2x_of_minisearch: figures.minisearch ? (figures.minisearch as { fts_p95_over_minisearch_p95: number }).fts_p95_over_minisearch_p95 <= 2 : null,
      half_of_minisearch_memory: figures.minisearch ? (figures.minisearch as { sqlite_rss_over_minisearch_rss: number }).sqlite_rss_over_minisearch_rss <= 0.5 : null,
      backfill_p95_le_2x_idle: figures.backfill
        ? Object.values(figures.backfill as Record<string, { p95_over_idle?: number }>).every((b) => b.p95_over_idle === undefined || b.p95_over_idle <= 2)
        : null,
    };
    print(`\ntargets: ${Object.entries(verdict).map(([k, v]) => `${k}=${v}`).join('  ')}`);
    figures.targets = verdict;
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the queries in chunks with a yield between chunks (so a worker's messages are handled), timing each query. */
async function runTimed(queries: BenchQuery[], search: (q: string) => string[]): Promise<RunResult> {
  const times: number[] = [];
  const byKind = new Map<string, number[]>();
  let hit = 0;
  let total = 0;
  for (let i = 0; i < queries.length; i++) {
    const q = queries[i]!;
    const t = performance.now();
    const ids = search(q.text);
    const dt = performance.now() - t;
    times.push(dt);
    (byKind.get(q.kind) ?? byKind.set(q.kind, []).get(q.kind)!).push(dt);
    if (q.target) {
      total++;
      if (ids.includes(q.target)) hit++;
    }
    if (i % 25 === 24) await new Promise((r) => setImmediate(r));
  }
  return { latency: latency(times), byKind: Object.fromEntries([...byKind].map(([k, v]) => [k, latency(v)])), recall: { all: total ? Math.round((hit / total) * 1000) / 1000 : 0 } };
}
