import type { StripeObject } from './shapes';

/**
 * One object type's store. Objects are kept in a Map by id and in an array sorted oldest-first by
 * (created, id), so a page is a binary search plus a slice even with 300k objects. An entry may be
 * "lazy": compact seed data turned into the full API object only when read (the bench holds
 * hundreds of thousands of them); the first update stores the full object.
 */
export interface Entry {
  id: string;
  created: number;
  obj: StripeObject | null;
  lazy: unknown;
}

export type Materializer = (data: unknown, id: string, created: number) => StripeObject;

export function compareEntries(a: { created: number; id: string }, b: { created: number; id: string }): number {
  if (a.created !== b.created) return a.created - b.created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class Collection {
  private readonly byId = new Map<string, Entry>();
  private sorted: Entry[] = [];
  private dirty = false;
  /** Deleted ids keep their sort key: Stripe still accepts them as pagination cursors. */
  private readonly tombstones = new Map<string, { id: string; created: number }>();

  constructor(
    readonly type: string,
    private readonly materialize?: Materializer,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): StripeObject | undefined {
    const e = this.byId.get(id);
    return e ? this.read(e) : undefined;
  }

  read(e: Entry): StripeObject {
    if (e.obj) return e.obj;
    if (!this.materialize) throw new Error(`collection ${this.type}: lazy entry without a materializer`);
    return this.materialize(e.lazy, e.id, e.created);
  }

  /** Sort key of a live or deleted object (for cursors). */
  keyOf(id: string): { id: string; created: number } | undefined {
    return this.byId.get(id) ?? this.tombstones.get(id);
  }

  isDeleted(id: string): boolean {
    return this.tombstones.has(id);
  }

  put(obj: StripeObject): void {
    const existing = this.byId.get(obj.id);
    if (existing) {
      existing.obj = obj;
      existing.lazy = null;
      return;
    }
    this.insert({ id: obj.id, created: obj.created, obj, lazy: null });
  }

  putLazy(id: string, created: number, data: unknown): void {
    if (this.byId.has(id)) throw new Error(`collection ${this.type}: ${id} exists`);
    this.insert({ id, created, obj: null, lazy: data });
  }

  private insert(e: Entry): void {
    this.byId.set(e.id, e);
    const last = this.sorted[this.sorted.length - 1];
    if (!this.dirty && (!last || compareEntries(last, e) < 0)) this.sorted.push(e);
    else {
      this.sorted.push(e);
      this.dirty = true;
    }
  }

  delete(id: string): boolean {
    const e = this.byId.get(id);
    if (!e) return false;
    this.byId.delete(id);
    this.tombstones.set(id, { id, created: e.created });
    const arr = this.ascending();
    const i = lowerBound(arr, e);
    if (arr[i] === e) arr.splice(i, 1);
    else this.sorted = arr.filter((x) => x !== e);
    return true;
  }

  /** Removes entries older than `created` without leaving tombstones (retention: they are gone). */
  dropOlderThan(created: number): number {
    const arr = this.ascending();
    let n = 0;
    while (n < arr.length && arr[n].created < created) {
      this.byId.delete(arr[n].id);
      n++;
    }
    if (n) arr.splice(0, n);
    return n;
  }

  /** Entries oldest first. */
  ascending(): Entry[] {
    if (this.dirty) {
      this.sorted.sort(compareEntries);
      this.dirty = false;
    }
    return this.sorted;
  }

  /** The live entries among these ids, oldest first. */
  entriesOf(ids: Iterable<string>): Entry[] {
    const out: Entry[] = [];
    for (const id of ids) {
      const e = this.byId.get(id);
      if (e) out.push(e);
    }
    return out.sort(compareEntries);
  }

  /** Every object, newest first (materialized). For small collections and tests. */
  all(): StripeObject[] {
    const arr = this.ascending();
    const out: StripeObject[] = [];
    for (let i = arr.length - 1; i >= 0; i--) out.push(this.read(arr[i]));
    return out;
  }
}

/** First index whose entry is >= key. */
export function lowerBound(arr: Entry[], key: { created: number; id: string }): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(arr[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose entry is > key. */
export function upperBound(arr: Entry[], key: { created: number; id: string }): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEntries(arr[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
