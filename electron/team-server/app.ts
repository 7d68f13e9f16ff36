import type pg from 'pg';
import { createLogger, type Logger } from '../services/core/log';
import { Redactor } from '../services/core/redact';
import { TeamCallTable } from './calls/table';
import { openTeamPool } from './db';
import { FeedHub } from './feed/live-hub';
import { DEFAULT_PRESENCE_TTL_MS, PRESENCE_CHANNEL, PresenceHub } from './feed/presence-hub';
import { AGENTS_CHANNEL } from './stores/agents';
import { startTeamHttpServer, type TeamHttpServer, type TeamRoute } from './http/server';
import type { RateLimit } from './http/agent-rate-limit';
import { parseListenAddress } from './listen-address';
import { migrateTeamDb } from './migrate';
import type { AccountHealthSource } from './stores/account-health';
import { PgAgentStore } from './stores/agents';
import { PgFeedStore } from './stores/feed';
import { FeedPruner } from './feed/pruner';
import { modelProxyRoutes } from './http/model-proxy';
import { SecretBox, TeamSecretMissingError } from './secret-box';
import { DEFAULT_MODEL_BASE_URL, PgModelSettingsStore } from './stores/model-settings';
import { startTeamSync, type TeamSync } from './sync/team-sync';

// Assembles one team-server instance: pool → migrations → stores → live feed → HTTP. Stateless
// apart from the database: any number of instances may run on one DATABASE_URL.

export interface TeamServerOptions {
  env: NodeJS.ProcessEnv;
  /** Overrides DATABASE_URL (the --demo private cluster). */
  databaseUrl?: string;
  behindTlsProxy?: boolean;
  /** Seed the demo data set into the mirror (team-server --demo). */
  demo?: boolean;
  /** Where account health comes from (the mirror/sync store); default: none configured yet. */
  health?: AccountHealthSource;
  /** The account's Stripe client, for Stripe writes (portal links, retries). */
  stripe?: (accountId: string) => Promise<import('stripe').default>;
  /** Extra routes: the Stripe webhook, the model proxy. */
  routes?: (parts: TeamServerParts) => TeamRoute[];
  rateLimit?: RateLimit;
  maxBodyBytes?: number;
  streamBufferBytes?: number;
  feedPollMs?: number;
  /** How long a desk's presence lasts without a heartbeat (default 30 s). */
  presenceTtlMs?: number;
  log?: Logger;
  redactor?: Redactor;
}

export interface TeamServerParts {
  pool: pg.Pool;
  agents: PgAgentStore;
  feed: PgFeedStore;
  hub: FeedHub;
  presence: PresenceHub;
  log: Logger;
  redactor: Redactor;
  /** Seals keys at rest; null when BSC_TEAM_SECRET is not set (then no key can be stored). */
  box: SecretBox | null;
  modelSettings: PgModelSettingsStore;
  /** The Stripe side: accounts, their sync writers, the webhook endpoint. */
  sync: TeamSync;
}

export interface TeamServer extends TeamServerParts {
  http: TeamHttpServer;
  url: string;
  stop(): Promise<void>;
}

/** Every secret the server is given is masked wherever it might surface. */
function redactorFor(env: NodeJS.ProcessEnv, databaseUrl: string): Redactor {
  const r = new Redactor();
  for (const k of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'OPENAI_API_KEY', 'BSC_TEAM_SECRET']) r.remember(env[k]);
  try {
    r.remember(decodeURIComponent(new URL(databaseUrl).password));
  } catch {
    // Not a URL (a libpq keyword string): nothing to pick out; the driver never echoes it.
  }
  return r;
}

export async function startTeamServer(opts: TeamServerOptions): Promise<TeamServer> {
  const databaseUrl = opts.databaseUrl ?? opts.env.DATABASE_URL ?? '';
  const redactor = opts.redactor ?? redactorFor(opts.env, databaseUrl);
  const log = opts.log ?? createLogger(redactor);
  const listen = parseListenAddress(opts.env.BSC_TEAM_LISTEN);
  const pool = openTeamPool(databaseUrl, { max: Number(opts.env.BSC_TEAM_DB_POOL ?? 10) || 10 });
  try {
    await migrateTeamDb(pool);
    const box = opts.env.BSC_TEAM_SECRET ? SecretBox.fromEnv(opts.env) : null;
    const modelSettings = new PgModelSettingsStore(pool, box);
    const modelKey = opts.env.OPENAI_API_KEY?.trim();
    if (modelKey) {
      if (!box) throw new TeamSecretMissingError();
      await modelSettings.set({ baseUrl: opts.env.OPENAI_BASE_URL?.trim() || DEFAULT_MODEL_BASE_URL, model: opts.env.COPILOT_MODEL?.trim() || null, key: modelKey });
    }
    const agents = new PgAgentStore(pool);
    const feed = new PgFeedStore(pool);
    const hub = new FeedHub(databaseUrl, pool, feed, log, { pollMs: opts.feedPollMs });
    const presence = new PresenceHub(pool, log, opts.presenceTtlMs ?? (Number(opts.env.BSC_TEAM_PRESENCE_TTL_MS) || DEFAULT_PRESENCE_TTL_MS));
    hub.onNotify(PRESENCE_CHANNEL, (payload) => presence.heard(payload));
    hub.onNotify(AGENTS_CHANNEL, (agentId) => presence.agentRevoked(agentId));
    await hub.start();
    presence.start();
    const sync = await startTeamSync({ pool, feed, box, connectionString: databaseUrl, env: opts.env, log, redactor, demo: opts.demo }).catch(async (err) => {
      presence.stop();
      await hub.stop();
      throw err;
    });
    const parts: TeamServerParts = { pool, agents, feed, hub, presence, log, redactor, box, modelSettings, sync };
    const pruner = new FeedPruner(feed, log, { retentionDays: Number(opts.env.BSC_TEAM_FEED_RETENTION_DAYS ?? 30) || 30 });
    pruner.start();
    const http = await startTeamHttpServer(
      {
        pool,
        agents,
        feed,
        hub,
        presence,
        calls: new TeamCallTable(log, redactor),
        health: opts.health ?? sync.health,
        // Stripe writes spend the same paced budget as the account's sync.
        stripe: opts.stripe ?? sync.stripeFor,
        keys: sync,
        modelSettings,
        log,
        redactor,
        routes: [...sync.routes, ...modelProxyRoutes({ pool, settings: modelSettings, redactor, log }), ...(opts.routes?.(parts) ?? [])],
      },
      { host: listen.host, port: listen.port, behindTlsProxy: opts.behindTlsProxy, rateLimit: opts.rateLimit, maxBodyBytes: opts.maxBodyBytes, streamBufferBytes: opts.streamBufferBytes },
    ).catch(async (err) => {
      pruner.stop();
      presence.stop();
      await sync.stop();
      await hub.stop();
      throw err;
    });
    return {
      ...parts,
      http,
      url: http.url,
      async stop() {
        pruner.stop();
        presence.stop();
        await sync.stop();
        await hub.stop();
        await http.close();
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
}
