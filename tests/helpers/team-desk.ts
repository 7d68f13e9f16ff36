import path from 'node:path';
import type Database from 'better-sqlite3';
import { createServices, type Services } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import type { TeamDesk } from '../../electron/services/team/team-desk';
import { tempDir } from './services';
import { silentLogger } from '../../electron/services/core/log';
import { startTeamServer, type TeamServer, type TeamServerOptions } from '../../electron/team-server/app';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from './postgres';
import { waitFor } from './team-sync';

// A desk in team mode for a test: its own cache file in a temp dir, logs captured (for the
// no-secret scan), BSC_TEAM_URL/BSC_TEAM_TOKEN as the CLI and harness pass them.

export interface TestDesk extends Services {
  desk: TeamDesk;
  dir: string;
  dbPath: string;
  logLines: string[];
  call<T = unknown>(name: string, input?: unknown): Promise<T>;
  dispose(): Promise<void>;
}

export async function startTestDesk(teamUrl: string, token: string, opts: { follow?: boolean; dir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TestDesk> {
  const own = opts.dir ? null : tempDir('bsc-desk-');
  const dir = opts.dir ?? own!.dir;
  const dbPath = path.join(dir, 'cache.db');
  const logLines: string[] = [];
  const redactor = new Redactor();
  const services = await createServices(
    { dbPath, env: { BSC_TEAM_URL: teamUrl, BSC_TEAM_TOKEN: token, BSC_TEAM_FOLLOW: opts.follow === false ? '0' : '1', ...(opts.env ?? {}) } },
    { redactor, logger: createLogger(redactor, (l) => logLines.push(l), 'debug') },
  );
  return {
    ...services,
    desk: services.ctx.registries.teamDesk!,
    dir,
    dbPath,
    logLines,
    async call<T>(name: string, input: unknown = {}): Promise<T> {
      const r = await services.table.dispatch(name, input, { actor: 'desk' });
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value as T;
    },
    async dispose() {
      await services.close();
      own?.cleanup();
    },
  };
}

/** Every replicated table of an account as sorted rows, without the columns that are local by nature. */
export function replicatedTables(db: Database.Database, accountId: string): Record<string, unknown[]> {
  const local = new Set(['rowid', 'synced_at_ms']);
  const tables: Record<string, string> = {
    // A customer deleted in Stripe stays flagged on a desk that saw the deletion (its notes stay
    // readable, as on a solo desk); a snapshot taken later has no such row. Both show the same.
    customers: 'SELECT * FROM customers WHERE account_id = ? AND deleted = 0 ORDER BY id',
    subscriptions: 'SELECT * FROM subscriptions WHERE account_id = ? ORDER BY id',
    subscription_items: 'SELECT * FROM subscription_items WHERE account_id = ? ORDER BY id',
    invoices: 'SELECT * FROM invoices WHERE account_id = ? ORDER BY id',
    payment_attempts: 'SELECT * FROM payment_attempts WHERE account_id = ? ORDER BY id',
    payment_methods: 'SELECT * FROM payment_methods WHERE account_id = ? ORDER BY id',
    notes: 'SELECT * FROM notes WHERE account_id = ? ORDER BY id',
    dunning_cases: 'SELECT * FROM dunning_cases WHERE account_id = ? ORDER BY id',
    dunning_case_history: 'SELECT h.* FROM dunning_case_history h JOIN dunning_cases c ON c.id = h.case_id WHERE c.account_id = ? ORDER BY h.id',
    portal_links: 'SELECT * FROM portal_links WHERE account_id = ? ORDER BY id',
    dunning_saved_views: 'SELECT * FROM dunning_saved_views WHERE ? IS NOT NULL ORDER BY id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [t, sql] of Object.entries(tables)) {
    out[t] = (db.prepare(sql).all(accountId) as Record<string, unknown>[]).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !local.has(k))));
  }
  return out;
}

export async function until<T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A team server (real PostgreSQL) syncing a seeded loopback Stripe server, backfill done. */
export interface SyncedTeam {
  pgs: TestPostgres;
  stripe: StripeServer;
  server: TeamServer;
  stop(): Promise<void>;
}

export async function startSyncedTeam(o: { accountId: string; stripeKey: string; customers: number; seed: number; env?: NodeJS.ProcessEnv; rateLimit?: TeamServerOptions['rateLimit'] }): Promise<SyncedTeam> {
  const pgs = await startTestPostgres();
  const stripe = await startStripeServer({ accountId: o.accountId });
  seedAccount(stripe.store, { customers: o.customers, seed: o.seed });
  const server = await startTeamServer({
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'team-secret-for-desk-tests-0123456789', STRIPE_SECRET_KEY: o.stripeKey, STRIPE_API_BASE: stripe.url, BSC_STRIPE_RATE: '1000', ...(o.env ?? {}) },
    databaseUrl: await pgs.newDatabase(),
    log: silentLogger,
    rateLimit: o.rateLimit,
  });
  await waitFor('the team backfill', async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { accounts: Array<{ backfill_complete: boolean }> }).accounts[0]?.backfill_complete);
  return {
    pgs,
    stripe,
    server,
    async stop() {
      await server.stop();
      await stripe.close();
      await pgs.close();
    },
  };
}
