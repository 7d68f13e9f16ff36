import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import type { Logger } from '../../services/core/log';
import type { Redactor } from '../../services/core/redact';
import { isLiveKey } from '../../services/stripe/api-base';
import { checkStripeKeyShape } from '../../services/core/stripe-key';
import { toStripeAppError } from '../../services/stripe/errors';
import { summaryFor } from '../../services/workspace/workspace';
import type { AccountSummary, KeyCheck } from '../../../shared/contract/workspace';
import { workspaceIdFor } from '../../../shared/domain/workspace-id';
import type { TeamRoute } from '../http/server';
import { sendJson } from '../http/respond';
import type { SecretBox } from '../secret-box';
import type { AccountHealthSource } from '../stores/account-health';
import type { FeedStore } from '../stores/feed';
import { PgStripeAccounts } from '../stores/stripe-accounts';
import { PgWebhookInbox } from '../stores/webhook-inbox';
import { receiveStripeWebhook, WEBHOOK_MAX_BYTES } from '../webhooks/receive';
import { AccountSync } from './account-sync';
import { seedDemoMirror } from './demo-mirror';
import { serverStripe, type ServerStripe } from './stripe-access';

// The Stripe side of one team server instance: the account named by STRIPE_SECRET_KEY (with
// STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET) is added or updated at start, keys sealed with
// BSC_TEAM_SECRET; every account with a key gets an AccountSync (only the lease holder syncs);
// the webhook route; /healthz's account list; `--demo`'s data set in the mirror.

export interface TeamSyncOptions {
  pool: pg.Pool;
  feed: Pick<FeedStore, 'append'>;
  /** Seals keys at rest (BSC_TEAM_SECRET); null: no key can be stored or opened. */
  box: SecretBox | null;
  connectionString: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  redactor: Redactor;
  demo?: boolean;
  /** Tests: pacing and cadences. */
  ratePerSecond?: number;
  pollIntervalMs?: number;
  leaseRetryMs?: number;
}

export interface TeamSync {
  health: AccountHealthSource;
  routes: TeamRoute[];
  accounts: PgStripeAccounts;
  syncs: Map<string, AccountSync>;
  /** Stripe requests made by this instance, per account. */
  stripeRequests(): Record<string, number>;
  /** An admin's key: checked with Stripe, stored sealed, its account added or updated, its sync (re)started. */
  addKey(rawKey: string): Promise<{ check: KeyCheck; account: AccountSummary }>;
  /** Forgets the account's key and stops its client and sync here (its mirror stays readable). */
  clearKey(accountId: string): Promise<void>;
  /** A poll now, if this instance leads the account's sync. */
  pollNow(accountId: string): boolean;
  /** The account's paced client, for Stripe writes (portal links, retries): one budget with the sync. */
  stripeFor(accountId: string): Promise<Stripe>;
  stop(): Promise<void>;
}

