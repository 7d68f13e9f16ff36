import { guardVerdict, type GuardMode } from '../../services/stripe/version-guard';

// The team server's copy of the Stripe account: every API object the product reads, as Stripe sent
// it, keyed by id, with the version it holds (source_ts) and whether Stripe deleted it. These are
// the rules deciding whether an incoming version replaces the held one: the desk cache's guard
// (version-guard.ts) plus the cache's tombstones, so a replayed old event or a page fetched before
// a change cannot roll an object back and a deleted customer or draft invoice never comes back.

export const MIRROR_TYPES = ['customer', 'subscription', 'invoice', 'payment_method', 'invoice_payment', 'product'] as const;
export type MirrorType = (typeof MIRROR_TYPES)[number];

export interface MirrorVersion {
  sourceTs: number;
  deleted: boolean;
}

export type StripeObjectLike = Record<string, unknown> & { id: string; object: string };

export type MirrorWrite =
  | { op: 'upsert'; type: MirrorType; id: string; object: StripeObjectLike; sourceTs: number; mode: GuardMode; parentId: string | null }
  | { op: 'delete'; type: MirrorType; id: string; sourceTs: number; parentId: string | null };

export interface MirrorDecision {
  apply: boolean;
  /** strict upsert of the same second as the held version: the caller re-fetches the object. */
  conflict: boolean;
  /** The version held after the write (when applied). */
  next: MirrorVersion | null;
}

/** Deleted in Stripe for good: a deleted customer is never restored, a deleted draft never reappears. */
const FINAL_DELETION: ReadonlySet<MirrorType> = new Set(['customer', 'invoice']);

const SKIP: MirrorDecision = { apply: false, conflict: false, next: null };

/**
 * `parentDeleted`: for an invoice payment, whether its invoice is a tombstone (the desk drops a
 * payment of a deleted invoice too).
 */
export function decideMirrorWrite(held: MirrorVersion | null, write: MirrorWrite, parentDeleted = false): MirrorDecision {
  if (held?.deleted && FINAL_DELETION.has(write.type)) return SKIP;
  if (write.op === 'delete') {
    // A deletion is always true from its moment on; for a final type it wins over any version.
    if (held && !FINAL_DELETION.has(write.type) && write.sourceTs < held.sourceTs) return SKIP;
    return { apply: true, conflict: false, next: { sourceTs: Math.max(write.sourceTs, held?.sourceTs ?? write.sourceTs), deleted: true } };
  }
  if (parentDeleted) return SKIP;
  const verdict = guardVerdict(write.mode, write.sourceTs, held?.sourceTs);
  if (!verdict.write) return { apply: false, conflict: verdict.conflict, next: null };
  return { apply: true, conflict: false, next: { sourceTs: write.sourceTs, deleted: false } };
}

export function isMirrorType(v: string): v is MirrorType {
  return (MIRROR_TYPES as readonly string[]).includes(v);
}

function idOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return null;
}

/**
 * The writes one fetched or delivered object makes. A customer listed with its default payment
 * method expanded carries that method too (the desk's ingest keeps it as well); an invoice
 * payment is filed under its invoice, so a full re-fetch of the invoice's payments can drop the
 * ones Stripe no longer lists.
 */
export function writesForObject(obj: StripeObjectLike, sourceTs: number, mode: GuardMode): MirrorWrite[] {
  if (!isMirrorType(obj.object)) return [];
  const type = obj.object;
  if (type === 'customer' && (obj as { deleted?: boolean }).deleted) return [{ op: 'delete', type, id: obj.id, sourceTs, parentId: null }];
  const parentId = type === 'invoice_payment' ? idOf(obj.invoice) : null;
  if (type !== 'customer') return [{ op: 'upsert', type, id: obj.id, object: obj, sourceTs, mode, parentId }];
  const settings = (obj as { invoice_settings?: Record<string, unknown> & { default_payment_method?: unknown } }).invoice_settings;
  const pm = settings?.default_payment_method;
  if (!settings || !pm || typeof pm !== 'object' || typeof (pm as { id?: unknown }).id !== 'string') return [{ op: 'upsert', type, id: obj.id, object: obj, sourceTs, mode, parentId }];
  // The method is kept as its own object (its own version); the customer keeps only its id, so a
  // replay of the customer cannot carry an older copy of the method.
  const method = pm as StripeObjectLike;
  const customer = { ...obj, invoice_settings: { ...settings, default_payment_method: method.id } };
  return [
    { op: 'upsert', type, id: obj.id, object: customer, sourceTs, mode, parentId },
    { op: 'upsert', type: 'payment_method', id: method.id, object: { ...method, customer: method.customer ?? obj.id }, sourceTs, mode, parentId: null },
  ];
}
