import type Stripe from 'stripe';
import type { FetchedObject, RefetchRef } from './apply-events';
import type { BackfillCheckpoint, BackfillResource, SyncStateRow } from './sync-state';

// Where the sync engine keeps what it learns from Stripe. The backfill and the events poller talk
// to Stripe and decide what to read next; everything they store, and everything they need to
// remember between runs, goes through this seam. A solo desk writes through the SQLite sink
// (sqlite-sink.ts: ingest -> tables -> FTS -> change notice); the team server writes through a
// PostgreSQL sink (Stripe objects as jsonb, the change feed's outbox). The engine never sees SQL.
//
// The contract, for every implementation:
// - Everything is in Stripe's terms: API objects as Stripe returns them (the list expansions of
//   backfill.ts / fetch-objects.ts applied), `created` and server times in unix seconds, the
//   checkpoint as an opaque JSON-safe value the engine owns (store it whole, return it whole).
// - Every method returns a Promise and may be slow; the engine never holds a Stripe request open
//   inside a sink call, and never starts a second write on the same account before the previous
//   one settled (writes of one account are sequential, so the last checkpoint written is the
//   newest). Reads may overlap writes.
// - ATOMIC (all or nothing, survives kill -9 at any instant): commitPage (objects + checkpoint),
//   completeBackfill (removal of unseen rows + state), each applyEventPayloads call, and
//   finishEventBatch (re-fetched objects + applied-event records + cursor). What a crash can
//   leave is only "this call happened" or "it did not".
// - IDEMPOTENT: writing the same object version again changes nothing (the source-time guard
//   below), so a page re-read after a crash, an event applied twice or a re-fetch that crossed an
//   event are all harmless. Applied events are deduplicated by event id: an event recorded by
//   finishEventBatch is never `fresh` again.
// - Version guard: every object write carries `ts` (the Stripe-side time of that version: the
//   event's `created`, or the response's Date). Pages and event payloads use the STRICT guard
//   (written only when newer than what is held; the same second is a conflict, which the engine
//   resolves by re-fetching); re-fetched objects use the LATEST guard (a fetch made after an
//   event is at least as new: equal time wins).
// - Tombstones: a deleted customer (customer.deleted, a re-fetch answering deleted/404) or a
//   deleted draft invoice leaves a tombstone; no later write of an older copy (a page listed
//   before the deletion, a replayed event) brings it back.
// - Change notices: after a write commits, the sink tells its readers what changed (the desk's
//   `data.changed` on the hub; the server's feed). Never before the commit.

/** One page of a backfill list, to be written with the checkpoint that follows it. */
export interface BackfillPage {
  resource: BackfillResource;
  /** Stripe objects of `resource` (payment_methods: those of the customers the page covers). */
  items: unknown[];
  /** Server time of the response that carried the items (unix s). */
  ts: number;
  /** The whole backfill checkpoint after this page; it replaces the stored one. */
  checkpoint: BackfillCheckpoint;
}

export interface CompleteBackfill {
  checkpoint: BackfillCheckpoint;
  /**
   * A full resync (`checkpoint.full`): rows not seen since `checkpoint.startedAt` are gone from
   * Stripe (deleted customers are not listed, deleted drafts neither) and are removed/tombstoned.
   * `paymentMethodsListed`: payment methods were listed per customer, so one not seen is detached.
   */
  paymentMethodsListed: boolean;
  /** Where the events poller continues (the newest event before the backfill's first page). */
  eventsCursor: string | null;
  eventsCursorCreated: number | null;
  nowMs: number;
  /** Permissions the key lacked (what they cover was left out); readState returns them until the next backfill. */
  missingPermissions: string[];
}

export interface EventPayloadsOutcome {
  /** Events not applied before, in the order given (duplicates and already-applied ones removed). */
  fresh: Stripe.Event[];
  /** Objects whose payload could not be trusted (other API version, same-second conflict, payments changed). */
  refetch: RefetchRef[];
}

export interface EventBatchEnd {
  fresh: Stripe.Event[];
  fetched: FetchedObject[];
  /** The newest event of the batch: the poller continues after it. */
  cursor: { id: string; created: number };
  nowMs: number;
}

export interface SyncSink {
  readonly accountId: string;

  // ---- sync state ----------------------------------------------------------------------------
  /** The account's sync state; a missing one reads as empty (no backfill, no cursor). */
  readState(): Promise<SyncStateRow>;
  /** A backfill begins: stores its checkpoint, backfill no longer complete. */
  startBackfill(checkpoint: BackfillCheckpoint): Promise<void>;
  /** The events cursor is lost: stores the new (full) checkpoint, backfill incomplete, cursor cleared. */
  requireResync(checkpoint: BackfillCheckpoint): Promise<void>;
  /** A pass ended well: "last synced" moves, the last error clears. */
  markSynced(nowMs: number): Promise<void>;
  /** A pass failed: the words for the person (the cache is kept). */
  recordError(message: string): Promise<void>;

  // ---- backfill ------------------------------------------------------------------------------
  /**
   * Called around a backfill: the sink may tune itself for a run of many page writes (the SQLite
   * sink raises its WAL checkpoint interval). The returned function ends that; it is called once.
   */
  beginBulkWrites(): Promise<() => Promise<void>>;
  /** ATOMIC, IDEMPOTENT: the page's objects and its checkpoint, in one transaction. */
  commitPage(page: BackfillPage): Promise<void>;
  /** ATOMIC: backfill complete, events cursor set, last error cleared (plus the full resync's removals). */
  completeBackfill(done: CompleteBackfill): Promise<void>;
  /** Customers held and not deleted (chooses whether payment methods are listed per customer). */
  countCustomers(): Promise<number>;
  /** Ids of held, not deleted customers after `afterId` (ascending id order), at most `limit`. */
  customerIdsAfter(afterId: string | null, limit: number): Promise<string[]>;

  // ---- product names (subscription items carry the product as an id: 4-level expand limit) ----
  /** Which of these product ids have no recorded name yet. */
  unknownProductIds(ids: string[]): Promise<string[]>;
  /** Records names (null: Stripe has no such product, or the key may not read products). */
  recordProductNames(names: Array<{ id: string; name: string | null }>): Promise<void>;

  // ---- events --------------------------------------------------------------------------------
  /**
   * ATOMIC, step 1 of a batch: each fresh event's object written under the strict guard,
   * deletions applied (with tombstones), product renames recorded. `apiVersion`: payloads in
   * another version are not written but named for re-fetching. Does NOT record the events as
   * applied (finishEventBatch does), so a crash between the steps replays the batch harmlessly.
   */
  applyEventPayloads(events: Stripe.Event[], apiVersion: string): Promise<EventPayloadsOutcome>;
  /** ATOMIC, step 2: re-fetched objects (latest guard; null object = gone), events recorded as applied, cursor moved. */
  finishEventBatch(end: EventBatchEnd): Promise<void>;
  /** Time mode: no cursor; every event up to `knownUpTo` (server time, unix s) is applied. */
  writeKnownUpTo(knownUpTo: number): Promise<void>;
  /** Applied-event records of events created before `olderThan` can go (Stripe no longer lists them). */
  pruneAppliedEvents(olderThan: number): Promise<void>;
}
