import type Stripe from 'stripe';
import { responseTime } from './clients';
import { ensureProductNames } from './ensure-product-names';
import { INVOICE_PAYMENTS_EXPAND } from './fetch-objects';
import { missingPermission } from './permissions';
import type { SyncSink } from './sink';
import { PAGE_SIZE, advanceSlice, createdFilter, planSlices, slicesOf, splitSlice, summarize } from './slices';
import { type BackfillCheckpoint, type BackfillResource, type ResourceCheckpoint, type SliceCheckpoint, emptyCheckpoint, type SyncStateRow } from './sync-state';

export { ingestPage } from './sqlite-sink';
export { PAGE_SIZE } from './slices';

// The resumable backfill: every list the product reads, in pages of 100, newest first. At internet
// latency one page at a time per list cannot fill the rate budget (a 300 ms answer allows ~3
// pages/s per stream), so each list is cut into created-time slices (slices.ts) that are paged
// side by side, and customers' payment methods are listed several customers at once - as many
// requests in flight as the account's observed latency calls for (`parallelism`), all under the one
// rate limiter. Each page is written in ONE transaction together with the checkpoint (every
// slice's cursor), so a killed backfill resumes from its last committed pages: a finished slice is
// never read again, an unfinished one continues after its cursor. Invoice payments (the attempts
// with decline data) may land before their invoice, which migration 003 allows.
//
// A restricted key without the permission for a list leaves that list out (the checkpoint names
// the permission) and the rest carries on; the engine says in words what is missing.

/** Payment methods are listed customer by customer up to this many customers (else: the defaults). */
export const DEFAULT_PAYMENT_METHODS_ALL_LIMIT = 5_000;

type ListResource = Exclude<BackfillResource, 'payment_methods'>;
const LISTS: ListResource[] = ['customers', 'subscriptions', 'invoices', 'invoice_payments'];
/** Slices planned per list: one per this many requests worth keeping in flight. */
const REQUESTS_PER_INITIAL_SLICE = 4;
const MAX_INITIAL_SLICES = 16;

export interface BackfillOptions {
  full?: boolean;
  /** 'all': list every customer's payment methods (one request each); 'defaults': only the default
   * one that comes expanded with the customer. Default: 'all' up to 5,000 customers. */
  paymentMethods?: 'all' | 'defaults';
  paymentMethodsAllLimit?: number;
  onPage?: (info: { resource: BackfillResource; resources: BackfillCheckpoint['resources'] }) => void;
  signal?: AbortSignal;
  /** The host's clock (ms) for "last synced". */
  now?: () => number;
  /** Requests worth keeping in flight now (follows the observed latency; default 4). */
  parallelism?: () => number;
  /** The account's `created` (unix s): the oldest time slices are planned from (may still be on its way). */
  accountCreated?: number | null | Promise<number | null>;
}

export interface BackfillRunResult {
  ran: boolean;
  pages: number;
  objects: number;
  counts: Partial<Record<BackfillResource, number>>;
  /** Permissions the (restricted) key lacked: what they cover was left out. */
  missingPermissions: string[];
}

interface Page<T> {
  data: T[];
  has_more: boolean;
  ts: number;
}

type Listed = { id: string; created: number };

async function fetchPage(client: Stripe, resource: ListResource, slice: SliceCheckpoint): Promise<Page<Listed>> {
  const now = Date.now();
  const created = createdFilter(slice);
  const params = { limit: PAGE_SIZE, ...(slice.after ? { starting_after: slice.after } : {}), ...(created ? { created } : {}) };
  let page: Stripe.ApiList<Listed>;
  switch (resource) {
    case 'customers':
      page = (await client.customers.list({ ...params, expand: ['data.invoice_settings.default_payment_method'] })) as never;
      break;
    case 'subscriptions':
      page = (await client.subscriptions.list({ ...params, status: 'all' })) as never;
      break;
    case 'invoices':
      page = (await client.invoices.list(params)) as never;
      break;
    case 'invoice_payments':
      page = (await client.invoicePayments.list({ ...params, expand: INVOICE_PAYMENTS_EXPAND })) as never;
      break;
  }
  return { data: page.data, has_more: page.has_more, ts: responseTime(page as never, now) };
}

