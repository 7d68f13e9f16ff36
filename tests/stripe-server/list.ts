import { type Collection, type Entry, lowerBound, upperBound } from './collection';
import { invalidRequest, resourceMissing } from './errors';
import type { FormObject } from './form';
import type { StripeObject } from './shapes';

// Pagination exactly like Stripe's list endpoints: newest first (by created, then id), `limit`
// 1..100 (default 10), `starting_after` (older than the cursor) or `ending_before` (newer than the
// cursor: the `limit` objects right after it in time, still returned newest first), `has_more`.

export interface ListPage {
  object: 'list';
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

export interface ListOptions {
  url: string;
  /** Only objects passing this (applied before paging, like Stripe's filters). */
  filter?: (o: StripeObject) => boolean;
  /** Restricts the list to these ids (from an index, e.g. one customer's invoices) before filtering. */
  ids?: Iterable<string>;
  /** Human name for resource_missing messages ("customer"). */
  kind: string;
  /** created[gt|gte|lt|lte] support. */
  created?: { gt?: number; gte?: number; lt?: number; lte?: number } | null;
}

export function parseLimit(raw: unknown): number {
  if (raw === undefined) return 10;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalidRequest(`Invalid integer: ${String(raw)}. This value must be between 1 and 100.`, 'limit');
  return n;
}

export function parseCreatedFilter(raw: unknown): ListOptions['created'] {
  if (raw === undefined) return null;
  const num = (v: unknown, p: string) => {
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw invalidRequest(`Invalid integer: ${String(v)}`, p);
    return Number(v);
  };
  if (typeof raw === 'string') {
    const n = num(raw, 'created');
    return { gte: n, lte: n };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidRequest('Invalid created filter', 'created');
  const out: NonNullable<ListOptions['created']> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k !== 'gt' && k !== 'gte' && k !== 'lt' && k !== 'lte') throw invalidRequest(`Received unknown parameter: created[${k}]`, `created[${k}]`);
    out[k] = num(v, `created[${k}]`);
  }
  return out;
}

function createdMatches(c: number, f: NonNullable<ListOptions['created']>): boolean {
  return (f.gt === undefined || c > f.gt) && (f.gte === undefined || c >= f.gte) && (f.lt === undefined || c < f.lt) && (f.lte === undefined || c <= f.lte);
}

export function paginate(collection: Collection, params: FormObject, opts: ListOptions): ListPage {
  const limit = parseLimit(params.limit);
  const startingAfter = params.starting_after;
  const endingBefore = params.ending_before;
  if (startingAfter !== undefined && endingBefore !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  }
  for (const [name, v] of [['starting_after', startingAfter], ['ending_before', endingBefore]] as const) {
    if (v !== undefined && (typeof v !== 'string' || v === '')) throw invalidRequest(`Invalid ${name}: must be an object id`, name);
  }
  let entries: Entry[] = opts.ids ? collection.entriesOf(opts.ids) : collection.ascending();
  const created = opts.created ?? null;
  // The window of entries the filters leave, as [from, to) of `entries` (oldest first). A created
  // filter alone is a range of the sorted entries: found by binary search, not by copying a
  // 300k-entry list on every page (the bench's sliced backfill asks for thousands of such pages).
  let from = 0;
  let to = entries.length;
  if (opts.filter) {
    const keep = opts.filter;
    entries = entries.filter((e) => (!created || createdMatches(e.created, created)) && keep(collection.read(e)));
    to = entries.length;
  } else if (created) {
    const lowest = Math.max(created.gte ?? -Infinity, created.gt !== undefined ? created.gt + 1 : -Infinity);
    const highest = Math.min(created.lte ?? Infinity, created.lt !== undefined ? created.lt - 1 : Infinity);
    from = Number.isFinite(lowest) ? lowerBound(entries, { created: lowest, id: '' }) : 0;
    to = Number.isFinite(highest) ? upperBound(entries, { created: highest, id: '\uffff' }) : entries.length;
    to = Math.max(from, to);
  }
  const clamp = (i: number) => Math.min(to, Math.max(from, i));
  let slice: Entry[];
  let hasMore: boolean;
  if (typeof startingAfter === 'string') {
    const key = collection.keyOf(startingAfter);
    if (!key) throw resourceMissing(opts.kind, startingAfter, 'starting_after');
    const end = clamp(lowerBound(entries, key));
    const start = Math.max(from, end - limit);
    slice = entries.slice(start, end).reverse();
    hasMore = start > from;
  } else if (typeof endingBefore === 'string') {
    const key = collection.keyOf(endingBefore);
    if (!key) throw resourceMissing(opts.kind, endingBefore, 'ending_before');
    const start = clamp(upperBound(entries, key));
    const end = Math.min(to, start + limit);
    slice = entries.slice(start, end).reverse();
    hasMore = end < to;
  } else {
    const start = Math.max(from, to - limit);
    slice = entries.slice(start, to).reverse();
    hasMore = start > from;
  }
  return { object: 'list', data: slice.map((e) => collection.read(e)), has_more: hasMore, url: opts.url };
}
