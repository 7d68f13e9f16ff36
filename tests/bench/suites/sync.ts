import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import type { BenchContext } from '../run';
import { createServices, type Services } from '../../../electron/services';
import { silentLogger } from '../../../electron/services/core/log';
import { openCache } from '../../../electron/services/db/open';
import { ingestPage } from '../../../electron/services/sync/backfill';
import { BulkWrites } from '../../../electron/services/sync/bulk-writes';
import { ProductNames } from '../../../electron/services/stripe/product-names';
import { endpointOf } from '../../../electron/services/stripe/paced-http-client';
import { startStripeServerWorker, type RemoteStripeServer } from '../../stripe-server/worker-host';
import type { RequestLogEntry } from '../../stripe-server';
import { tempDir } from '../../helpers/services';
import { fetchList, LIST_RESOURCES } from './list-pages';

// `npm run bench -- sync [--json] [--customers 100000] [--invoices 300000] [--rate 100]
//   [--concurrency 8] [--ingest-pages N] [--skip-paced]`
// `npm run bench -- sync --latency 0,100,300 [--jitter 0.3] [--account small|bulk] [--rate N]
//   [--endpoint-rate 25|Infinity] [--concurrency N]`: the backfill under the limiter against a
//   server that answers after MS (+-jitter), at each latency: wall time, requests, the ratio to the
//   rate-limit bound and the peak req/s the server saw in any one-second window. `small` is the
//   test-sized account (seedAccount, 242 customers) at the sandbox's 25 req/s; `bulk` (default)
//   the 100k-customer account at 100 req/s. Two bounds: requests / rate, and the same with
//   Stripe's 25 req/s per endpoint (the busiest endpoint's requests / 25, when that is longer).
// Over the loopback test server (in a worker thread, so it does not share the client's event loop),
// bulk-seeded with 100k customers and 300k invoices (each with an invoice payment whose intent and
// charge come expanded):
// (a) the backfill under the limiter: wall time ÷ the rate-limit bound (requests ÷ allowed req/s);
//     target ≤ 1.1. Run at the live default of 100 req/s: the 25 req/s sandbox default would take
//     5 minutes for the same ratio.
// (b) the same backfill with the limiter lifted: objects/s end to end (network + ingest), and the
//     ingest alone of pre-fetched pages into a fresh cache (one transaction per page, as the
//     backfill writes them); target ≥ 30,000 objects/s.

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const ACCOUNT = 'acct_1SyncBench0000001';
const KEY = 'sk_test_syncBench00001';

async function openSynced(dir: string, name: string, server: RemoteStripeServer): Promise<Services> {
  return createServices(
    { dbPath: path.join(dir, name), env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true },
    { logger: silentLogger },
  );
}

interface BackfillFigures {
  wallS: number;
  /** CPU seconds this process spent (user + system): near the wall time, the client was the limit. */
  cpuS: number;
  requests: number;
  pages: number;
  objects: number;
  rateLimited: number;
  /** When the client sent each attempt (its own clock): the rate it really spent, whatever the
   * server's thread, busy serialising pages, stamped on arrival. */
  clientStartsMs: number[];
}

/** One whole backfill into a fresh cache under the given pacing. */
async function backfill(dir: string, name: string, server: RemoteStripeServer, pacing: { ratePerSecond: number; maxConcurrent?: number; endpointRatePerSecond?: number }): Promise<BackfillFigures> {
  const services = await openSynced(dir, name, server);
  try {
    services.ctx.registries.stripeClients.setPacing(pacing);
    const clientStartsMs: number[] = [];
    const connectivity = services.ctx.registries.connectivity;
    const observe = connectivity.observeAttempt.bind(connectivity);
    connectivity.observeAttempt = (accountId, attempt) => {
      clientStartsMs.push(attempt.startedMs);
      observe(accountId, attempt);
    };
    const engine = services.ctx.registries.sync.engine(ACCOUNT);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await engine.syncOnce();
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (!r.backfill?.ran) throw new Error('the backfill did not run');
    return { wallS, cpuS: (used.user + used.system) / 1e6, requests: engine.stats.requests, pages: r.backfill.pages, objects: r.backfill.objects, rateLimited: engine.stats.rateLimited, clientStartsMs };
  } finally {
    await services.close();
  }
}