/** Every payment method of one customer (null: the customer is gone; its deletion event follows). */
async function fetchPaymentMethods(client: Stripe, customerId: string): Promise<{ items: Stripe.PaymentMethod[]; ts: number } | null> {
  const items: Stripe.PaymentMethod[] = [];
  let after: string | undefined;
  let ts = 0;
  for (;;) {
    const page = await client.customers.listPaymentMethods(customerId, { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) }).catch((err: { code?: string }) => {
      if (err?.code === 'resource_missing') return null;
      throw err;
    });
    if (!page) return items.length ? { items, ts } : null;
    ts = responseTime(page as never, Date.now());
    items.push(...page.data);
    if (!page.has_more || !page.data.length) return { items, ts };
    after = page.data[page.data.length - 1].id;
  }
}

function checkpointOf(cp: BackfillCheckpoint, r: BackfillResource): ResourceCheckpoint {
  return (cp.resources[r] ??= { after: null, done: false, pages: 0, objects: 0, lastCreated: null, firstCreated: null });
}

/**
 * Runs (or resumes) the backfill of one account into `sink`. Returns ran=false when the sink is
 * already backfilled and no full resync was asked for.
 */
export async function runBackfill(sink: SyncSink, client: Stripe, opts: BackfillOptions = {}): Promise<BackfillRunResult> {
  const state = await sink.readState();
  if (state.backfillComplete && !opts.full) return { ran: false, pages: 0, objects: 0, counts: {}, missingPermissions: [] };
  const endBulkWrites = await sink.beginBulkWrites();
  try {
    return await new Backfill(sink, client, opts).run(state);
  } finally {
    await endBulkWrites();
  }
}

/** Payment methods of the customers, in ascending id order, committed in that order. */
interface PaymentMethodWalk {
  mode: 'all' | 'defaults';
  /** Ids loaded from the sink and not yet started. */
  pending: string[];
  /** The last id loaded (the next load starts after it). */
  loadedUpTo: string | null;
  exhausted: boolean;
  /** Started, in id order: the result once fetched. */
  started: Array<{ id: string; result?: { items: Stripe.PaymentMethod[]; ts: number } | null }>;
}

class Backfill {
  private cp!: BackfillCheckpoint;
  private readonly result: BackfillRunResult = { ran: true, pages: 0, objects: 0, counts: {}, missingPermissions: [] };
  private failed: unknown = null;
  /** Slices with a page in flight (each slice is paged one page at a time). */
  private readonly busy = new Set<SliceCheckpoint>();
  private readonly jobs = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private commits: Promise<void> = Promise.resolve();
  private pm: PaymentMethodWalk | null = null;
  private nextList = 0;
  private accountCreated: number | null = null;

  constructor(
    private readonly sink: SyncSink,
    private readonly client: Stripe,
    private readonly opts: BackfillOptions,
  ) {}

  private get parallelism(): number {
    return Math.max(1, Math.floor(this.opts.parallelism?.() ?? 4));
  }

  private stopped(): boolean {
    return this.failed !== null || this.opts.signal?.aborted === true;
  }

  private deny(permission: string): void {
    if (!this.result.missingPermissions.includes(permission)) this.result.missingPermissions.push(permission);
  }

