import Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import type { ConcurrencyGauge } from '../stripe/concurrency';
import { buildPacedStripe, type PacedStripeOptions } from '../stripe/paced-stripe';
import type { RateLimiter } from '../stripe/rate-limiter';
import type { Connectivity } from './connectivity';

// One paced Stripe client per account, shared by everything that talks to Stripe for it: the
// sync, the on-demand refresh, and other services through `ctx.workspace.stripe()` (this client is
// installed with Workspace.setClient), so all of them spend one rate budget. The clients live on
// the service context (`ctx.registries.stripeClients`) and are closed with the services.

/** What tests, the CLI and the bench may choose about the pacing (see stripe/paced-stripe.ts). */
export type PacingSettings = Pick<PacedStripeOptions, 'ratePerSecond' | 'maxConcurrent' | 'endpointRatePerSecond' | 'maxRetries' | 'retryBaseMs' | 'timeoutMs' | 'guardMs'>;

export interface AccountStripe {
  accountId: string;
  client: Stripe;
  limiter: RateLimiter;
  /** Observed latency -> how many requests to keep in flight (the limiter's cap follows it). */
  gauge: ConcurrencyGauge;
  /** Requests worth keeping in flight now (the backfill plans its parallel work from it). */
  parallelism(): number;
  /** Attempts by outcome, for progress and the CLI's request count. */
  stats: { requests: number; rateLimited: number; serverErrors: number; networkErrors: number; recent: number[] };
  livemode: boolean;
}

function envNumber(ctx: ServiceContext, name: string): number | undefined {
  const raw = (ctx.options.env ?? process.env)[name];
  if (raw === undefined || raw === '') return undefined;
  const n = raw === 'Infinity' ? Infinity : Number(raw);
  return Number.isFinite(n) || n === Infinity ? n : undefined;
}

/** Requests made in the last `windowMs` (for the request rate shown in progress). */
export function recentRate(stats: AccountStripe['stats'], now = Date.now(), windowMs = 5_000): number {
  while (stats.recent.length && stats.recent[0] < now - windowMs) stats.recent.shift();
  return Math.round((stats.recent.length / (windowMs / 1000)) * 10) / 10;
}

/** The paced clients of one set of services (held on the context: registries.ts), one per account. */
export class AccountStripeClients {
  private readonly byAccount = new Map<string, AccountStripe>();
  private pacing: PacingSettings = {};

  constructor(
    private readonly ctx: ServiceContext,
    private readonly connectivity: Connectivity,
  ) {}

  /** Tests, the CLI and the bench choose the pacing (before the first client is built). */
  setPacing(settings: PacingSettings): void {
    this.pacing = settings;
    this.byAccount.clear();
  }

  /** The account's client, built on first use with the key the workspace holds for it. */
  forAccount(accountId: string): AccountStripe {
    const ctx = this.ctx;
    const existing = this.byAccount.get(accountId);
    if (existing) {
      // Another part of the app may have replaced the workspace's client (a new key): re-install ours.
      if (ctx.workspace.stripe(accountId) !== existing.client) this.byAccount.delete(accountId);
      else return existing;
    }
    const key = ctx.workspace.stripeKeyFor(accountId);
    if (!key) throw new AppError('not_configured', 'No Stripe key is stored for this account. Add one in Settings.');
    const row = ctx.db.prepare('SELECT livemode FROM accounts WHERE id = ?').get(accountId) as { livemode: number } | undefined;
    const livemode = row ? row.livemode === 1 : key.startsWith('sk_live_') || key.startsWith('rk_live_');
    const o = this.pacing;
    const stats: AccountStripe['stats'] = { requests: 0, rateLimited: 0, serverErrors: 0, networkErrors: 0, recent: [] };
    ctx.redactor.remember(key);
    const { client, limiter, gauge, parallelism } = buildPacedStripe({
      key,
      apiBase: ctx.options.stripeApiBase,
      livemode,
      ratePerSecond: o.ratePerSecond ?? envNumber(ctx, 'BSC_STRIPE_RATE'),
      maxConcurrent: o.maxConcurrent ?? envNumber(ctx, 'BSC_STRIPE_CONCURRENCY'),
      endpointRatePerSecond: o.endpointRatePerSecond ?? envNumber(ctx, 'BSC_STRIPE_ENDPOINT_RATE'),
      maxRetries: o.maxRetries,
      retryBaseMs: o.retryBaseMs,
      timeoutMs: o.timeoutMs,
      guardMs: o.guardMs,
      onAttempt: ({ status, error, startedMs }) => {
        this.connectivity.observeAttempt(accountId, { status, error, startedMs });
        stats.requests++;
        stats.recent.push(Date.now());
        if (stats.recent.length > 5_000) stats.recent.splice(0, stats.recent.length - 5_000);
        if (status === 429) stats.rateLimited++;
        else if (status !== null && status >= 500) stats.serverErrors++;
        else if (error) stats.networkErrors++;
      },
    });
    ctx.workspace.setClient(accountId, client);
    const access: AccountStripe = { accountId, client, limiter, gauge, parallelism, stats, livemode };
    this.byAccount.set(accountId, access);
    return access;
  }

  /** Shutdown: stops every limiter's timer and refuses requests still waiting for a permit. */
  close(): void {
    for (const a of this.byAccount.values()) a.limiter.close(new Error('The app is closing.'));
    this.byAccount.clear();
  }
}

/** Server time of a response (the Date header), in unix seconds: the source_ts of what it carried. */
export function responseTime(obj: { lastResponse?: { headers?: Record<string, string> } } | null | undefined, fallbackMs: number): number {
  const date = obj?.lastResponse?.headers?.date;
  const ms = date ? Date.parse(date) : NaN;
  return Math.floor((Number.isFinite(ms) ? ms : fallbackMs) / 1000);
}

export const SDK_API_VERSION: string = Stripe.API_VERSION;
