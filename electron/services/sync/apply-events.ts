import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { deleteInvoice, ingestCustomer, ingestInvoice, ingestInvoicePayment, ingestPaymentMethod, ingestSubscription, markCustomerDeleted, pruneAttempts, type IngestResult } from '../stripe/ingest';
import type { ProductNames } from '../stripe/product-names';
import { ChangeSet } from './changes';
import { planEvent, type RefetchRef, type RefetchType } from './event-plan';
import { timelineRowFor, writeTimeline } from './timeline';

// Applying Events API events to the cache, in two steps so the network stays out of transactions:
// 1. applyEventPayloads: each new event's object is written with the strict guard (only a newer
//    second wins). Where the payload cannot be trusted - same second as the row (order unknown),
//    rendered in another API version - or where the event says payments changed, the object is
//    named for re-fetching instead.
// 2. applyRefetched + finishEvents: the re-fetched objects are written (a fetch made after the
//    event is at least as new), then the events are recorded as applied (dedup by id), their
//    timeline lines written, and the cursor moved - in one transaction.
// Replaying a batch (a crash between the steps) is harmless: the guard and the dedup make it so.

export type { RefetchRef, RefetchType };

export interface FetchedObject {
  ref: RefetchRef;
  /** The object, or null when Stripe no longer has it (404 / deleted). */
  object: unknown;
  /** For invoice_payments: the complete list of the invoice's payments (null: list incomplete). */
  payments?: Stripe.InvoicePayment[] | null;
  /** Server time of the response (unix s). */
  ts: number;
}

export interface PayloadOutcome {
  /** Events not seen before, in order (duplicates removed). */
  fresh: Stripe.Event[];
  refetch: RefetchRef[];
  changes: ChangeSet;
}

export function isApplied(db: Database.Database, accountId: string, eventId: string): boolean {
  return db.prepare('SELECT 1 FROM applied_events WHERE account_id = ? AND event_id = ?').get(accountId, eventId) !== undefined;
}

function refKey(r: RefetchRef): string {
  return `${r.type}:${r.id}`;
}

class RefSet {
  private readonly map = new Map<string, RefetchRef>();
  add(type: RefetchType, id: string | null | undefined): void {
    if (id) this.map.set(`${type}:${id}`, { type, id });
  }
  list(): RefetchRef[] {
    return [...this.map.values()];
  }
}

function note(changes: ChangeSet, r: IngestResult): void {
  if (r.written) changes.add(r.kind, r.customerId);
}

function ingestPayload(db: Database.Database, accountId: string, obj: { object: string }, ts: number, productNames?: ProductNames): IngestResult | null {
  const strict = { mode: 'strict' as const };
  switch (obj.object) {
    case 'customer':
      return ingestCustomer(db, accountId, obj as unknown as Stripe.Customer, ts, strict);
    case 'subscription':
      return ingestSubscription(db, accountId, obj as unknown as Stripe.Subscription, ts, { ...strict, productNames: productNames?.lookup });
    case 'invoice':
      return ingestInvoice(db, accountId, obj as unknown as Stripe.Invoice, ts, strict);
    case 'payment_method':
      return ingestPaymentMethod(db, accountId, obj as unknown as Stripe.PaymentMethod, ts, strict);
    default:
      return null;
  }
}

