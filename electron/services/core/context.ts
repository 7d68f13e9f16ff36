import type Database from 'better-sqlite3';
import type { AuditLog } from './audit';
import type { StreamHub } from './events';
import type { Logger } from './log';
import type { Redactor } from './redact';
import type { SecretStore } from './secrets';
import type { Settings } from './settings';
import type { Workspace } from '../workspace/workspace';
import type { ServiceRegistries } from '../registries';

/** Things the host (Electron main, harness, CLI) provides that the services cannot do themselves. */
export interface HostHooks {
  /** Opens an already-validated http(s) URL in the system browser; false when the host cannot. */
  openExternal?: (url: string) => Promise<boolean>;
}

export interface ServicesOptions {
  dbPath: string;
  /** STRIPE_API_BASE: a Stripe-compatible server instead of api.stripe.com. */
  stripeApiBase?: string;
  /** Path to better-sqlite3 built for Electron; unset under Node. */
  nativeBinding?: string;
  /** The cache's folder is the console's own (user data, the CLI's default): kept 0700 (db/open.ts). */
  privateCacheFolder?: boolean;
  appVersion?: string;
  /** Who acts until the agent names themselves in Settings (the CLI: the OS user); else 'agent'. */
  defaultAgentName?: string;
  /** Deterministic demo data seed and size. */
  demo?: { seed?: number; customers?: number };
  /** Skip seeding the demo workspace (tests that bring their own data). */
  skipDemoSeed?: boolean;
  now?: () => number;
  host?: HostHooks;
  env?: NodeJS.ProcessEnv;
  /**
   * Team mode: follow this team server instead of holding a Stripe key (the app passes what
   * Settings → Team stored; unset: BSC_TEAM_URL + BSC_TEAM_TOKEN from env; null: solo, whatever env says).
   */
  team?: import('../team/team-config').TeamConfig | null;
  /** A packaged app: the copilot ignores OPENAI_* / COPILOT_* in the environment (model/config.ts). */
  packaged?: boolean;
}

/** What every domain service is built from. */
export interface ServiceContext {
  db: Database.Database;
  log: Logger;
  redactor: Redactor;
  hub: StreamHub;
  secrets: SecretStore;
  settings: Settings;
  audit: AuditLog;
  workspace: Workspace;
  now: () => number;
  options: ServicesOptions;
  /** The long-lived objects built with the services and closed with them (registries.ts). */
  registries: ServiceRegistries;
}
