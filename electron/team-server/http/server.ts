import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import { registerProposal } from '../calls/copilot-actions';
import { keptReply, parseIdempotencyKey, withIdempotencyKey } from '../calls/idempotent';
import type { Logger } from '../../services/core/log';
import type { Redactor } from '../../services/core/redact';
import { TEAM_WIDE_CALLS, type TeamCallTable } from '../calls/table';
import type { TeamStripeAccounts } from '../calls/keys';
import type { PgModelSettingsStore } from '../stores/model-settings';
import type { FeedHub } from '../feed/live-hub';
import type { PresenceHub } from '../feed/presence-hub';
import type { AccountHealthSource } from '../stores/account-health';
import type { Agent, AgentStore } from '../stores/agents';
import type { FeedStore } from '../stores/feed';
import { AgentRateLimiter, type RateLimit } from './agent-rate-limit';
import { feedPage, feedStream, snapshot } from './feed-routes';
import { reportPresence } from './presence-route';
import { BodyTooLargeError, readBody, sendError, sendJson, statusOf } from './respond';

// The team server's HTTP face. Unauthenticated: GET /healthz and the routes other parts register
// with auth 'none' (the Stripe webhook verifies its own signature). Everything under /v1 needs an
// agent's bearer token, checked on every request (a revoked token fails on its next call), and is
// limited per agent. Plain http is served on loopback only unless a TLS proxy is declared in front.

export interface TeamRouteContext {
  agent: Agent | null;
  url: URL;
  params: string[];
  /** The raw body (routes that verify a signature need the exact bytes). */
  body: Buffer;
}

export interface TeamRoute {
  method: 'GET' | 'POST';
  /** Matched against the path; capture groups become `params`. */
  path: RegExp;
  auth: 'agent' | 'none';
  maxBodyBytes?: number;
  handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: TeamRouteContext): Promise<void>;
}

export interface TeamHttpDeps {
  pool: pg.Pool;
  agents: AgentStore;
  feed: FeedStore;
  hub: FeedHub;
  /** Who has what open (POST /v1/presence, fanned out on the live stream); absent: not served. */
  presence?: PresenceHub;
  calls: TeamCallTable;
  health: AccountHealthSource;
  log: Logger;
  redactor: Redactor;
  now?: () => number;
  /** The account's Stripe client (team-sync's stripe accounts store); absent: Stripe writes say so. */
  stripe?: (accountId: string) => Promise<Stripe>;
  /** The team's Stripe keys (admins' workspace.setStripeKey / clearStripeKey). */
  keys?: TeamStripeAccounts;
  /** The team's model settings (admins' copilot.settings.*). */
  modelSettings?: PgModelSettingsStore;
  /** Routes of other parts (webhooks, the model proxy), tried before the built-in ones. */
  routes?: TeamRoute[];
}

export interface TeamHttpOptions {
  host: string;
  port: number;
  /** The operator says a TLS-terminating proxy is in front: any listen address is allowed. */
  behindTlsProxy?: boolean;
  maxBodyBytes?: number;
  rateLimit?: RateLimit;
  /** A live stream whose unsent output grows past this is closed (the desk resumes from its seq). */
  streamBufferBytes?: number;
}

export interface TeamHttpServer {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class PlainHttpRefusedError extends Error {
  constructor(host: string) {
    super(
      `Refusing to serve plain http on ${host}: agent tokens would cross the network unencrypted. ` +
        'Listen on 127.0.0.1 (BSC_TEAM_LISTEN=127.0.0.1:8787) behind a TLS-terminating proxy and start with --behind-tls-proxy.',
    );
    this.name = 'PlainHttpRefusedError';
  }
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m ? m[1] : null;
}

/** The account a call is for: the BSC-Account header, or the server's only account. */
async function resolveAccount(req: http.IncomingMessage, health: AccountHealthSource): Promise<string> {
  const ids = (await health.accounts()).map((a) => a.id);
  const asked = req.headers['bsc-account'];
  if (typeof asked === 'string' && asked) {
    if (!ids.includes(asked)) throw new AppError('not_found', `This team server does not serve account ${asked.slice(0, 40)}.`);
    return asked;
  }
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) throw new AppError('not_configured', 'The team server has no Stripe account configured yet (an admin sets STRIPE_SECRET_KEY on the server).');
  throw new AppError('bad_input', 'This team server serves several accounts: name one with the BSC-Account header.');
}

