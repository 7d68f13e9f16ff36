import type Stripe from 'stripe';
import type { SyncStatus } from '../../../shared/contract/sync';
import type { SyncProgress } from '../../../shared/contract/streams';
import type { ServiceContext } from '../core/context';
import { recentRate, type AccountStripe } from './clients';
import { DEFAULT_PAYMENT_METHODS_ALL_LIMIT, runBackfill, type BackfillOptions, type BackfillRunResult } from './backfill';
import { etaSeconds, remainingRequests } from './eta';
import { CursorLostError, pollEvents } from './events-poller';
import { missingPermission, missingPermissionWords } from './permissions';
import { DEFAULT_POLL_SCHEDULE, nextPollDelay, type PollSchedule } from './poll-schedule';
import type { SyncSink } from './sink';
import { SqliteSyncSink } from './sqlite-sink';
import { emptyCheckpoint, readSyncState, type BackfillCheckpoint } from './sync-state';

// The sync of one account: backfill when the cache has not been filled (or a resync is due), then
// the events poller. `syncOnce` is one complete pass (the CLI's `sync`); `watch` keeps polling on
// the schedule of poll-schedule.ts (250 ms after a change, backing off to 1.5 s when idle, up to
// 30 s while Stripe cannot be reached - the cache is kept and the error recorded meanwhile).

export interface SyncPassResult {
  backfill: BackfillRunResult | null;
  eventsApplied: number;
  resynced: boolean;
  /** Permissions the (restricted) key lacks: what they cover is not in the cache (see permissions.ts). */
  missingPermissions: string[];
}

export type WatchOptions = Partial<PollSchedule>;

function describe(err: unknown): string {
  if (err instanceof CursorLostError) return err.message;
  const permission = missingPermission(err);
  if (permission) return missingPermissionWords([permission]).replace('Everything else is synced. ', '');
  const e = err as { type?: string; message?: string; code?: string };
  if (e?.type === 'StripeConnectionError') return 'Stripe could not be reached (network). Showing cached data; retrying automatically.';
  if (e?.type === 'StripeAuthenticationError') return 'Stripe rejected the API key. Check the key in Settings.';
  if (e?.type === 'StripeRateLimitError') return 'Stripe kept rate limiting the sync; it will retry shortly.';
  return e?.message ? `Sync failed: ${e.message}` : 'Sync failed.';
}

function isOffline(err: unknown): boolean {
  const t = (err as { type?: string })?.type;
  return t === 'StripeConnectionError' || t === 'StripeAPIError' || t === 'StripeRateLimitError';
}

export class AccountSync {
  private pass: Promise<SyncPassResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watching = false;
  private abort: AbortController | null = null;
  private progress: SyncProgress;
  private accountCreated: number | null = null;
  private passStartedMs = 0;
  private readonly access: AccountStripe;
  /** Where the sync writes (the desk's SQLite cache unless another sink is given). */
  readonly sink: SyncSink;
  lastResult: SyncPassResult | null = null;
  /** Events applied by every completed pass of this engine (the CLI's `events_applied`). */
  eventsAppliedTotal = 0;

  constructor(
    private readonly ctx: ServiceContext,
    readonly accountId: string,
    private readonly backfillOptions: Omit<BackfillOptions, 'full' | 'onPage' | 'signal'> = {},
    sink?: SyncSink,
  ) {
    this.access = ctx.registries.stripeClients.forAccount(accountId);
    this.sink = sink ?? new SqliteSyncSink(ctx, accountId);
    this.progress = { accountId, phase: 'idle', objects: 0, pages: 0, requestsPerSecond: 0, etaSeconds: null };
  }

  get client(): Stripe {
    return this.access.client;
  }

  get stats(): AccountStripe['stats'] {
    return this.access.stats;
  }

  get running(): boolean {
    return this.pass !== null;
  }

  status(): SyncStatus {
    const s = readSyncState(this.ctx.db, this.accountId);
    return {
      accountId: this.accountId,
      running: this.running || this.watching,
      backfillComplete: s.backfillComplete,
      lastSyncedAt: s.lastSyncedAtMs,
      lastError: s.lastError,
      progress: this.progress,
    };
  }

  private emitProgress(p: Partial<SyncProgress>): void {
    this.progress = { ...this.progress, ...p, accountId: this.accountId, requestsPerSecond: this.requestRate() };
    this.ctx.hub.emit('sync.progress', this.progress);
  }

  /** Requests per second over the last 5 s, or since the pass began when that is shorter. */
  private requestRate(): number {
    const now = Date.now();
    return recentRate(this.access.stats, now, Math.min(5_000, Math.max(1_000, now - this.passStartedMs)));
  }

  /** Seconds left in a backfill: remaining requests (eta.ts) at the rate the sync gets. */
  private eta(resources: BackfillCheckpoint['resources']): number | null {
    if (!this.accountCreated) return null;
    const o = this.backfillOptions;
    const pmLimit = o.paymentMethods === 'all' ? Infinity : o.paymentMethods === 'defaults' ? 0 : (o.paymentMethodsAllLimit ?? DEFAULT_PAYMENT_METHODS_ALL_LIMIT);
    return etaSeconds(remainingRequests(resources, this.accountCreated, pmLimit), this.requestRate(), this.access.limiter.ratePerSecond);
  }

