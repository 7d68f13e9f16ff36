import type pg from 'pg';
import type Stripe from 'stripe';
import type { Logger } from '../../services/core/log';
import { runBackfill, type BackfillOptions } from '../../services/sync/backfill';
import { SDK_API_VERSION } from '../../services/sync/clients';
import { ensureProductNames } from '../../services/sync/ensure-product-names';
import { CursorLostError, pollEvents } from '../../services/sync/events-poller';
import { fetchRefs } from '../../services/sync/fetch-objects';
import { emptyCheckpoint } from '../../services/sync/sync-state';
import type { FeedStore } from '../stores/feed';
import { PgWebhookInbox, WEBHOOK_CHANNEL } from '../stores/webhook-inbox';
import { ensureSyncState, LeaseLostError, PgSyncSink } from './pg-sink';
import { WriterLease } from './writer-lease';

// The sync of one Stripe account on the team server. Every instance runs one of these per account;
// only the holder of the account's writer lease talks to Stripe. The writer: backfills (resuming
// from the checkpoint another writer left), applies webhook deliveries as they arrive (woken by
// NOTIFY on its lease connection, with a slow check of the inbox as a safety net), and polls the
// Events API at a slow cadence to catch what Stripe never delivered. The others try to take the
// lease every `leaseRetryMs`, so a dead writer is replaced within that (plus PostgreSQL noticing
// the dead session, immediate when the process dies). All writes go through the fenced sink.

export interface AccountSyncOptions {
  pool: pg.Pool;
  feed: Pick<FeedStore, 'append'>;
  connectionString: string;
  accountId: string;
  instanceId: string;
  client: Stripe;
  /** Requests worth keeping in flight (the paced client's latency gauge); the backfill plans from it. */
  parallelism?: () => number;
  log: Logger;
  /** How often a follower tries to take the lease (default 2 s: takeover well within 10 s). */
  leaseRetryMs?: number;
  /** The lease heartbeat's expiry (default LEASE_TTL_MS): a stuck writer is replaced after about this plus leaseRetryMs. */
  leaseTtlMs?: number;
  /**
   * A writer busy this long without committing anything gives its lease up (default 45 s: longer
   * than one Stripe request's timeout and its retry, so a slow but answering Stripe keeps it).
   */
  stallMs?: number;
  /** The events poll, the safety net under webhooks (default 60 s). */
  pollIntervalMs?: number;
  /** The inbox is checked this often even without a NOTIFY (default 5 s). */
  inboxCheckMs?: number;
  backfill?: Omit<BackfillOptions, 'full' | 'signal' | 'onPage'>;
  now?: () => number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

export class AccountSync {
  private readonly lease: WriterLease;
  private readonly inbox: PgWebhookInbox;
  private readonly stopping = new AbortController();
  private leaderAbort: AbortController | null = null;
  private wake: (() => void) | null = null;
  /** A wake-up came while the writer was busy: the next wait returns at once. */
  private woken = false;
  private loop: Promise<void> | null = null;
  private lastPollMs = 0;
  /** The writer's last sign of progress (a committed write, a pass started) and whether it is waiting for work. */
  private lastProgressMs = Date.now();
  private idle = false;
  private pollRequested = false;
  /** Webhook events applied by this instance (tests, bench). */
  webhookEventsApplied = 0;
  pollEventsApplied = 0;

  constructor(private readonly o: AccountSyncOptions) {
    this.inbox = new PgWebhookInbox(o.pool);
    this.lease = new WriterLease({
      connectionString: o.connectionString,
      accountId: o.accountId,
      instanceId: o.instanceId,
      listen: { channel: WEBHOOK_CHANNEL, onNotify: (payload) => payload === o.accountId && this.nudge() },
      ttlMs: o.leaseTtlMs,
      healthy: () => this.idle || Date.now() - this.lastProgressMs < (o.stallMs ?? 45_000),
    });
    this.lease.onLost((reason) => {
      o.log.warn('team sync: lost the writer lease', { accountId: o.accountId, reason });
      this.leaderAbort?.abort();
    });
  }