export async function startTeamHttpServer(deps: TeamHttpDeps, opts: TeamHttpOptions): Promise<TeamHttpServer> {
  if (!opts.behindTlsProxy && !isLoopbackHost(opts.host)) throw new PlainHttpRefusedError(opts.host);
  const maxBody = opts.maxBodyBytes ?? 1_000_000;
  const limiter = new AgentRateLimiter(opts.rateLimit ?? { perSecond: 20, burst: 60 }, deps.now);
  const now = deps.now ?? Date.now;
  const routes = deps.routes ?? [];
  const stripeFor =
    deps.stripe ??
    (async (accountId: string): Promise<Stripe> => {
      throw new AppError('not_configured', `The team server has no Stripe key for ${accountId}: an admin sets STRIPE_SECRET_KEY on the server.`);
    });

  const authenticate = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<Agent | null> => {
    const token = bearer(req);
    const agent = token ? await deps.agents.authenticate(token) : null;
    if (!agent) {
      sendError(res, 401, { code: 'forbidden', message: token ? 'This agent token is not valid (unknown or revoked). Ask a team admin for a new one.' : 'Sign in: send the agent token as "Authorization: Bearer <token>".' }, { 'www-authenticate': 'Bearer realm="team"' });
      return null;
    }
    const wait = limiter.take(agent.id);
    if (wait > 0) {
      sendError(res, 429, { code: 'rate_limited', message: `Too many requests from this agent; try again in ${wait} s.` }, { 'retry-after': String(wait) });
      return null;
    }
    return agent;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://team.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname;

    for (const r of routes) {
      const m = r.method === method ? r.path.exec(path) : null;
      if (!m) continue;
      const agent = r.auth === 'agent' ? await authenticate(req, res) : null;
      if (r.auth === 'agent' && !agent) return;
      const body = method === 'POST' ? await readBody(req, r.maxBodyBytes ?? maxBody) : Buffer.alloc(0);
      await r.handle(req, res, { agent, url, params: m.slice(1), body });
      return;
    }

    if (method === 'GET' && path === '/healthz') {
      sendJson(res, 200, { ok: true, accounts: await deps.health.accounts() });
      return;
    }
    if (!path.startsWith('/v1/')) {
      sendError(res, 404, { code: 'not_found', message: `No such endpoint: ${method} ${path.slice(0, 100)}` });
      return;
    }
    const agent = await authenticate(req, res);
    if (!agent) return;

    if (method === 'GET' && path === '/v1/me') return sendJson(res, 200, { id: agent.id, name: agent.name, role: agent.role });
    if (method === 'GET' && path === '/v1/feed') return feedPage(res, url, deps.feed);
    if (method === 'GET' && path === '/v1/feed/stream') return feedStream(req, res, url, agent, { feed: deps.hub, presence: deps.presence }, deps.log, 15_000, opts.streamBufferBytes);
    if (method === 'GET' && path === '/v1/snapshot') return snapshot(res, url, deps.feed, deps.log);
    if (method === 'POST' && path === '/v1/copilot/proposals') {
      // A desk brings the proposal its copilot showed before it forwards the confirm (calls/copilot-actions.ts).
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req, maxBody)).toString('utf8') || '{}');
      } catch {
        return sendError(res, 400, { code: 'bad_input', message: 'The request body is not valid JSON.' });
      }
      try {
        return sendJson(res, 200, await registerProposal(deps.pool, agent, await resolveAccount(req, deps.health), input, now()));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return sendError(res, statusOf(err.code), { code: err.code, message: err.message });
      }
    }
    if (method === 'POST' && path === '/v1/presence' && deps.presence) {
      const raw = await readBody(req, 4_096);
      let accountId: string;
      try {
        accountId = await resolveAccount(req, deps.health);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return sendError(res, statusOf(err.code), { code: err.code, message: err.message });
      }
      return reportPresence(res, raw, agent, accountId, deps.presence);
    }
    const call = /^\/v1\/call\/([A-Za-z0-9_.]{1,80})$/.exec(path);
    if (call && method === 'POST') {
      const raw = await readBody(req, maxBody);
      let input: unknown;
      try {
        input = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        return sendError(res, 400, { code: 'bad_input', message: 'The request body is not valid JSON.' });
      }
      let accountId: string;
      try {
        accountId = TEAM_WIDE_CALLS.includes(call[1]) ? '' : await resolveAccount(req, deps.health);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return sendError(res, statusOf(err.code), { code: err.code, message: err.message });
      }
      const key = parseIdempotencyKey(req.headers['idempotency-key']);
      if (key === 'invalid') return sendError(res, 400, { code: 'bad_input', message: 'Idempotency-Key must be 8 to 200 printable characters without spaces.' });
      const dispatch = () => deps.calls.dispatch(call[1], input, { agent, accountId, pool: deps.pool, feed: deps.feed, agents: deps.agents, stripe: stripeFor, keys: deps.keys, modelSettings: deps.modelSettings, log: deps.log, now });
      let result;
      if (key) {
        // A repeat of a write already applied gets the kept answer; a concurrent repeat that lost the race too.
        const kept = await keptReply(deps.pool, agent.id, key);
        if (kept) return sendJson(res, 200, kept);
        result = await withIdempotencyKey(deps.pool, { agentId: agent.id, key, call: call[1] }, dispatch, now());
        if (!result.ok) result = (await keptReply(deps.pool, agent.id, key)) ?? result;
      } else {
        result = await dispatch();
      }
      return sendJson(res, result.ok ? 200 : statusOf(result.error.code), result);
    }
    sendError(res, 404, { code: 'not_found', message: `No such endpoint: ${method} ${path.slice(0, 100)}` });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (err instanceof BodyTooLargeError) {
        if (!res.headersSent) sendError(res, 413, { code: 'bad_input', message: err.message }, { connection: 'close' });
        return;
      }
      deps.log.error('team request failed', { method: req.method, path: (req.url ?? '').split('?')[0], error: err });
      if (!res.headersSent) sendError(res, 500, { code: 'internal', message: 'Something went wrong on the team server. The details are in its log.' });
      else res.destroy();
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    host: opts.host,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
