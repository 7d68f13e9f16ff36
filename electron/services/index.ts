import path from 'node:path';
import { openCache } from './db/open';
import { AuditLog } from './core/audit';
import type { ServiceContext, ServicesOptions } from './core/context';
import { StreamHub } from './core/events';
import { HandlerTable } from './core/handler-table';
import { createLogger, type Logger } from './core/log';
import { Redactor } from './core/redact';
import { EnvSecretStore, TeamDeskSecretStore, type SecretStore } from './core/secrets';
import { storedTeamConfig, teamConfigFromEnv, type TeamConfig } from './team/team-config';
import { registerTeamHandlers } from './team/handlers';
import type { TeamSwitch } from './team/team-switch';
import { startTeamDesk } from './team/team-desk';
import { Settings } from './core/settings';
import { Workspace, DEMO_ACCOUNT } from './workspace/workspace';
import { registerWorkspaceHandlers } from './workspace/handlers';
import { ensureAccount } from './stripe/ingest';
import { seedDemoWorkspace, demoIsSeeded } from './demo/seed';
import { startOfUtcDay } from './demo/time';
import { registerDomainHandlers } from './register';
import { closeRegistries, createServiceContext } from './registries';
import type { AccountSummary } from '../../shared/contract/workspace';
import { assertKeyMayUseBase } from './stripe/api-base';
import { servicesEnvironment } from './copilot/model/config';

export interface Services {
  ctx: ServiceContext;
  table: HandlerTable;
  /** Set when the cache file was unreadable and moved aside (never deleted); hosts tell the user. */
  cacheRecovered: { movedTo: string; reason: string } | null;
  /** The account of the environment's STRIPE_SECRET_KEY (CLI, harness), when one was given and resolved. */
  environmentAccount: AccountSummary | null;
  /** Stops timers, closes the registries (syncs, paced clients) and then the cache. */
  close(): Promise<void>;
}

export interface CreateServicesDeps {
  secrets?: SecretStore;
  logger?: Logger;
  redactor?: Redactor;
}

/** The cache of a desk joined in Settings → Team, beside the solo cache and never the same file. */
export function teamCachePath(soloCachePath: string): string {
  return path.join(path.dirname(soloCachePath), `team-${path.basename(soloCachePath)}`);
}

interface Shared {
  options: ServicesOptions;
  redactor: Redactor;
  log: Logger;
  hub: StreamHub;
  anySecrets: SecretStore;
}

interface Generation {
  ctx: ServiceContext;
  table: HandlerTable;
  cacheRecovered: Services['cacheRecovered'];
  environmentAccount: AccountSummary | null;
  close(): Promise<void>;
}

/**
 * Builds every service over one cache file. The Electron app, the web harness, the CLI and the
 * tests all call this; only the transport in front of the handler table differs. A team named by
 * the environment (CLI, harness) replicates into that cache; a team joined in Settings → Team
 * replicates into its own cache beside it (teamCachePath), so the solo cache is never written by
 * a team desk, and joining or leaving swaps the two at once (`ctx` and `table` follow the swap).
 */
export async function createServices(options: ServicesOptions, deps: CreateServicesDeps = {}): Promise<Services> {
  const redactor = deps.redactor ?? new Redactor();
  const log = deps.logger ?? createLogger(redactor);
  const envTeam = options.team === undefined ? teamConfigFromEnv(options.env ?? process.env) : options.team;
  const anySecrets = deps.secrets ?? new EnvSecretStore(servicesEnvironment(options));
  // One hub for every generation: the transports subscribe once; each generation unsubscribes its own listeners on close.
  const shared: Shared = { options, redactor, log, hub: new StreamHub(), anySecrets };
  const closing: Array<Promise<void>> = [];
  let current: Generation;

  const switcher: TeamSwitch = {
    async switchTo(team, commit) {
      const previous = current;
      const next = team ? await buildGeneration(shared, teamCachePath(options.dbPath), team, switcher) : await buildGeneration(shared, options.dbPath, null, switcher);
      try {
        commit(next.ctx);
      } catch (err) {
        await next.close();
        throw err;
      }
      current = next;
      log.info(team ? 'team desk started (joined in Settings)' : 'solo desk started (left the team)', { url: team?.url });
      // Every answer the window holds is of the other cache now.
      shared.hub.emit('data.changed', { accountId: next.ctx.workspace.current().id, kinds: ['accounts'], customerIds: [] });
      // The call that asked for the swap is still answering on the old services: close them after it.
      closing.push(
        new Promise<void>((resolve) => setImmediate(resolve)).then(() => previous.close()).catch((err: unknown) => log.error('closing the previous services after a team switch failed', { error: err })),
      );
    },
  };

  if (envTeam) current = await buildGeneration(shared, options.dbPath, envTeam, null);
  else {
    // Settings → Team joined one (the app): the team's own cache, named in the solo cache's settings.
    const stored = options.team === undefined ? storedTeamIn(options, anySecrets) : null;
    current = stored ? await buildGeneration(shared, teamCachePath(options.dbPath), stored, switcher) : await buildGeneration(shared, options.dbPath, null, switcher);
  }
  const first = current;
  return {
    get ctx() {
      return current.ctx;
    },
    get table() {
      return current.table;
    },
    cacheRecovered: first.cacheRecovered,
    environmentAccount: first.environmentAccount,
    async close() {
      await current.close();
      await Promise.all(closing);
    },
  };
}