  get leader(): boolean {
    return this.lease.held;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private nudge(): void {
    if (this.wake) this.wake();
    else this.woken = true;
  }

  /** Runs a poll at the next opportunity (an admin's "sync now"). */
  pollSoon(): void {
    this.pollRequested = true;
    this.nudge();
  }

  private async run(): Promise<void> {
    await ensureSyncState(this.o.pool, this.o.accountId);
    const stop = this.stopping.signal;
    while (!stop.aborted) {
      let got = false;
      try {
        got = await this.lease.tryAcquire();
      } catch (err) {
        this.o.log.warn('team sync: could not reach the database for the writer lease', { accountId: this.o.accountId, error: (err as Error).message });
      }
      if (!got) {
        await sleep(this.o.leaseRetryMs ?? 2_000, stop);
        continue;
      }
      this.o.log.info('team sync: this instance is the sync writer', { accountId: this.o.accountId, epoch: this.lease.epoch });
      await this.lead(this.lease.epoch!);
      await this.lease.release();
    }
  }

  /** One tenure as the writer; returns when the lease is lost or the sync stops. */
  private async lead(epoch: number): Promise<void> {
    const abort = (this.leaderAbort = new AbortController());
    const stopAll = () => abort.abort();
    this.stopping.signal.addEventListener('abort', stopAll);
    const signal = abort.signal;
    const sink = new PgSyncSink(this.o.pool, this.o.feed, this.o.accountId, epoch, () => (this.lastProgressMs = Date.now()));
    this.lastProgressMs = Date.now();
    let failures = 0;
    try {
      while (!signal.aborted) {
        this.lastProgressMs = Date.now();
        try {
          await this.backfillIfNeeded(sink, signal);
          await this.applyWebhooks(sink, signal);
          if (!signal.aborted && (this.pollRequested || Date.now() - this.lastPollMs >= (this.o.pollIntervalMs ?? 60_000))) {
            this.pollRequested = false;
            this.lastPollMs = Date.now();
            await this.poll(sink, signal);
          }
          failures = 0;
          // Until the next poll is due (measured from the last one's start, so a change is polled
          // within one interval), a delivery is announced, or the inbox's safety check.
          const nextPollInMs = Math.max(0, this.lastPollMs + (this.o.pollIntervalMs ?? 60_000) - Date.now());
          await this.waitForWork(Math.min(this.o.inboxCheckMs ?? 5_000, nextPollInMs), signal);
        } catch (err) {
          if (err instanceof LeaseLostError || signal.aborted) return;
          failures++;
          const retryMs = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
          this.o.log.warn('team sync pass failed; retrying', { accountId: this.o.accountId, retryInMs: retryMs, error: (err as Error).message });
          await sink.recordError(`Sync failed: ${(err as Error).message}`).catch(() => {});
          await sleep(retryMs, signal);
        }
      }
    } finally {
      this.stopping.signal.removeEventListener('abort', stopAll);
      this.leaderAbort = null;
    }
  }

  /** Sleeps until a delivery is announced, `ms` passes or the tenure ends; a call announced while busy counts. */
  private waitForWork(ms: number, signal: AbortSignal): Promise<void> {
    if (this.woken || signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    this.idle = true;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.wake = null;
        this.woken = false;
        this.idle = false;
        this.lastProgressMs = Date.now();
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
      signal.addEventListener('abort', finish);
    });
  }

  private async backfillIfNeeded(sink: PgSyncSink, signal: AbortSignal, full = false): Promise<void> {
    const state = await sink.readState();
    if (state.backfillComplete && !full) return;
    await runBackfill(sink, this.o.client, { ...this.o.backfill, full, signal, now: this.o.now, parallelism: this.o.parallelism });
  }

  private async poll(sink: PgSyncSink, signal: AbortSignal): Promise<void> {
    try {
      // Counted as each batch commits (a reader may see the mirror change before the pass ends).
      await pollEvents(sink, this.o.client, { signal, now: this.o.now, onBatch: (n) => void (this.pollEventsApplied += n) });
    } catch (err) {
      if (!(err instanceof CursorLostError)) throw err;
      this.o.log.warn('events cursor lost; resyncing the account', { accountId: this.o.accountId, reason: err.message });
      await sink.requireResync(emptyCheckpoint(true));
      await this.backfillIfNeeded(sink, signal, true);
    }
  }

  /** Deliveries in causal order (created, then id), a batch at a time, with the poll's guards. */
  private async applyWebhooks(sink: PgSyncSink, signal: AbortSignal): Promise<void> {
    const subscriptionsOf = (objects: unknown[]) => objects.filter((o): o is Stripe.Subscription => (o as { object?: string } | null)?.object === 'subscription');
    while (!signal.aborted) {
      const events = await this.inbox.next(this.o.accountId, 100);
      if (!events.length) return;
      await ensureProductNames(sink, this.o.client, subscriptionsOf(events.map((e) => e.data.object)));
      const outcome = await sink.applyEventPayloads(events, SDK_API_VERSION);
      const fetched = await fetchRefs(this.o.client, outcome.refetch);
      await ensureProductNames(sink, this.o.client, subscriptionsOf(fetched.map((f) => f.object)));
      await sink.finishWebhookBatch({ fresh: outcome.fresh, fetched, delivered: events.map((e) => e.id) });
      this.webhookEventsApplied += outcome.fresh.length;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop?.catch(() => {});
    await this.lease.release();
  }
}
