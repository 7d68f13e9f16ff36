import type Stripe from 'stripe';
import { responseTime, SDK_API_VERSION } from './clients';
import { ensureProductNames } from './ensure-product-names';
import { fetchRefs } from './fetch-objects';
import type { SyncSink } from './sink';

// One pass of the incremental sync: from the last applied event forward in time. Stripe lists
// events newest first; `ending_before=<cursor>` returns the page right after the cursor, and the
// pages are walked forward (each page reversed into chronological order). Each page is applied,
// re-fetches done, and the cursor moved, before the next page is read.

export const EVENT_RETENTION_SECONDS = 30 * 86_400;
export const EVENTS_PAGE_SIZE = 100;
/** Time mode re-reads this much before the known time (deduplicated by event id). */
export const TIME_MODE_OVERLAP_SECONDS = 60;
/** A cursor event older than this is dropped for time mode while the account is quiet. */
export const TIME_MODE_SWITCH_AGE_SECONDS = 25 * 86_400;

export interface EventsPassResult {
  applied: number;
  batches: number;
  refetched: number;
  /** The cursor is older than Stripe's retention or unknown to Stripe: a full resync is needed. */
  resyncNeeded: boolean;
  /** Permissions the key lacked on the way (product names for subscriptions in events). */
  missingPermissions: string[];
}

export class CursorLostError extends Error {
  constructor(readonly cursor: string) {
    super(`The events cursor ${cursor} is no longer known to Stripe (older than 30 days or deleted)`);
    this.name = 'CursorLostError';
  }
}

function isMissing(err: unknown): boolean {
  return (err as { code?: string })?.code === 'resource_missing';
}

/** Every event created at or after `since`, in chronological order (time mode). */
async function eventsSince(client: Stripe, since: number): Promise<{ events: Stripe.Event[]; ts: number }> {
  const events: Stripe.Event[] = [];
  let after: string | undefined;
  let ts = Math.floor(Date.now() / 1000);
  for (;;) {
    const page = await client.events.list({ limit: EVENTS_PAGE_SIZE, created: { gte: since }, ...(after ? { starting_after: after } : {}) });
    ts = responseTime(page as never, Date.now());
    events.push(...page.data);
    if (!page.has_more || !page.data.length) break;
    after = page.data[page.data.length - 1].id;
  }
  return { events: events.reverse(), ts };
}

/**
 * Two ways to know where to continue, both in sync_state:
 * - cursor mode: events_cursor is the last applied event; pages after it are read with
 *   ending_before. An unknown cursor (resource_missing) means Stripe lost it: resync.
 * - time mode: no cursor, events_cursor_created is the server time up to which every event is
 *   applied; events created since (minus a minute of overlap, deduplicated by id) are read.
 *   A quiet account switches to time mode before its last event ages out of the 30 days, so a
 *   cursor expiring while nothing happened does not force a resync. If the known time itself is
 *   older than the retention, events may have been lost: resync.
 */
export async function pollEvents(sink: SyncSink, client: Stripe, opts: { signal?: AbortSignal; onBatch?: (applied: number) => void; now?: () => number } = {}): Promise<EventsPassResult> {
  const result: EventsPassResult = { applied: 0, batches: 0, refetched: 0, resyncNeeded: false, missingPermissions: [] };
  const noteDenied = (permission: string | null) => {
    if (permission && !result.missingPermissions.includes(permission)) result.missingPermissions.push(permission);
  };
  const now = opts.now ?? Date.now;
  const state = await sink.readState();
  let cursor = state.eventsCursor;

  const subscriptionsOf = (objects: unknown[]) => objects.filter((o): o is Stripe.Subscription => (o as { object?: string } | null)?.object === 'subscription');

  const applyBatch = async (events: Stripe.Event[]) => {
    noteDenied(await ensureProductNames(sink, client, subscriptionsOf(events.map((e) => e.data.object))));
    const outcome = await sink.applyEventPayloads(events, SDK_API_VERSION);
    const fetched = await fetchRefs(client, outcome.refetch);
    noteDenied(await ensureProductNames(sink, client, subscriptionsOf(fetched.map((f) => f.object))));
    const newest = events[events.length - 1];
    await sink.finishEventBatch({ fresh: outcome.fresh, fetched, cursor: { id: newest.id, created: newest.created }, nowMs: now() });
    result.applied += outcome.fresh.length;
    result.refetched += fetched.length;
    result.batches++;
    opts.onBatch?.(outcome.fresh.length);
    cursor = newest.id;
  };

  if (!cursor) {
    const since = state.eventsCursorCreated ?? 0;
    const { events, ts } = await eventsSince(client, Math.max(0, since - TIME_MODE_OVERLAP_SECONDS));
    if (since < ts - EVENT_RETENTION_SECONDS + TIME_MODE_OVERLAP_SECONDS) throw new CursorLostError(`time ${since}`);
    for (let i = 0; i < events.length && !opts.signal?.aborted; i += EVENTS_PAGE_SIZE) await applyBatch(events.slice(i, i + EVENTS_PAGE_SIZE));
    if (!events.length) await sink.writeKnownUpTo(Math.max(since, ts - TIME_MODE_OVERLAP_SECONDS));
    await sink.pruneAppliedEvents(ts - EVENT_RETENTION_SECONDS - 86_400);
    return result;
  }

  while (!opts.signal?.aborted) {
    let page: Stripe.ApiList<Stripe.Event>;
    try {
      page = await client.events.list({ limit: EVENTS_PAGE_SIZE, ending_before: cursor });
    } catch (err) {
      if (isMissing(err)) throw new CursorLostError(cursor);
      throw err;
    }
    if (!page.data.length) {
      const serverNow = responseTime(page as never, Date.now());
      const cursorCreated = (await sink.readState()).eventsCursorCreated ?? serverNow;
      if (cursorCreated < serverNow - TIME_MODE_SWITCH_AGE_SECONDS) await sink.writeKnownUpTo(serverNow - TIME_MODE_OVERLAP_SECONDS);
      await sink.pruneAppliedEvents(serverNow - EVENT_RETENTION_SECONDS - 86_400);
      break;
    }
    await applyBatch([...page.data].reverse());
    if (!page.has_more) break;
  }
  return result;
}