  async run(state: SyncStateRow): Promise<BackfillRunResult> {
    const opts = this.opts;
    let cp: BackfillCheckpoint = !opts.full && state.backfill ? state.backfill : emptyCheckpoint(Boolean(opts.full) || Boolean(state.backfill?.full));
    if (opts.full && state.backfill?.full && !state.backfillComplete) cp = state.backfill; // resume an interrupted resync
    this.cp = cp;
    if (cp.startedAt === null) {
      // Where the events poller will continue: the newest event before any page is read.
      try {
        const probe = await this.client.events.list({ limit: 1 });
        cp.eventsCursorAtStart = probe.data[0]?.id ?? null;
        cp.eventsCursorCreatedAtStart = probe.data[0]?.created ?? null;
        cp.startedAt = responseTime(probe as never, Date.now());
      } catch (err) {
        const permission = missingPermission(err);
        if (!permission) throw err;
        // No events for this key: the poller will say so; the backfill still fills the cache.
        this.deny(permission);
        cp.startedAt = Math.floor(Date.now() / 1000);
      }
      await this.sink.startBackfill(cp);
    }
    for (const rc of Object.values(cp.resources)) if (rc?.denied) this.deny(rc.denied);
    this.accountCreated = (await opts.accountCreated) ?? null;
    const top = cp.startedAt;
    const perList = Math.min(MAX_INITIAL_SLICES, Math.max(1, Math.round(this.parallelism / REQUESTS_PER_INITIAL_SLICE)));
    for (const r of LISTS) slicesOf(checkpointOf(cp, r), () => planSlices(perList, this.accountCreated, top));

    await this.schedule();
    await Promise.allSettled([...this.jobs]);
    await this.commits;
    if (this.failed) throw this.failed;
    if (opts.signal?.aborted) return this.result;

    const pmCheckpoint = checkpointOf(cp, 'payment_methods');
    await this.sink.completeBackfill({
      checkpoint: cp,
      paymentMethodsListed: pmCheckpoint.pages > 1 && !pmCheckpoint.denied,
      eventsCursor: cp.eventsCursorAtStart,
      eventsCursorCreated: cp.eventsCursorCreatedAtStart ?? cp.startedAt,
      nowMs: (opts.now ?? Date.now)(),
      missingPermissions: this.result.missingPermissions,
    });
    return this.result;
  }

