import type Stripe from 'stripe';
import { responseTime } from './clients';
import { ensureProductNames } from './ensure-product-names';
import { INVOICE_PAYMENTS_EXPAND } from './fetch-objects';
import type { SyncSink } from './sink';
import { type BackfillCheckpoint, type BackfillResource, type ResourceCheckpoint, emptyCheckpoint, type SyncStateRow } from './sync-state';

export { ingestPage } from './sqlite-sink';

// The resumable backfill: every list the product reads, in pages of 100, newest first. Each page
// is written in ONE short transaction together with its checkpoint (the id to continue after), so
// a killed backfill resumes from its last committed page and a reader never waits long for the
// database. Four streams run side by side under the account's one rate budget: customers (then
// their payment methods), subscriptions (status=all), invoices, and invoice payments (the attempts
// with decline data; they may land before their invoice, which migration 003 allows).

export const PAGE_SIZE = 100;
/** Payment methods are listed customer by customer up to this many customers (else: the defaults). */
export const DEFAULT_PAYMENT_METHODS_ALL_LIMIT = 5_000;

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
}

export interface BackfillRunResult {
  ran: boolean;
  pages: number;
  objects: number;
  counts: Partial<Record<BackfillResource, number>>;
}

interface Page<T> {
  data: T[];
  has_more: boolean;
  ts: number;
}

function listParams(after: string | null): { limit: number; starting_after?: string } {
  return after ? { limit: PAGE_SIZE, starting_after: after } : { limit: PAGE_SIZE };
}

async function fetchPage(client: Stripe, resource: Exclude<BackfillResource, 'payment_methods'>, after: string | null): Promise<Page<{ id: string; created: number }>> {
  const now = Date.now();
  let page: Stripe.ApiList<{ id: string; created: number }>;
  switch (resource) {
    case 'customers':
      page = (await client.customers.list({ ...listParams(after), expand: ['data.invoice_settings.default_payment_method'] })) as never;
      break;
    case 'subscriptions':
      page = (await client.subscriptions.list({ ...listParams(after), status: 'all' })) as never;
      break;
    case 'invoices':
      page = (await client.invoices.list(listParams(after))) as never;
      break;
    case 'invoice_payments':
      page = (await client.invoicePayments.list({ ...listParams(after), expand: INVOICE_PAYMENTS_EXPAND })) as never;
      break;
  }
  return { data: page.data, has_more: page.has_more, ts: responseTime(page as never, now) };
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
  if (state.backfillComplete && !opts.full) return { ran: false, pages: 0, objects: 0, counts: {} };
  const endBulkWrites = await sink.beginBulkWrites();
  try {
    return await backfillStreams(sink, client, opts, state);
  } finally {
    await endBulkWrites();
  }
}

async function backfillStreams(sink: SyncSink, client: Stripe, opts: BackfillOptions, state: SyncStateRow): Promise<BackfillRunResult> {
  let cp: BackfillCheckpoint = !opts.full && state.backfill ? state.backfill : emptyCheckpoint(Boolean(opts.full) || Boolean(state.backfill?.full));
  if (opts.full && state.backfill?.full && !state.backfillComplete) cp = state.backfill; // resume an interrupted resync
  if (cp.startedAt === null) {
    // Where the events poller will continue: the newest event before any page is read.
    const probe = await client.events.list({ limit: 1 });
    cp.eventsCursorAtStart = probe.data[0]?.id ?? null;
    cp.eventsCursorCreatedAtStart = probe.data[0]?.created ?? null;
    cp.startedAt = responseTime(probe as never, Date.now());
    await sink.startBackfill(cp);
  }
  const result: BackfillRunResult = { ran: true, pages: 0, objects: 0, counts: {} };
  let failed: unknown = null;

  // Writes of one account are sequential (the sink's contract): each commit carries the checkpoint
  // as it stands after its page, so the last one written is always the newest.
  let commits: Promise<void> = Promise.resolve();
  const commitPage = (resource: BackfillResource, items: Array<{ id: string; created?: number }>, ts: number, nextAfter: string | null, done: boolean): Promise<void> => {
    const run = commits.then(async () => {
      const rc = checkpointOf(cp, resource);
      rc.after = nextAfter;
      rc.done = done;
      rc.pages += 1;
      rc.objects += items.length;
      const last = items[items.length - 1];
      if (last?.created != null) rc.lastCreated = last.created;
      if (rc.firstCreated == null && items[0]?.created != null) rc.firstCreated = items[0].created!;
      await sink.commitPage({ resource, items, ts, checkpoint: structuredClone(cp) });
      result.pages++;
      result.objects += items.length;
      result.counts[resource] = (result.counts[resource] ?? 0) + items.length;
      opts.onPage?.({ resource, resources: cp.resources });
    });
    commits = run.catch(() => undefined);
    return run;
  };

  const stop = () => failed !== null || opts.signal?.aborted === true;

  const listStream = async (resource: Exclude<BackfillResource, 'payment_methods'>) => {
    const rc = checkpointOf(cp, resource);
    while (!rc.done && !stop()) {
      const page = await fetchPage(client, resource, rc.after);
      if (stop()) return;
      if (resource === 'subscriptions') await ensureProductNames(sink, client, page.data as unknown as Stripe.Subscription[]);
      const last = page.data[page.data.length - 1];
      await commitPage(resource, page.data, page.ts, last ? last.id : rc.after, !page.has_more || !last);
    }
  };

  const paymentMethodStream = async () => {
    const rc = checkpointOf(cp, 'payment_methods');
    if (rc.done) return;
    const customerCount = await sink.countCustomers();
    const mode = opts.paymentMethods ?? (customerCount <= (opts.paymentMethodsAllLimit ?? DEFAULT_PAYMENT_METHODS_ALL_LIMIT) ? 'all' : 'defaults');
    if (mode === 'defaults') {
      await commitPage('payment_methods', [], cp.startedAt ?? 0, null, true);
      return;
    }
    while (!stop()) {
      const [customerId] = await sink.customerIdsAfter(rc.after, 1);
      if (!customerId) {
        await commitPage('payment_methods', [], cp.startedAt ?? 0, rc.after, true);
        return;
      }
      const items: Stripe.PaymentMethod[] = [];
      let after: string | undefined;
      let ts = 0;
      for (;;) {
        const page = await client.customers.listPaymentMethods(customerId, { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) }).catch((err: { code?: string }) => {
          if (err?.code === 'resource_missing') return null; // deleted meanwhile: its deletion event follows
          throw err;
        });
        if (!page) break;
        ts = responseTime(page as never, Date.now());
        items.push(...page.data);
        if (!page.has_more || !page.data.length) break;
        after = page.data[page.data.length - 1].id;
      }
      if (stop()) return;
      await commitPage('payment_methods', items, ts, customerId, false);
    }
  };

  const guard = (p: Promise<void>) =>
    p.catch((err) => {
      failed ??= err;
    });
  await Promise.all([
    guard(listStream('customers').then(() => (stop() ? undefined : paymentMethodStream()))),
    guard(listStream('subscriptions')),
    guard(listStream('invoices')),
    guard(listStream('invoice_payments')),
  ]);
  await commits;
  if (failed) throw failed;
  if (opts.signal?.aborted) return result;

  await sink.completeBackfill({
    checkpoint: cp,
    paymentMethodsListed: checkpointOf(cp, 'payment_methods').pages > 1,
    eventsCursor: cp.eventsCursorAtStart,
    eventsCursorCreated: cp.eventsCursorCreatedAtStart ?? cp.startedAt,
    nowMs: (opts.now ?? Date.now)(),
  });
  return result;
}