function envNumber(v: string | undefined): number | undefined {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export async function startTeamSync(o: TeamSyncOptions): Promise<TeamSync> {
  const accounts = new PgStripeAccounts(o.pool, o.box);
  const instanceId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const clients = new Map<string, ServerStripe>();
  const syncs = new Map<string, AccountSync>();
  const rate = o.ratePerSecond ?? envNumber(o.env.BSC_STRIPE_RATE);

  const key = o.env.STRIPE_SECRET_KEY;
  if (key) {
    o.redactor.remember(key);
    o.redactor.remember(o.env.STRIPE_WEBHOOK_SECRET);
    const probe = serverStripe({ key, apiBase: o.env.STRIPE_API_BASE });
    try {
      // Which account the key belongs to decides where its data goes, so an unreachable Stripe stops
      // the start with that said, instead of the SDK's bare connection sentence.
      const acct = await probe.client.accounts.retrieveCurrent().catch((err: unknown) => {
        throw new Error(`STRIPE_SECRET_KEY could not be checked with Stripe at ${o.env.STRIPE_API_BASE ?? 'https://api.stripe.com'}: ${(err as Error)?.message ?? String(err)} The team server did not start; check the network (or STRIPE_API_BASE) and the key.`, { cause: err });
      });
      const livemode = isLiveKey(key);
      await accounts.upsert({
        // The desk's workspace id: a live key's data is a workspace of its own (acct_…:live).
        id: workspaceIdFor(acct.id, livemode),
        name: acct.settings?.dashboard?.display_name ?? acct.business_profile?.name ?? acct.id,
        livemode,
        apiBase: o.env.STRIPE_API_BASE ?? null,
        secretKey: key,
        webhookSecret: o.env.STRIPE_WEBHOOK_SECRET,
      });
    } finally {
      probe.close();
    }
  }
  if (o.demo) {
    const counts = await seedDemoMirror(o.pool, o.feed, accounts, { customers: envNumber(o.env.BSC_DEMO_CUSTOMERS) });
    o.log.info('demo data set in the mirror', { ...counts });
  }

  /** Starts the account's client and sync with its stored key (replacing a running one). */
  const startAccount = async (accountId: string): Promise<void> => {
    await stopAccount(accountId);
    const a = (await accounts.list()).find((x) => x.id === accountId);
    if (!a?.hasSecretKey) return;
    const { secretKey } = await accounts.keys(a.id);
    if (!secretKey) return;
    o.redactor.remember(secretKey);
    const stripe = serverStripe({ key: secretKey, apiBase: a.apiBase ?? undefined, ratePerSecond: rate });
    clients.set(a.id, stripe);
    const sync = new AccountSync({
      pool: o.pool,
      feed: o.feed,
      connectionString: o.connectionString,
      accountId: a.id,
      instanceId,
      client: stripe.client,
      parallelism: stripe.parallelism,
      log: o.log,
      pollIntervalMs: o.pollIntervalMs ?? envNumber(o.env.BSC_TEAM_POLL_INTERVAL_MS),
      leaseRetryMs: o.leaseRetryMs,
    });
    syncs.set(a.id, sync);
    sync.start();
  };
  const stopAccount = async (accountId: string): Promise<void> => {
    await syncs.get(accountId)?.stop();
    syncs.delete(accountId);
    clients.get(accountId)?.close();
    clients.delete(accountId);
  };
  for (const a of await accounts.list()) await startAccount(a.id);

  // Webhook secrets are opened per delivery (cached briefly: Stripe may deliver many at once).
  const secretCache = new Map<string, { value: string | null; until: number }>();
  const endpointSecret = async (accountId: string) => {
    const hit = secretCache.get(accountId);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = (await accounts.list()).some((a) => a.id === accountId && a.hasWebhookSecret) ? (await accounts.keys(accountId)).webhookSecret : null;
    secretCache.set(accountId, { value, until: Date.now() + 30_000 });
    return value;
  };
  const inbox = new PgWebhookInbox(o.pool);
  const webhookRoute: TeamRoute = {
    method: 'POST',
    path: /^\/stripe\/webhook\/([^/]{1,80})$/,
    auth: 'none',
    maxBodyBytes: WEBHOOK_MAX_BYTES,
    async handle(req, res, ctx) {
      const r = await receiveStripeWebhook({ endpointSecret, inbox }, ctx.params[0], ctx.body, req.headers['stripe-signature']);
      if (r.status !== 200) o.log.warn('stripe webhook refused', { status: r.status, reason: r.body.error });
      sendJson(res, r.status, r.body);
    },
  };

  return {
    accounts,
    syncs,
    routes: [webhookRoute],
    health: {
      async accounts() {
        const complete = await accounts.backfillComplete();
        return (await accounts.list()).map((a) => ({ id: a.id, backfill_complete: complete.get(a.id) ?? false, leader: syncs.get(a.id)?.leader ?? false }));
      },
    },
    stripeRequests: () => Object.fromEntries([...clients].map(([id, c]) => [id, c.stats.requests])),
    async addKey(rawKey) {
      const check = checkStripeKeyShape(rawKey);
      const key = rawKey.trim();
      o.redactor.remember(key);
      if (!o.box) throw new AppError('not_configured', 'The team server stores Stripe keys only encrypted with BSC_TEAM_SECRET, which is not set: an operator sets it and restarts the server. Nothing was stored.');
      const probe = serverStripe({ key, apiBase: o.env.STRIPE_API_BASE });
      let acct: Stripe.Account;
      try {
        acct = await probe.client.accounts.retrieveCurrent();
      } catch (err) {
        throw toStripeAppError(err, 'checking the key');
      } finally {
        probe.close();
      }
      const account = summaryFor(acct, check.livemode);
      await accounts.upsert({ id: account.id, name: account.name, livemode: account.livemode, apiBase: o.env.STRIPE_API_BASE ?? null, secretKey: key });
      await startAccount(account.id);
      return { check, account };
    },
    pollNow(accountId) {
      const sync = syncs.get(accountId);
      if (!sync?.leader) return false;
      sync.pollSoon();
      return true;
    },
    async clearKey(accountId) {
      await accounts.clearSecretKey(accountId);
      await stopAccount(accountId);
    },
    async stripeFor(accountId) {
      const c = clients.get(accountId);
      if (!c) throw new AppError('not_configured', `The team server has no Stripe key for ${accountId}: an admin sets STRIPE_SECRET_KEY on the server.`);
      return c.client;
    },
    async stop() {
      await Promise.all([...syncs.values()].map((s) => s.stop()));
      for (const c of clients.values()) c.close();
    },
  };
}