/** Step 1 (inside a transaction). `apiVersion`: the SDK's; payloads in another version are re-fetched. */
export function applyEventPayloads(db: Database.Database, accountId: string, events: Stripe.Event[], opts: { apiVersion: string; productNames?: ProductNames }): PayloadOutcome {
  const changes = new ChangeSet();
  const refetch = new RefSet();
  const seen = new Set<string>();
  const fresh: Stripe.Event[] = [];
  for (const event of events) {
    if (seen.has(event.id) || isApplied(db, accountId, event.id)) continue;
    seen.add(event.id);
    fresh.push(event);
    const plan = planEvent(event, opts.apiVersion);
    switch (plan.kind) {
      case 'delete':
        if (plan.type === 'customer') {
          note(changes, markCustomerDeleted(db, accountId, plan.id, plan.ts));
          changes.add('customers', plan.id);
        } else {
          deleteInvoice(db, accountId, plan.id, plan.ts);
          changes.add('invoices', plan.customerId);
        }
        break;
      case 'product':
        if (opts.productNames && plan.trusted) {
          opts.productNames.set(plan.id, plan.name);
          changes.add('subscriptions');
        }
        break;
      case 'object': {
        for (const r of plan.refetch) refetch.add(r.type, r.id);
        if (plan.detached) changes.add('payment_methods', plan.detached.customerId);
        if (!plan.object) break;
        const result = ingestPayload(db, accountId, plan.object, plan.ts, opts.productNames);
        if (result?.conflict && plan.ref) refetch.add(plan.ref.type, plan.ref.id);
        if (result) note(changes, result);
        break;
      }
      case 'ignore':
        break;
    }
  }
  return { fresh, refetch: refetch.list(), changes };
}

/** Step 2a (inside a transaction): writes what was re-fetched. */
export function applyRefetched(db: Database.Database, accountId: string, fetched: FetchedObject[], productNames?: ProductNames): ChangeSet {
  const changes = new ChangeSet();
  for (const f of fetched) {
    const o = f.object as Record<string, unknown> | null;
    switch (f.ref.type) {
      case 'customer':
        if (!o || o.deleted) note(changes, markCustomerDeleted(db, accountId, f.ref.id, f.ts));
        else note(changes, ingestCustomer(db, accountId, o as unknown as Stripe.Customer, f.ts));
        changes.add('customers', f.ref.id);
        break;
      case 'subscription':
        if (o) note(changes, ingestSubscription(db, accountId, o as unknown as Stripe.Subscription, f.ts, { productNames: productNames?.lookup }));
        break;
      case 'invoice':
        if (!o) {
          deleteInvoice(db, accountId, f.ref.id, f.ts);
          changes.add('invoices');
        } else note(changes, ingestInvoice(db, accountId, o as unknown as Stripe.Invoice, f.ts));
        break;
      case 'payment_method':
        if (o) note(changes, ingestPaymentMethod(db, accountId, o as unknown as Stripe.PaymentMethod, f.ts));
        break;
      case 'invoice_payments': {
        const payments = f.payments ?? [];
        for (const p of payments) {
          const r = ingestInvoicePayment(db, accountId, p, f.ts);
          if (r.written) changes.add('invoices', r.customerId);
        }
        if (f.payments) pruneAttempts(db, accountId, f.ref.id, payments.map((p) => p.id));
        break;
      }
    }
  }
  return changes;
}

/** Step 2b (same transaction): records the events, writes their timeline lines. */
export function finishEvents(db: Database.Database, accountId: string, fresh: Stripe.Event[], nowMs: number): void {
  const insert = db.prepare('INSERT OR IGNORE INTO applied_events (account_id, event_id, type, created, applied_at_ms) VALUES (?, ?, ?, ?, ?)');
  for (const e of fresh) {
    insert.run(accountId, e.id, e.type, e.created, nowMs);
    let decline: { decline_code: string | null; failure_code: string | null } | null = null;
    if (e.type === 'invoice.payment_failed') {
      const invoiceId = (e.data.object as { id: string }).id;
      decline = (db.prepare("SELECT decline_code, failure_code FROM payment_attempts WHERE account_id = ? AND invoice_id = ? AND status = 'failed' ORDER BY created DESC, id DESC LIMIT 1").get(accountId, invoiceId) as typeof decline) ?? null;
    }
    const row = timelineRowFor(e, decline);
    if (row) writeTimeline(db, accountId, row);
  }
}

/** Event ids older than Stripe's retention can never be listed again: their dedup rows can go. */
export function pruneAppliedEvents(db: Database.Database, accountId: string, olderThan: number): number {
  return db.prepare('DELETE FROM applied_events WHERE account_id = ? AND created < ?').run(accountId, olderThan).changes;
}

export { refKey };
