import { openCache } from './db/open';
import { AuditLog } from './core/audit';
import type { ServiceContext, ServicesOptions } from './core/context';
import { StreamHub } from './core/events';
import { HandlerTable } from './core/handler-table';
import { createLogger, type Logger } from './core/log';
import { Redactor } from './core/redact';
import { EnvSecretStore, TeamDeskSecretStore, type SecretStore } from './core/secrets';
import { storedTeamConfig, teamConfigFromEnv } from './team/team-config';
import { registerTeamHandlers } from './team/handlers';
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

/**
 * Builds every service over one cache file. The Electron app, the web harness, the CLI and the
 * tests all call this; only the transport in front of the handler table differs.
 */
export async function createServices(options: ServicesOptions, deps: CreateServicesDeps = {}): Promise<Services> {
  const redactor = deps.redactor ?? new Redactor();
  const log = deps.logger ?? createLogger(redactor);
  const envTeam = options.team === undefined ? teamConfigFromEnv(options.env ?? process.env) : options.team;
  const anySecrets = deps.secrets ?? new EnvSecretStore(servicesEnvironment(options));
  const now = options.now ?? Date.now;
  const rawEnvKey = envTeam ? null : anySecrets.get('stripe_key', 'default');
  // Refused before the cache is touched, so the CLI and the harness stop with the reason instead of
  // quietly opening the demo workspace.
  if (rawEnvKey) assertKeyMayUseBase(rawEnvKey, options.stripeApiBase);
  const opened = openCache(options.dbPath, { nativeBinding: options.nativeBinding, privateFolder: options.privateCacheFolder });
  if (opened.recovered) log.warn('cache file was unreadable and was moved aside', opened.recovered);
  const db = opened.db;
  const settings = new Settings(db);
  // The environment names a team (CLI, harness), or Settings → Team joined one (the app).
  const team = envTeam ?? (options.team === undefined ? storedTeamConfig(settings, anySecrets) : null);
  // A team desk holds no Stripe key and no model key, even when the environment or the keychain has one.
  const secrets = team ? new TeamDeskSecretStore(anySecrets) : anySecrets;
  const envKey = team ? null : rawEnvKey;
  const workspace = new Workspace(db, secrets, settings, redactor, log, options.stripeApiBase);
  const ctx = createServiceContext({ db, log, redactor, hub: new StreamHub(), secrets, settings, audit: new AuditLog(db, now, redactor), workspace, now, options });

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
  registerTeamHandlers(table, ctx, anySecrets);
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