/** The team Settings → Team stored in the solo cache, if any (read without building its services). */
function storedTeamIn(options: ServicesOptions, secrets: SecretStore): TeamConfig | null {
  if (!secrets.get('team_token')) return null;
  const opened = openCache(options.dbPath, { nativeBinding: options.nativeBinding, privateFolder: options.privateCacheFolder });
  try {
    return storedTeamConfig(new Settings(opened.db), secrets);
  } finally {
    opened.db.close();
  }
}

/** One set of services over one cache file: solo (team null) or a team desk. */
async function buildGeneration(shared: Shared, dbPath: string, team: TeamConfig | null, switcher: TeamSwitch | null): Promise<Generation> {
  const { options, redactor, log, anySecrets } = shared;
  const now = options.now ?? Date.now;
  const rawEnvKey = team ? null : anySecrets.get('stripe_key', 'default');
  // Refused before the cache is touched, so the CLI and the harness stop with the reason instead of
  // quietly opening the demo workspace.
  if (rawEnvKey) assertKeyMayUseBase(rawEnvKey, options.stripeApiBase);
  const opened = openCache(dbPath, { nativeBinding: options.nativeBinding, privateFolder: options.privateCacheFolder });
  if (opened.recovered) log.warn('cache file was unreadable and was moved aside', opened.recovered);
  const db = opened.db;
  const settings = new Settings(db);
  // A team desk holds no Stripe key and no model key, even when the environment or the keychain has one.
  const secrets = team ? new TeamDeskSecretStore(anySecrets) : anySecrets;
  const envKey = team ? null : rawEnvKey;
  const workspace = new Workspace(db, secrets, settings, redactor, log, options.stripeApiBase);
  const ctx = createServiceContext({ db, log, redactor, hub: shared.hub, secrets, settings, audit: new AuditLog(db, now, redactor), workspace, now, options });

  let environmentAccount: AccountSummary | null = null;
  if (envKey) {
    try {
      environmentAccount = await workspace.adoptEnvironmentKey();
    } catch (err) {
      log.warn('the environment Stripe key could not be used; opening the demo workspace', { error: err });
    }
  }
  ensureAccount(db, DEMO_ACCOUNT);
  if (!team && !options.skipDemoSeed && workspace.isDemo() && !demoIsSeeded(db)) {
    seedDemoWorkspace(db, { seed: options.demo?.seed, customers: options.demo?.customers, anchor: startOfUtcDay(now()) });
  }

  const table = new HandlerTable(log, redactor);
  const closers: Array<() => void | Promise<void>> = [];
  registerWorkspaceHandlers(table, ctx, {
    cacheRecovered: opened.recovered ?? null,
    online: () => ctx.registries.connectivity.isOnline(ctx.workspace.current().id),
  });
  registerDomainHandlers(table, ctx, (fn) => closers.push(fn));
  registerTeamHandlers(table, ctx, anySecrets, switcher);
  if (team) {
    try {
      await startTeamDesk(ctx, table, team, (fn) => closers.push(fn));
    } catch (err) {
      for (const c of closers.reverse()) await c();
      db.close();
      throw err;
    }
  }

  const missing = table.missing();
  if (missing.length) log.warn('contract calls without a handler', { missing });

  return {
    ctx,
    table,
    cacheRecovered: opened.recovered ?? null,
    environmentAccount,
    async close() {
      for (const c of closers.reverse()) await c();
      await closeRegistries(ctx.registries);
      db.close();
    },
  };
}