/**
 * Ingest alone: every page of every list (or `pagesPerResource` of each), fetched a few at a time
 * without timing, then written into a fresh cache one transaction per page with the backfill's
 * write settings - only the writes are timed. Returns objects/s overall and per list, and the
 * longest page transaction (how long a reader could wait).
 */
async function ingestOnly(dir: string, server: RemoteStripeServer, pagesPerResource: number): Promise<{ objects: number; ms: number; longestMs: number; perResource: Record<string, number> }> {
  const url = new URL(server.url);
  const stripe = new Stripe(KEY, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 2 });
  const { db } = openCache(path.join(dir, 'ingest.db'));
  const endBulkWrites = new BulkWrites(db).begin();
  try {
    db.prepare("INSERT INTO accounts (id, name, livemode, added_at_ms) VALUES (?, 'bench', 0, 0)").run(ACCOUNT);
    const names = new ProductNames(db, ACCOUNT);
    const ts = Math.floor(Date.now() / 1000);
    const perResource: Record<string, number> = {};
    let objects = 0;
    let ms = 0;
    let longestMs = 0;
    for (const resource of LIST_RESOURCES) {
      let after: string | undefined;
      let more = true;
      let pages = 0;
      let resourceMs = 0;
      let resourceObjects = 0;
      while (more && pages < pagesPerResource) {
        const chunk: unknown[][] = [];
        for (let k = 0; k < 20 && more && pages < pagesPerResource; k++, pages++) {
          const page = await fetchList(stripe, resource, after);
          chunk.push(page.data);
          more = page.has_more && page.data.length > 0;
          after = page.data[page.data.length - 1]?.id;
        }
        for (const data of chunk) {
          const t0 = performance.now();
          db.transaction(() => ingestPage(db, ACCOUNT, resource, data, ts, names))();
          const t = performance.now() - t0;
          longestMs = Math.max(longestMs, t);
          resourceMs += t;
          resourceObjects += data.length;
        }
      }
      perResource[resource] = Math.round(resourceObjects / (resourceMs / 1000));
      objects += resourceObjects;
      ms += resourceMs;
    }
    return { objects, ms, longestMs, perResource };
  } finally {
    endBulkWrites();
    db.close();
  }
}

/** The most request arrivals in any one-second window of the server's log. */
function peakPerSecond(log: RequestLogEntry[]): number {
  return peakOf(log.map((r) => r.t));
}

/** The most of these times in any one-second window. */
function peakOf(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

function listArg(args: string[], name: string): number[] | null {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return null;
  const values = (args[i + 1] ?? '').split(',').map(Number);
  if (!values.length || values.some((v) => !(v >= 0))) throw new Error(`--${name} takes milliseconds, e.g. --${name} 0,100,300`);
  return values;
}

function textArg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
}

