import path from 'node:path';
import type Database from 'better-sqlite3';
import { createServices, type Services } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { teamDeskOf, type TeamDesk } from '../../electron/services/team/team-desk';
import { tempDir } from './services';

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
    desk: teamDeskOf(services.ctx)!,
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
