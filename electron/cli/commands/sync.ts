import { AppError } from '../../../shared/contract/errors';
import type { SyncProgress } from '../../../shared/contract/streams';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';

// `sync`: backfill the account of STRIPE_SECRET_KEY into the cache if it has not been, then apply
// the new events once. `--full` reads everything again; `--watch` keeps polling until Ctrl-C.
// Progress goes to stderr; with --json, stdout ends with one object of totals: cache row counts
// (customers not deleted, subscriptions, invoices), events applied and requests made by this run.

function numberOption(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'Infinity') return Infinity;
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min)) throw new UsageError(`--${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

function progressLine(p: SyncProgress): string {
  const parts = [`[${p.phase}]`];
  if (p.resource) parts.push(p.resource);
  parts.push(`${p.objects} objects`);
  if (p.pages) parts.push(`${p.pages} pages`);
  parts.push(`${p.requestsPerSecond} req/s`);
  if (p.etaSeconds != null) parts.push(`ETA ${p.etaSeconds}s`);
  if (p.message) parts.push(`- ${p.message}`);
  return parts.join(' ');
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'sync the Stripe account of STRIPE_SECRET_KEY into the cache (backfill if needed, then events); with BSC_TEAM_URL, catch up with the team server',
  usage: 'sync [--full] [--watch] [--rate N] [--concurrency N]',
  options: { full: { type: 'boolean' }, watch: { type: 'boolean' }, rate: { type: 'string' }, concurrency: { type: 'string' } },
  async run({ values, globals, io }) {
    const rate = numberOption('rate', values.rate as string | undefined, 0.1);
    const concurrency = numberOption('concurrency', values.concurrency as string | undefined, 1);
    // This command runs the sync itself: no background watch besides it.
    const services = await openServices(globals, { ...io, env: { ...io.env, BSC_SYNC_AUTOSTART: '0' } });
    const started = performance.now();
    try {
      const ctx = services.ctx;
      const team = ctx.registries.teamDesk;
      if (team) {
        // Team mode: the team server synced Stripe; this desk takes its snapshot (first time, or
        // behind the pruned point) and the feed after it. No Stripe request is made here.
        if (values.full || rate !== undefined || concurrency !== undefined || values.watch) throw new UsageError('sync: --full, --watch, --rate and --concurrency are for a desk with its own Stripe key; a team desk follows the team server (BSC_TEAM_URL).');
        const r = await team.replica.pull();
        await team.outbox.flush(team.client);
        const count = (sql: string) => (ctx.db.prepare(sql).get(team.accountId) as { n: number }).n;
        const totals = {
          customers: count('SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0'),
          subscriptions: count('SELECT COUNT(*) AS n FROM subscriptions WHERE account_id = ?'),
          invoices: count('SELECT COUNT(*) AS n FROM invoices WHERE account_id = ?'),
          events_applied: r.applied,
          requests: 0,
          seconds: Math.round(performance.now() - started) / 1000,
          source: 'team',
          seq: r.seq,
        };
        if (globals.json) io.out(JSON.stringify(totals));
        else io.out(`caught up with the team server ${team.client.url} (${team.accountId}) at seq ${r.seq}${r.snapshot ? ' from a snapshot' : ''}: ${totals.customers} customers, ${totals.subscriptions} subscriptions, ${totals.invoices} invoices; ${r.applied} changes applied in ${totals.seconds}s`);
        return;
      }
      const account = ctx.workspace.current();
      if (account.isDemo) throw new AppError('not_configured', 'No Stripe account to sync: set STRIPE_SECRET_KEY (and STRIPE_API_BASE for a local test server).');
      if (!ctx.workspace.hasKey(account.id)) throw new AppError('not_configured', `No key for ${account.id}: set STRIPE_SECRET_KEY to that account's key to sync it (reading its cache needs none).`);
      if (rate !== undefined || concurrency !== undefined) ctx.registries.stripeClients.setPacing({ ratePerSecond: rate, maxConcurrent: concurrency });
      const manager = ctx.registries.sync;
      const engine = manager.engine(account.id);
      let lastLine = 0;
      const unsubscribe = ctx.hub.subscribe((channel, payload) => {
        if (channel !== 'sync.progress') return;
        const p = payload as SyncProgress;
        const now = Date.now();
        if (p.phase === 'backfill' && now - lastLine < 1_000) return;
        lastLine = now;
        io.err(progressLine(p));
      });
      const eventsBefore = engine.eventsAppliedTotal;
      try {
        await engine.syncOnce({ full: Boolean(values.full) });
        if (values.watch) {
          io.err('watching for changes (Ctrl-C to stop)');
          engine.watch();
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await engine.stop();
        }
      } finally {
        unsubscribe();
      }
      const db = ctx.db;
      const count = (sql: string) => (db.prepare(sql).get(account.id) as { n: number }).n;
      const totals = {
        customers: count('SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0'),
        subscriptions: count('SELECT COUNT(*) AS n FROM subscriptions WHERE account_id = ?'),
        invoices: count('SELECT COUNT(*) AS n FROM invoices WHERE account_id = ?'),
        events_applied: engine.eventsAppliedTotal - eventsBefore,
        requests: engine.stats.requests,
        seconds: Math.round(performance.now() - started) / 1000,
      };
      if (globals.json) io.out(JSON.stringify(totals));
      else io.out(`synced ${account.name} (${account.id}): ${totals.customers} customers, ${totals.subscriptions} subscriptions, ${totals.invoices} invoices; ${totals.events_applied} events applied; ${totals.requests} requests in ${totals.seconds}s`);
    } finally {
      await services.close();
    }
  },
};
