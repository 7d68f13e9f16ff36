import path from 'node:path';
import os from 'node:os';
import type { BenchContext } from '../run';
import { silentLogger } from '../../../electron/services/core/log';
import { startTeamServer, type TeamServer } from '../../../electron/team-server/app';
import { startStripeServerWorker } from '../../stripe-server/worker-host';
import { startTestPostgres } from '../../helpers/postgres';
import { tempDir } from '../../helpers/services';
import { deskFromBackfill, deskFromSnapshot } from './desk-bootstrap';
import { seedMirrorFromStripe } from './team-mirror-seed';

// `npm run bench -- team-server --snapshot-only [--customers 100000] [--invoices 3 x customers] [--rate 100]`
// Issue 13's acceptance at the size it names: "snapshot of the account -> a new desk ready" vs a
// direct backfill of the same account at 100 req/s, and the Stripe requests the snapshot causes.
// The account is the sync bench's bulk one (seedBulk: 100k customers, 300k invoices, each with an
// invoice payment whose intent and charge come expanded), held by the loopback Stripe server in a
// worker thread. Shortcuts that make it minutes instead of the 100 req/s wait, each faithful:
// - the direct backfill is a solo desk's real backfill of the account (the sync engine into a
//   fresh cache) with the limiter lifted; its time at 100 req/s is its request count / 100 (the
//   engine holds that bound: `npm run bench -- sync --account bulk` measures ratio ~1.0 paced);
// - the team server's mirror is written from the same list pages through its own mirror writer,
//   ten pages a transaction (team-mirror-seed.ts), not by its paced backfill.
// The desk is then bootstrapped from GET /v1/snapshot by its real path (desk-bootstrap.ts).
// Measured (2 cores at load 7-15 from other work): 895,181 entries, ready in 158 s (stream 83 s,
// apply 72 s, index 3 s), 0 Stripe requests, vs 7,578 requests = 75.8 s direct: ratio 2.08, the
// target (<= 0.33) missed. The apply alone is the desk's ingest of the same ~900k Stripe objects a
// backfill ingests (12k/s here); a third of 75.8 s needs a snapshot that carries less than the
// Stripe objects (the desk's rows, or a ready cache file), not a faster copy of them.

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

const ACCOUNT = 'acct_1TeamSnapBench001';
const KEY = 'sk_test_teamSnapBench01';
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function teamSnapshotOnly(ctx: BenchContext): Promise<Record<string, unknown>> {
  const customers = numberArg(ctx.args, 'customers', 100_000);
  const invoices = numberArg(ctx.args, 'invoices', customers * 3);
  const rate = numberArg(ctx.args, 'rate', 100);
  const pgs = await startTestPostgres();
  const stripe = await startStripeServerWorker({ accountId: ACCOUNT });
  const { dir, cleanup } = tempDir('bsc-team-snapshot-bench-');
  let team: TeamServer | null = null;
  try {
    const seeded = await stripe.call<{ customers: number; invoices: number; subscriptions: number; invoicePayments: number }>('seedBulk', { customers, invoices });
    ctx.print(`team-server snapshot bench: the bulk account (${seeded.customers} customers, ${seeded.subscriptions} subscriptions, ${seeded.invoices} invoices, ${seeded.invoicePayments} invoice payments) on the loopback Stripe server`);

    const solo = await deskFromBackfill(path.join(dir, 'solo.db'), stripe.url, KEY, ACCOUNT);
    await solo.services.close();
    ctx.print(`direct backfill (a solo desk's sync engine, limiter lifted): ${solo.requests} Stripe requests, ${solo.pages} pages, ${solo.objects} objects in ${round(solo.seconds, 1)} s`);

    team = await startTeamServer({
      env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'bench-team-secret-0123456789', BSC_TEAM_DB_POOL: '4' },
      databaseUrl: pgs.url,
      log: silentLogger,
      rateLimit: { perSecond: 1_000, burst: 1_000 },
    });
    const mirror = await seedMirrorFromStripe(team, { stripeUrl: stripe.url, key: KEY, accountId: ACCOUNT, name: 'Snapshot bench' });
    ctx.print(`team mirror written from the same pages (${mirror.pages} pages, ${mirror.objects} objects) through the server's mirror writer in ${round(mirror.seconds, 1)} s`);

    const probeRow = (await team.pool.query<{ id: string; email: string }>("SELECT id, data->>'email' AS email FROM stripe_objects WHERE account_id = $1 AND type = 'customer' AND NOT deleted ORDER BY id DESC LIMIT 1", [ACCOUNT])).rows[0];
    // The email's words, not the address: a text query, answered by the FTS index the snapshot built.
    const probe = { query: probeRow.email.split('@')[0].replace(/[._]/g, ' '), customerId: probeRow.id };
    const agent = await team.agents.add('Snapshot Bench', 'agent');

    const before = (await stripe.requests()).length;
    const desk = await deskFromSnapshot(team.url, agent.token, path.join(dir, 'desk.db'), probe);
    await desk.services.close();
    const snapshotRequests = (await stripe.requests()).length - before;
    const directMs = (solo.requests / rate) * 1000;
    const ratio = desk.ms / directMs;
    const figures = {
      size: { customers: seeded.customers, subscriptions: seeded.subscriptions, invoices: seeded.invoices, invoice_payments: seeded.invoicePayments },
      snapshot: { ms: round(desk.ms), pull_ms: round(desk.pullMs), stream_ms: round(desk.streamMs), apply_ms: round(desk.pullMs - desk.streamMs), index_and_probe_ms: round(desk.indexMs), entries: desk.entries, desk_customers: desk.customers, stripe_requests: snapshotRequests },
      direct_backfill: { requests: solo.requests, rate_per_s: rate, ms: round(directMs), unpaced_s: round(solo.seconds, 1), how: "a solo desk's backfill of the same account, limiter lifted: its requests / rate" },
      team_mirror_seed_s: round(mirror.seconds, 1),
      ratio: round(ratio, 3),
      target_met: ratio <= 1 / 3,
    };
    ctx.print(`new desk from the snapshot, ready (search answers): ${round(desk.ms)} ms (pull ${round(desk.pullMs)} ms: the snapshot's stream - server query, gzip, HTTP, gunzip, staging - ${round(desk.streamMs)} ms, the one apply transaction ${round(desk.pullMs - desk.streamMs)} ms; search index + probe ${round(desk.indexMs)} ms; ${desk.entries} entries, ${desk.customers} customers); Stripe requests: ${snapshotRequests} (target 0)`);
    ctx.print(`direct backfill at ${rate} req/s: ${solo.requests} requests / ${rate} = ${round(directMs / 1000, 1)} s (computed from the request count above, not waited out)`);
    ctx.print(`ratio ${round(ratio, 3)} (target <= 0.333: ${figures.target_met ? 'met' : 'MISSED'}) at ${seeded.customers} customers / ${seeded.invoices} invoices; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    return figures;
  } finally {
    await team?.stop();
    await stripe.close();
    await pgs.close();
    cleanup();
  }
}
