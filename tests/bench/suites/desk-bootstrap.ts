import { performance } from 'node:perf_hooks';
import { createServices, type Services } from '../../../electron/services';
import { silentLogger } from '../../../electron/services/core/log';
import { drainSearchQueue } from '../../../electron/services/search/index-queue';
import { searchCustomers } from '../../../electron/services/search/search-customers';

// The two ways a new desk gets ready, as the benches measure them: a solo desk's own backfill from
// Stripe (the sync engine, here unpaced: its request count is what a paced one needs), and a desk
// bootstrapped from the team snapshot by the desk's real path (TeamClient's gunzip stream ->
// TeamReplica.pull: one transaction for the whole snapshot, then the feed to the head), the clock
// stopped only when the desk is ready to work: every customer in the search index (the queue the
// background indexer would drain over the next ticks, drained here at once in the app's batch
// size) and a search for a known customer answering it.

/** Search batch of the app's background indexer (background-indexer.ts). */
const INDEX_BATCH = 500;

export interface SoloBackfill {
  /** The desk's services, open on its cache (the caller closes them). */
  services: Services;
  requests: number;
  pages: number;
  objects: number;
  seconds: number;
}

/** A solo desk's backfill of the account into a fresh cache, the limiter lifted (requests counted by the engine). */
export async function deskFromBackfill(dbPath: string, stripeUrl: string, key: string, accountId: string): Promise<SoloBackfill> {
  const services = await createServices({ dbPath, env: { STRIPE_SECRET_KEY: key, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: stripeUrl, skipDemoSeed: true }, { logger: silentLogger });
  try {
    services.ctx.registries.stripeClients.setPacing({ ratePerSecond: Infinity, maxConcurrent: 8 });
    const engine = services.ctx.registries.sync.engine(accountId);
    const started = performance.now();
    const r = await engine.syncOnce();
    if (!r.backfill?.ran) throw new Error('the solo backfill did not run');
    while (drainSearchQueue(services.ctx.db, INDEX_BATCH) > 0);
    return { services, requests: engine.stats.requests, pages: r.backfill.pages, objects: r.backfill.objects, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    await services.close();
    throw err;
  }
}

export interface DeskBootstrap {
  /** The desk's services, open on its cache (the caller closes them). */
  services: Services;
  /** From the desk's start to ready (pull + index + the probe search). */
  ms: number;
  /** The desk's pull: download + gunzip + staging + the snapshot's one transaction + feed pages. */
  pullMs: number;
  /** Of the pull: the snapshot's stream (server query, gzip, HTTP, gunzip, staging the lines). */
  streamMs: number;
  /** The search index brought up to date for every customer the snapshot wrote, and the probe search. */
  indexMs: number;
  entries: number;
  customers: number;
}

/** A new desk on `dbPath` from the team snapshot; throws if the probe search does not find its customer. */
export async function deskFromSnapshot(teamUrl: string, token: string, dbPath: string, probe: { query: string; customerId: string }): Promise<DeskBootstrap> {
  const started = performance.now();
  const services = await createServices({ dbPath, env: { BSC_TEAM_URL: teamUrl, BSC_TEAM_TOKEN: token, BSC_TEAM_FOLLOW: '0' } }, { logger: silentLogger });
  try {
    const desk = services.ctx.registries.teamDesk;
    if (!desk) throw new Error('the desk did not start in team mode');
    // When the stream ended (the rest of the pull is the apply): timed around the desk's own call.
    let streamEnd = 0;
    const streamLines = desk.client.snapshotLines.bind(desk.client);
    desk.client.snapshotLines = async (...a) => {
      const r = await streamLines(...a);
      streamEnd = performance.now();
      return r;
    };
    const pullStart = performance.now();
    const pulled = await desk.replica.pull();
    const pullMs = performance.now() - pullStart;
    const db = services.ctx.db;
    const indexStart = performance.now();
    while (drainSearchQueue(db, INDEX_BATCH) > 0);
    const hits = searchCustomers(db, desk.accountId, probe.query, { limit: 20 });
    const ms = performance.now() - started;
    if (!hits.some((h) => h.id === probe.customerId)) throw new Error(`the desk from the snapshot does not find ${probe.customerId} by "${probe.query}"`);
    const customers = (db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(desk.accountId) as { n: number }).n;
    return { services, ms, pullMs, streamMs: streamEnd - pullStart, indexMs: ms - (indexStart - started), entries: pulled.applied, customers };
  } catch (err) {
    await services.close();
    throw err;
  }
}