/** The backfill at each latency (see the header). */
async function latencyRuns(ctx: BenchContext, latencies: number[]): Promise<Record<string, unknown>> {
  const account = textArg(ctx.args, 'account', 'bulk');
  if (account !== 'small' && account !== 'bulk') throw new Error('--account must be small or bulk');
  const small = account === 'small';
  const rate = arg(ctx.args, 'rate', small ? 25 : 100);
  const endpointRateText = textArg(ctx.args, 'endpoint-rate', '25');
  const endpointRate = endpointRateText === 'Infinity' ? Infinity : Number(endpointRateText);
  if (!(endpointRate > 0)) throw new Error('--endpoint-rate must be a positive number or Infinity');
  const jitter = Number(textArg(ctx.args, 'jitter', '0.3'));
  const concurrencyIndex = ctx.args.indexOf('--concurrency');
  const maxConcurrent = concurrencyIndex >= 0 ? arg(ctx.args, 'concurrency', 48) : undefined;
  const server = await startStripeServerWorker({ accountId: ACCOUNT });
  const { dir, cleanup } = tempDir('bsc-bench-sync-latency-');
  const out: Record<string, unknown> = { account, rate_limit_per_s: rate, endpoint_rate_per_s: endpointRate, jitter, runs: [] as unknown[] };
  try {
    if (small) {
      const n = await server.call<number>('seedAccount', { customers: arg(ctx.args, 'customers', 242), seed: 23 });
      ctx.print(`seeded the test server: the test-sized account (${n} customers, seedAccount)`);
    } else {
      const seeded = await server.call<{ customers: number; invoices: number; subscriptions: number; invoicePayments: number }>('seedBulk', { customers: arg(ctx.args, 'customers', 100_000), invoices: arg(ctx.args, 'invoices', 300_000) });
      ctx.print(`seeded the test server: ${seeded.customers} customers, ${seeded.subscriptions} subscriptions, ${seeded.invoices} invoices, ${seeded.invoicePayments} invoice payments`);
    }
    for (const ms of latencies) {
      await server.call('setLatency', { ms, jitter });
      await server.call('clearRequests');
      const f = await backfill(dir, `latency-${ms}.db`, server, { ratePerSecond: rate, endpointRatePerSecond: endpointRate, ...(maxConcurrent ? { maxConcurrent } : {}) });
      const log = await server.requests();
      const perEndpoint = new Map<string, number>();
      for (const r of log) perEndpoint.set(endpointOf(r.method, r.path), (perEndpoint.get(endpointOf(r.method, r.path)) ?? 0) + 1);
      const [busiest, busiestCount] = [...perEndpoint.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
      const bound = f.requests / rate;
      const endpointBound = Math.max(bound, Number.isFinite(endpointRate) && endpointRate < rate ? busiestCount / endpointRate : 0);
      const peak = peakPerSecond(log);
      const clientPeak = peakOf(f.clientStartsMs);
      const ratio = f.wallS / bound;
      const endpointRatio = f.wallS / endpointBound;
      ctx.print(
        `latency ${ms} ms +-${Math.round(jitter * 100)}%: ${f.requests} requests (${f.rateLimited} answered 429), ${f.objects} objects in ${round(f.wallS, 2)} s; bound ${f.requests} / ${rate} req/s = ${round(bound, 2)} s, ratio ${round(ratio, 3)}` +
          (endpointBound > bound ? `; with ${endpointRate} req/s per endpoint (busiest: ${busiest}, ${busiestCount} requests) the bound is ${round(endpointBound, 2)} s, ratio ${round(endpointRatio, 3)}` : '') +
          `; peak ${peak} req/s in any one-second window at the server, ${clientPeak} of the client's own sends (cap ${rate}); client CPU ${round(f.cpuS, 1)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
      );
      (out.runs as unknown[]).push({ latency_ms: ms, wall_s: round(f.wallS, 2), cpu_s: round(f.cpuS, 1), load_average: round(os.loadavg()[0], 1), requests: f.requests, objects: f.objects, rate_limited: f.rateLimited, bound_s: round(bound, 2), ratio: round(ratio, 3), endpoint_bound_s: round(endpointBound, 2), endpoint_ratio: round(endpointRatio, 3), busiest_endpoint: busiest, busiest_endpoint_requests: busiestCount, peak_per_s: peak, client_peak_per_s: clientPeak });
    }
    return out;
  } finally {
    await server.close();
    cleanup();
  }
}

export default async function syncBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const latencies = listArg(ctx.args, 'latency');
  if (latencies) return latencyRuns(ctx, latencies);
  const customers = arg(ctx.args, 'customers', 100_000);
  const invoices = arg(ctx.args, 'invoices', 300_000);
  const rate = arg(ctx.args, 'rate', 100);
  const concurrency = arg(ctx.args, 'concurrency', 8);
  const ingestPages = arg(ctx.args, 'ingest-pages', Infinity);
  const skipPaced = ctx.args.includes('--skip-paced');

  const server = await startStripeServerWorker({ accountId: ACCOUNT });
  const { dir, cleanup } = tempDir('bsc-bench-sync-');
  try {
    const started = performance.now();
    const seeded = await server.call<{ customers: number; invoices: number; subscriptions: number; invoicePayments: number }>('seedBulk', { customers, invoices });
    ctx.print(`seeded the test server: ${seeded.customers} customers, ${seeded.subscriptions} subscriptions, ${seeded.invoices} invoices, ${seeded.invoicePayments} invoice payments in ${round(performance.now() - started)} ms`);
    const out: Record<string, unknown> = { customers, invoices, subscriptions: seeded.subscriptions, invoice_payments: seeded.invoicePayments };

    // (b) first: the limiter lifted (also warms the server's materializers and the JIT).
    const lifted = await backfill(dir, 'lifted.db', server, { ratePerSecond: Infinity, maxConcurrent: concurrency });
    const liftedPerS = Math.round(lifted.objects / lifted.wallS);
    ctx.print(`backfill, limiter lifted (concurrency ${concurrency}): ${lifted.objects} objects, ${lifted.pages} pages, ${lifted.requests} requests in ${round(lifted.wallS, 2)} s = ${liftedPerS} objects/s end to end (network + ingest)`);
    Object.assign(out, { lifted_objects: lifted.objects, lifted_pages: lifted.pages, lifted_requests: lifted.requests, lifted_wall_s: round(lifted.wallS, 2), lifted_objects_per_s: liftedPerS });

    const ingest = await ingestOnly(dir, server, ingestPages);
    const ingestPerS = Math.round(ingest.objects / (ingest.ms / 1000));
    ctx.print(`ingest alone of pre-fetched pages (${Number.isFinite(ingestPages) ? `${ingestPages} pages per list` : 'every page'}, one transaction per page): ${ingest.objects} objects in ${round(ingest.ms)} ms = ${ingestPerS} objects/s (${Object.entries(ingest.perResource).map(([r, n]) => `${r} ${n}/s`).join(', ')}), longest page transaction ${round(ingest.longestMs)} ms - target >= 30000 ${ingestPerS >= 30_000 ? 'met' : 'MISSED'}`);
    Object.assign(out, { ingest_objects: ingest.objects, ingest_ms: round(ingest.ms), ingest_longest_transaction_ms: round(ingest.longestMs), ingest_objects_per_s: ingestPerS, ingest_objects_per_s_by_resource: ingest.perResource });

    if (!skipPaced) {
      // (a) under the limiter.
      const paced = await backfill(dir, 'paced.db', server, { ratePerSecond: rate, maxConcurrent: concurrency });
      const boundS = paced.requests / rate;
      const ratio = paced.wallS / boundS;
      ctx.print(`backfill at ${rate} req/s (concurrency ${concurrency}): ${paced.pages} pages, ${paced.requests} requests (${paced.rateLimited} answered 429), ${paced.objects} objects in ${round(paced.wallS, 2)} s; bound = ${paced.requests} requests / ${rate} req/s = ${round(boundS, 2)} s; ratio ${round(ratio, 3)} - target <= 1.1 ${ratio <= 1.1 ? 'met' : 'MISSED'}`);
      Object.assign(out, { rate_limit_per_s: rate, paced_pages: paced.pages, paced_requests: paced.requests, paced_objects: paced.objects, paced_wall_s: round(paced.wallS, 2), paced_bound_s: round(boundS, 2), paced_ratio: round(ratio, 3) });
    }
    return out;
  } finally {
    await server.close();
    cleanup();
  }
}
