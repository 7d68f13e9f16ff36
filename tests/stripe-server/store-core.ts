import { ServerClock } from './clock';
import { Collection, type Materializer } from './collection';
import { resourceMissing } from './errors';
import { IdGenerator } from './ids';
import { API_VERSION, event as buildEvent, type StripeObject } from './shapes';

/* eslint-disable @typescript-eslint/no-explicit-any -- the stand-in server builds and patches objects of every Stripe type generically; their shapes are checked against Stripe's own fixtures, not the SDK types */

export const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;

export const OBJECT_TYPES = ['account', 'customer', 'payment_method', 'product', 'price', 'subscription', 'invoice', 'invoiceitem', 'invoice_payment', 'payment_intent', 'charge', 'event'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number] | (string & {});

/** Id prefix -> object type, for expansion of `cus_…`-style references. */
export const PREFIX_TYPES: Record<string, ObjectType> = {
  cus: 'customer',
  pm: 'payment_method',
  prod: 'product',
  price: 'price',
  sub: 'subscription',
  in: 'invoice',
  ii: 'invoiceitem',
  inpay: 'invoice_payment',
  pi: 'payment_intent',
  ch: 'charge',
  evt: 'event',
};

export type EventListener = (event: StripeObject) => void;

/** Who is asking, recorded on events (`request.id`, `request.idempotency_key`). */
export interface RequestInfo {
  id: string | null;
  idempotencyKey: string | null;
}

/**
 * Collections by object type, the event log and the clock. Every change goes through
 * `commit(...)`, which stores the new object version and emits its event, so HTTP routes and the
 * programmatic API (tests) produce exactly the same events.
 */
export class StoreCore {
  readonly clock: ServerClock;
  readonly ids = new IdGenerator();
  private readonly collections = new Map<string, Collection>();
  /** Secondary indexes: type -> owner id (customer or invoice) -> ids. */
  private readonly owners = new Map<string, Map<string, Set<string>>>();
  private readonly listeners = new Set<EventListener>();
  /** api_version written on new events; tests set an older one to exercise re-fetching. */
  eventApiVersion = API_VERSION;
  request: RequestInfo = { id: null, idempotencyKey: null };
  /** Events are not written while seeding bulk data (there is no history for old objects). */
  quiet = false;

  constructor(clock?: ServerClock) {
    this.clock = clock ?? new ServerClock();
    for (const t of OBJECT_TYPES) this.collections.set(t, new Collection(t));
  }

  collection(type: ObjectType): Collection {
    let c = this.collections.get(type);
    if (!c) this.collections.set(type, (c = new Collection(type)));
    return c;
  }

  /** Registers compact seed data readers (bench): must be called before putLazy on that type. */
  setMaterializer(type: ObjectType, m: Materializer): void {
    const old = this.collections.get(type);
    if (old && old.size) throw new Error(`setMaterializer(${type}): collection is not empty`);
    this.collections.set(type, new Collection(type, m));
  }

  get(type: ObjectType, id: string): StripeObject | undefined {
    return this.collection(type).get(id);
  }

  /** The object or a 404 resource_missing error. */
  require(type: ObjectType, id: string, kind: string = type, param = 'id'): StripeObject {
    const o = this.collection(type).get(id);
    if (!o) throw resourceMissing(kind, id, param);
    return o;
  }

  all(type: ObjectType): StripeObject[] {
    return this.collection(type).all();
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  index(type: ObjectType, owner: string, id: string): void {
    let byOwner = this.owners.get(type);
    if (!byOwner) this.owners.set(type, (byOwner = new Map()));
    let ids = byOwner.get(owner);
    if (!ids) byOwner.set(owner, (ids = new Set()));
    ids.add(id);
  }

  unindex(type: ObjectType, owner: string, id: string): void {
    this.owners.get(type)?.get(owner)?.delete(id);
  }

  /** Ids of `type` owned by `owner` (a customer id, or an invoice id for invoice payments). */
  owned(type: ObjectType, owner: string): string[] {
    return [...(this.owners.get(type)?.get(owner) ?? [])];
  }

  newId(prefix: string): string {
    return this.ids.next(prefix);
  }

  now(): number {
    return this.clock.now();
  }

  /** Stores a new version and emits `eventType` (unless null) with previous_attributes. */
  commit(obj: StripeObject, eventType: string | null, previous?: Record<string, unknown> | null): StripeObject {
    this.collection(obj.object).put(obj);
    if (eventType) this.emit(eventType, obj, previous ?? null);
    return obj;
  }

  remove(type: ObjectType, id: string): void {
    this.collection(type).delete(id);
  }

  emit(type: string, object: unknown, previous: Record<string, unknown> | null = null): StripeObject | null {
    if (this.quiet) return null;
    const e = buildEvent({
      id: this.newId('evt'),
      created: this.now(),
      type,
      object,
      previous,
      apiVersion: this.eventApiVersion,
      requestId: this.request.id,
      idempotencyKey: this.request.idempotencyKey,
    });
    this.collection('event').put(e);
    for (const l of this.listeners) l(e);
    return e;
  }

  /** Drops events past Stripe's 30-day retention (measured on the server clock). */
  pruneEvents(): void {
    this.collection('event').dropOlderThan(this.now() - EVENT_RETENTION_SECONDS);
  }
}

/** previous_attributes: the old value of every top-level field that changed. */
export function diffPrevious(before: StripeObject, after: StripeObject): Record<string, unknown> | null {
  const prev: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) prev[k] = before[k] ?? null;
  }
  return Object.keys(prev).length ? prev : null;
}

/**
 * Stripe's update semantics for nested params: objects merge, `null` clears a field; metadata keys
 * set to null are removed. Returns a new object: stored versions are never mutated in place (events
 * hold references to them).
 */
export function mergePatch(target: any, patch: Record<string, unknown>): any {
  const out: any = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (k === 'metadata' && v && typeof v === 'object') {
      const md: Record<string, string> = { ...(target?.metadata ?? {}) };
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) {
        if (mv === null || mv === '') delete md[mk];
        else md[mk] = String(mv);
      }
      out.metadata = md;
    } else if (v && typeof v === 'object' && !Array.isArray(v) && target?.[k] && typeof target[k] === 'object' && !Array.isArray(target[k])) {
      out[k] = mergePatch(target[k], v as Record<string, unknown>);
    } else {
      out[k] = v;
    }
  }
  return out;
}
