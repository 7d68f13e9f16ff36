import type Stripe from 'stripe';
import type { FetchedObject } from '../../services/sync/apply-events';
import { planEvent, type RefetchRef } from '../../services/sync/event-plan';
import type { GuardMode } from '../../services/stripe/version-guard';
import { decideMirrorWrite, writesForObject, type MirrorType, type MirrorVersion, type MirrorWrite, type StripeObjectLike } from './rules';

// Applying Stripe's facts (pages, events, re-fetched objects) to the mirror through a transaction
// of a mirror store (PostgreSQL on the server, a Map in the unit tests). The decisions are the pure
// rules of rules.ts and the event reading of event-plan.ts - the same the desk cache applies - so
// this file only sequences them. The network stays out: events are applied in two steps, like the
// desk (payloads, then the re-fetched objects named by step one).

export interface MirrorTx {
  /** The held version of an object; a PostgreSQL store locks the row for the transaction. */
  held(id: string): Promise<(MirrorVersion & { type: MirrorType }) | null>;
  /** Stores a version (the object, or null for a deletion) and appends its feed entry. */
  put(write: MirrorWrite, next: MirrorVersion): Promise<void>;
  /** Ids of the live invoice payments filed under an invoice. */
  paymentIdsOf(invoiceId: string): Promise<string[]>;
  /** Records an event as applied; false when it was already (dedupe by event id). */
  markEventApplied(event: Pick<Stripe.Event, 'id' | 'type' | 'created'>): Promise<boolean>;
  isEventApplied(eventId: string): Promise<boolean>;
}

export interface WriteOutcome {
  applied: boolean;
  conflict: boolean;
}

export async function applyWrite(tx: MirrorTx, write: MirrorWrite): Promise<WriteOutcome> {
  const held = await tx.held(write.id);
  const parentDeleted = write.type === 'invoice_payment' && write.parentId ? ((await tx.held(write.parentId))?.deleted ?? false) : false;
  const d = decideMirrorWrite(held, write, parentDeleted);
  if (d.apply && d.next) await tx.put(write, d.next);
  return { applied: d.apply, conflict: d.conflict };
}

/** A list page or a fetched object; returns true when any write was applied. */
export async function applyObject(tx: MirrorTx, obj: StripeObjectLike, sourceTs: number, mode: GuardMode): Promise<WriteOutcome> {
  const out: WriteOutcome = { applied: false, conflict: false };
  for (const w of writesForObject(obj, sourceTs, mode)) {
    const r = await applyWrite(tx, w);
    // Only the object's own conflict matters: an embedded payment method follows its customer.
    if (w.id === obj.id) out.conflict = r.conflict;
    out.applied ||= r.applied;
  }
  return out;
}

/** A deleted customer or draft invoice; an invoice's payments go with it (as on the desk). */
async function applyDeletion(tx: MirrorTx, type: 'customer' | 'invoice', id: string, ts: number): Promise<WriteOutcome> {
  const r = await applyWrite(tx, { op: 'delete', type, id, sourceTs: ts, parentId: null });
  if (type === 'invoice') for (const p of await tx.paymentIdsOf(id)) await applyWrite(tx, { op: 'delete', type: 'invoice_payment', id: p, sourceTs: ts, parentId: id });
  return r;
}

export interface EventsOutcome {
  /** Events not applied before, in the order given. */
  fresh: Stripe.Event[];
  refetch: RefetchRef[];
  applied: number;
}

/**
 * Step 1: the payloads of events not applied yet, with the strict guard. The events are marked
 * applied by `finishMirrorEvents` once the re-fetches are written (a crash in between replays the
 * batch, which the guard and the dedupe make harmless).
 */
export async function applyEventPayloadsToMirror(tx: MirrorTx, events: Stripe.Event[], apiVersion: string): Promise<EventsOutcome> {
  const refetch = new Map<string, RefetchRef>();
  const add = (r: RefetchRef) => refetch.set(`${r.type}:${r.id}`, r);
  const fresh: Stripe.Event[] = [];
  const seen = new Set<string>();
  let applied = 0;
  for (const event of events) {
    if (seen.has(event.id) || (await tx.isEventApplied(event.id))) continue;
    seen.add(event.id);
    fresh.push(event);
    const plan = planEvent(event, apiVersion);
    switch (plan.kind) {
      case 'delete':
        if ((await applyDeletion(tx, plan.type, plan.id, plan.ts)).applied) applied++;
        break;
      case 'product':
        if (plan.trusted) {
          const r = await applyObject(tx, event.data.object as unknown as StripeObjectLike, event.created, 'strict');
          if (r.applied) applied++;
        }
        break;
      case 'object': {
        for (const r of plan.refetch) add(r);
        if (!plan.object) break;
        const r = await applyObject(tx, plan.object, plan.ts, 'strict');
        if (r.conflict && plan.ref) add(plan.ref);
        if (r.applied) applied++;
        break;
      }
      case 'ignore':
        break;
    }
  }
  return { fresh, refetch: [...refetch.values()], applied };
}

/** Step 2: what was re-fetched (a fetch made after the event is at least as new: 'latest'). */
export async function applyFetchedToMirror(tx: MirrorTx, fetched: FetchedObject[]): Promise<number> {
  let applied = 0;
  for (const f of fetched) {
    const o = f.object as StripeObjectLike | null;
    if (f.ref.type === 'invoice_payments') {
      const payments = (f.payments ?? []) as unknown as StripeObjectLike[];
      for (const p of payments) if ((await applyObject(tx, p, f.ts, 'latest')).applied) applied++;
      if (f.payments) {
        const keep = new Set(payments.map((p) => p.id));
        for (const id of await tx.paymentIdsOf(f.ref.id)) if (!keep.has(id) && (await applyWrite(tx, { op: 'delete', type: 'invoice_payment', id, sourceTs: f.ts, parentId: f.ref.id })).applied) applied++;
      }
      continue;
    }
    if (o) {
      if ((await applyObject(tx, o, f.ts, 'latest')).applied) applied++;
      continue;
    }
    // Stripe no longer has it: a customer or invoice is gone for good; others keep their last version.
    if (f.ref.type === 'customer' || f.ref.type === 'invoice') {
      if ((await applyDeletion(tx, f.ref.type, f.ref.id, f.ts)).applied) applied++;
    }
  }
  return applied;
}

export async function finishMirrorEvents(tx: MirrorTx, fresh: Stripe.Event[]): Promise<void> {
  for (const e of fresh) await tx.markEventApplied(e);
}
