import type Stripe from 'stripe';

// What one Events API event (or webhook delivery: the same object) asks of a copy of the Stripe
// data, decided without touching storage, so the desk's SQLite cache (apply-events.ts) and the
// team server's PostgreSQL mirror read events by the same rules:
// - deletions (customer.deleted, invoice.deleted) leave a tombstone;
// - an object's payload is written with the strict guard when it is in our API version, and
//   re-fetched when it is not (payloads are rendered in the event's own version), or when the
//   strict guard reports the same second (the caller sees the conflict and adds `ref`);
// - payment events re-fetch the invoice's payments (the payload does not carry them).

export type RefetchType = 'customer' | 'subscription' | 'invoice' | 'payment_method' | 'invoice_payments';
export interface RefetchRef {
  type: RefetchType;
  id: string;
}

export type EventPlan =
  | { kind: 'delete'; type: 'customer' | 'invoice'; id: string; customerId: string | null; ts: number }
  | { kind: 'product'; id: string; name: string | null; trusted: boolean }
  | {
      kind: 'object';
      /** The payload to write with the strict guard; null when it cannot be trusted. */
      object: (Record<string, unknown> & { id: string; object: string }) | null;
      /** What to re-fetch when the payload is not written or conflicts (null: nothing). */
      ref: RefetchRef | null;
      /** Re-fetched whatever the guard says. */
      refetch: RefetchRef[];
      /** payment_method.detached: the customer the method left (when the event says). */
      detached: { customerId: string | null } | null;
      ts: number;
    }
  | { kind: 'ignore' };

const INVOICE_PAYMENT_EVENTS = new Set(['invoice.paid', 'invoice.payment_failed', 'invoice.payment_succeeded', 'invoice.payment_action_required', 'invoice.voided', 'invoice.marked_uncollectible', 'invoice.overpaid']);

const OBJECT_REF: Record<string, Exclude<RefetchType, 'invoice_payments'>> = {
  customer: 'customer',
  subscription: 'subscription',
  invoice: 'invoice',
  payment_method: 'payment_method',
};

export function planEvent(event: Stripe.Event, apiVersion: string): EventPlan {
  const obj = event.data.object as unknown as Record<string, unknown> & { id: string; object: string; customer?: unknown; invoice?: unknown };
  const trusted = !event.api_version || event.api_version === apiVersion;
  const ts = event.created;
  if (event.type === 'customer.deleted') return { kind: 'delete', type: 'customer', id: obj.id, customerId: obj.id, ts };
  if (event.type === 'invoice.deleted') return { kind: 'delete', type: 'invoice', id: obj.id, customerId: typeof obj.customer === 'string' ? obj.customer : null, ts };
  if (event.type === 'product.created' || event.type === 'product.updated') return { kind: 'product', id: obj.id, name: (obj as { name?: string | null }).name ?? null, trusted };
  if (obj.object === 'invoice_payment') {
    const invoice = typeof obj.invoice === 'string' ? obj.invoice : null;
    return { kind: 'object', object: null, ref: null, refetch: invoice ? [{ type: 'invoice_payments', id: invoice }] : [], detached: null, ts };
  }
  const refType = OBJECT_REF[obj.object];
  if (!refType) return { kind: 'ignore' };
  const refetch: RefetchRef[] = refType === 'invoice' && INVOICE_PAYMENT_EVENTS.has(event.type) ? [{ type: 'invoice_payments', id: obj.id }] : [];
  const detached = event.type === 'payment_method.detached' ? { customerId: (event.data as { previous_attributes?: { customer?: string } }).previous_attributes?.customer ?? null } : null;
  const ref = { type: refType, id: obj.id };
  // An untrusted payload is not written: the object is re-fetched whatever the guard would say.
  return trusted ? { kind: 'object', object: obj, ref, refetch, detached, ts } : { kind: 'object', object: null, ref: null, refetch: [...refetch, ref], detached, ts };
}