  /** One complete pass: backfill if needed (or `full`), then events until caught up. */
  syncOnce(opts: { full?: boolean } = {}): Promise<SyncPassResult> {
    if (this.pass) return this.pass.then(() => this.syncOnce(opts));
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.pass = this.runPass(opts.full ?? false, signal).finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  private async runPass(full: boolean, signal: AbortSignal): Promise<SyncPassResult> {
    const out: SyncPassResult = { backfill: null, eventsApplied: 0, resynced: false, missingPermissions: [] };
    this.passStartedMs = Date.now();
    const missing = new Set<string>();
    // A key without Events: Read can still fill the cache; it cannot follow changes, and says so.
    const events = async () => {
      try {
        out.eventsApplied += await this.events(signal, missing);
      } catch (err) {
        const permission = missingPermission(err);
        if (!permission) throw err;
        missing.add(permission);
      }
    };
    try {
      out.backfill = await this.backfill(full, signal);
      if (signal.aborted) return out;
      try {
        await events();
      } catch (err) {
        if (!(err instanceof CursorLostError)) throw err;
        // The cursor is gone: everything again, then continue from the new cursor.
        this.ctx.log.warn('events cursor lost; resyncing the account', { accountId: this.accountId, reason: err.message });
        await this.sink.requireResync(emptyCheckpoint(true));
        out.resynced = true;
        out.backfill = await this.backfill(true, signal);
        if (!signal.aborted) await events();
      }
      for (const p of (await this.sink.readState()).missingPermissions) missing.add(p);
      for (const p of out.backfill?.missingPermissions ?? []) missing.add(p);
      out.missingPermissions = [...missing];
      const words = missing.size ? missingPermissionWords(out.missingPermissions) : undefined;
      if (!signal.aborted) {
        await this.sink.markSynced(this.ctx.now());
        // Synced, but not everything: the words stay where the status shows them.
        if (words) await this.sink.recordError(words);
      }
      if (words) this.ctx.log.warn('the Stripe key lacks permissions; synced the rest', { accountId: this.accountId, missing: out.missingPermissions });
      this.lastResult = out;
      this.eventsAppliedTotal += out.eventsApplied;
      this.emitProgress({ phase: 'idle', resource: undefined, etaSeconds: null, message: words });
      return out;
    } catch (err) {
      const message = describe(err);
      await this.sink.recordError(message).catch((e) => this.ctx.log.warn('could not record the sync error', { accountId: this.accountId, error: String(e) }));
      this.emitProgress({ phase: isOffline(err) ? 'offline' : 'error', message, etaSeconds: null });
      throw err;
    }
  }

  private async backfill(full: boolean, signal: AbortSignal): Promise<BackfillRunResult | null> {
    const state = await this.sink.readState();
    if (state.backfillComplete && !full) return null;
    // The account's creation plans the slices and the ETA; it is asked for beside the backfill's
    // first request rather than before it (one round trip less at internet latency).
    const accountCreated =
      this.accountCreated !== null
        ? Promise.resolve(this.accountCreated)
        : this.client.accounts.retrieveCurrent().then(
            (a) => (this.accountCreated = a.created ?? null),
            () => null, // the ETA and the slice plan do without it
          );
    let pages = 0;
    this.emitProgress({ phase: 'backfill', objects: 0, pages: 0, etaSeconds: null, message: full ? 'Resyncing everything' : undefined });
    return runBackfill(this.sink, this.client, {
      ...this.backfillOptions,
      full,
      signal,
      now: this.ctx.now,
      parallelism: this.access.parallelism,
      accountCreated,
      onPage: ({ resource, resources }) => {
        pages++;
        const objects = Object.values(resources).reduce((s, c) => s + (c?.objects ?? 0), 0);
        this.emitProgress({ phase: 'backfill', resource, pages, objects, etaSeconds: this.eta(resources) });
      },
    });
  }

  private async events(signal: AbortSignal, missing?: Set<string>): Promise<number> {
    let applied = 0;
    const r = await pollEvents(this.sink, this.client, {
      signal,
      now: this.ctx.now,
      onBatch: (n) => {
        applied += n;
        this.emitProgress({ phase: 'events', resource: 'events', objects: applied, pages: 0, etaSeconds: null });
      },
    });
    for (const p of r.missingPermissions) missing?.add(p);
    return r.applied;
  }

  /** Keeps the account in step until stop(). */
  watch(opts: WatchOptions = {}): void {
    if (this.watching) return;
    this.watching = true;
    const schedule: PollSchedule = {
      activeIntervalMs: opts.activeIntervalMs ?? DEFAULT_POLL_SCHEDULE.activeIntervalMs,
      idleMaxIntervalMs: opts.idleMaxIntervalMs ?? DEFAULT_POLL_SCHEDULE.idleMaxIntervalMs,
      offlineMaxIntervalMs: opts.offlineMaxIntervalMs ?? DEFAULT_POLL_SCHEDULE.offlineMaxIntervalMs,
    };
    let interval = schedule.activeIntervalMs;
    const tick = async () => {
      this.timer = null;
      if (!this.watching) return;
      try {
        const r = await this.syncOnce();
        const changed = r.eventsApplied > 0 || (r.backfill?.objects ?? 0) > 0;
        interval = nextPollDelay(interval, changed ? 'changed' : 'idle', schedule);
      } catch (err) {
        interval = nextPollDelay(interval, 'failed', schedule);
        this.ctx.log.warn('sync pass failed; will retry', { accountId: this.accountId, retryInMs: interval, error: describe(err) });
      }
      if (this.watching) this.timer = setTimeout(() => void tick(), interval);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  async stop(): Promise<void> {
    this.watching = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    // A request in flight finishes on its own; shutdown does not wait for a slow network.
    if (this.pass) await Promise.race([this.pass.catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
  }
}