  /** Keeps `parallelism` requests' worth of work going until every list and the payment methods are done. */
  private async schedule(): Promise<void> {
    for (;;) {
      if (this.stopped()) return;
      if (checkpointOf(this.cp, 'customers').done && !checkpointOf(this.cp, 'payment_methods').done) await this.preparePaymentMethods();
      while (this.jobs.size < this.parallelism) {
        const job = this.nextJob();
        if (!job) break;
        const p: Promise<void> = job()
          .catch((err) => {
            this.failed ??= err;
          })
          .finally(() => {
            this.jobs.delete(p);
            this.wake?.();
          });
        this.jobs.add(p);
      }
      if (this.jobs.size === 0) {
        // Nothing in flight and nothing to start: done, or only the payment methods' closing page is due.
        if (this.pm && this.pm.exhausted && !this.pm.pending.length && !this.pm.started.length && !checkpointOf(this.cp, 'payment_methods').done) {
          await this.commit(() => {
            const rc = checkpointOf(this.cp, 'payment_methods');
            rc.done = true;
            rc.pages += 1;
            return { resource: 'payment_methods', items: [], ts: this.cp.startedAt ?? 0 };
          });
          continue;
        }
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** The next piece of work: a page of a slice with none in flight (lists in turn), else a customer's payment methods. */
  private nextJob(): (() => Promise<void>) | null {
    for (let k = 0; k < LISTS.length; k++) {
      const resource = LISTS[(this.nextList + k) % LISTS.length];
      const rc = checkpointOf(this.cp, resource);
      if (rc.done) continue;
      const slice = rc.slices!.find((s) => !s.done && !this.busy.has(s));
      if (!slice) continue;
      this.nextList = (this.nextList + k + 1) % LISTS.length;
      this.busy.add(slice);
      return () => this.listPage(resource, slice).finally(() => this.busy.delete(slice));
    }
    const pm = this.pm;
    if (pm && pm.mode === 'all' && pm.pending.length) {
      const entry: PaymentMethodWalk['started'][number] = { id: pm.pending.shift()! };
      pm.started.push(entry);
      return () => this.paymentMethodsOf(entry);
    }
    return null;
  }

  /** Requests that could start now besides a split (one per unfinished, idle slice; waiting customers). */
  private openWork(): number {
    let n = 0;
    for (const r of LISTS) for (const s of checkpointOf(this.cp, r).slices ?? []) if (!s.done) n++;
    return n + (this.pm?.pending.length ?? 0);
  }

  private async listPage(resource: ListResource, slice: SliceCheckpoint): Promise<void> {
    const rc = checkpointOf(this.cp, resource);
    let page: Page<Listed>;
    try {
      page = await fetchPage(this.client, resource, slice);
    } catch (err) {
      const permission = missingPermission(err);
      if (!permission) throw err;
      this.deny(permission);
      if (rc.denied) return;
      await this.commit(() => {
        rc.denied = permission;
        summarize(rc);
        return { resource, items: [], ts: this.cp.startedAt ?? 0 };
      });
      return;
    }
    if (this.stopped()) return;
    if (resource === 'subscriptions') {
      const denied = await ensureProductNames(this.sink, this.client, page.data as unknown as Stripe.Subscription[]);
      if (denied) this.deny(denied);
    }
    await this.commit(() => {
      advanceSlice(slice, page.data, page.has_more);
      // Work for another stream while there is room for one: split what this slice has left.
      summarize(rc);
      if (!slice.done && this.openWork() < this.parallelism) splitSlice(rc.slices!, slice, this.accountCreated, rc.firstCreated);
      return { resource, items: page.data, ts: page.ts };
    });
  }

  /** Decides how payment methods are read (once customers are done) and keeps customer ids loaded. */
  private async preparePaymentMethods(): Promise<void> {
    const rc = checkpointOf(this.cp, 'payment_methods');
    if (!this.pm) {
      const customers = await this.sink.countCustomers();
      const mode = this.opts.paymentMethods ?? (customers <= (this.opts.paymentMethodsAllLimit ?? DEFAULT_PAYMENT_METHODS_ALL_LIMIT) ? 'all' : 'defaults');
      this.pm = { mode, pending: [], loadedUpTo: rc.after, exhausted: mode === 'defaults' || Boolean(rc.denied), started: [] };
    }
    const pm = this.pm;
    if (pm.exhausted || pm.pending.length >= this.parallelism * 2) return;
    const ids = await this.sink.customerIdsAfter(pm.loadedUpTo, Math.max(100, this.parallelism * 4));
    pm.pending.push(...ids);
    if (ids.length) pm.loadedUpTo = ids[ids.length - 1];
    else pm.exhausted = true;
  }

  private async paymentMethodsOf(entry: PaymentMethodWalk['started'][number]): Promise<void> {
    const pm = this.pm!;
    try {
      entry.result = await fetchPaymentMethods(this.client, entry.id);
    } catch (err) {
      const permission = missingPermission(err);
      if (!permission) throw err;
      // Without PaymentMethods: Read only the defaults (expanded on each customer) are kept.
      this.deny(permission);
      pm.pending.length = 0;
      pm.started.length = 0;
      pm.exhausted = true;
      const rc = checkpointOf(this.cp, 'payment_methods');
      if (!rc.denied)
        await this.commit(() => {
          rc.denied = permission;
          return { resource: 'payment_methods', items: [], ts: this.cp.startedAt ?? 0 };
        });
      return;
    }
    if (this.stopped()) return;
    // Committed in id order (the checkpoint is "every customer up to this id"): whatever has
    // arrived at the head of the line goes in one transaction.
    await this.commit(() => {
      const ready: typeof pm.started = [];
      while (pm.started.length && pm.started[0].result !== undefined) ready.push(pm.started.shift()!);
      if (!ready.length) return null;
      const rc = checkpointOf(this.cp, 'payment_methods');
      const items = ready.flatMap((e) => e.result?.items ?? []);
      rc.after = ready[ready.length - 1].id;
      rc.pages += ready.length;
      rc.objects += items.length;
      return { resource: 'payment_methods', items, ts: Math.max(...ready.map((e) => e.result?.ts ?? 0)) };
    });
  }

  /**
   * Writes of one account are sequential (the sink's contract): `change` updates the checkpoint
   * in memory and names the page it goes with, then the page and a copy of the whole checkpoint
   * are committed together. `change` returning null: nothing to write this time.
   */
  private commit(change: () => { resource: BackfillResource; items: Array<{ id: string; created?: number }>; ts: number } | null): Promise<void> {
    const run = this.commits.then(async () => {
      if (this.failed) return;
      const page = change();
      if (!page) return;
      await this.sink.commitPage({ ...page, checkpoint: structuredClone(this.cp) });
      this.result.pages++;
      this.result.objects += page.items.length;
      this.result.counts[page.resource] = (this.result.counts[page.resource] ?? 0) + page.items.length;
      this.opts.onPage?.({ resource: page.resource, resources: this.cp.resources });
    });
    this.commits = run.catch(() => undefined);
    return run;
  }
}
