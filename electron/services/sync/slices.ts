import type { ResourceCheckpoint, SliceCheckpoint } from './sync-state';

// Created-time slices of a list, so several pages of one list can be in flight at once (a list is
// otherwise one page at a time: each page's cursor comes from the one before). Pure functions over
// the checkpoint, so the planning and re-splitting can be tested without a server.
//
// Invariants (what makes "every object exactly once" hold):
// - the slices of a list partition all time: the oldest is unbounded below (`gte` null), the
//   newest unbounded above (`lt` null), each `lt` is the next one's `gte`;
// - a slice is only ever split while none of its pages is in flight, at its last committed
//   object `c` (everything newer than the cursor in the slice is read): the slice keeps [m, lt)
//   and its cursor (whose object has created >= c >= m, so it stays inside), a new slice takes
//   [gte, m) with no cursor; nothing read so far falls in the new slice.

export const PAGE_SIZE = 100;
/** A slice is split only when it looks to hold at least this many more pages. */
const SPLIT_MIN_PAGES = 2;
/** Below this many seconds a slice is not split (created has one-second resolution). */
const MIN_SPAN_SECONDS = 2;
const DAY = 86_400;

export function emptySlice(gte: number | null, lt: number | null): SliceCheckpoint {
  return { gte, lt, after: null, done: false, pages: 0, objects: 0, lastCreated: null, firstCreated: null };
}

/**
 * `count` slices of equal time between `floor` (the account's creation: objects older still fall
 * in the first, unbounded slice) and `top` (now: newer objects in the last, unbounded one).
 */
export function planSlices(count: number, floor: number | null, top: number): SliceCheckpoint[] {
  const n = Math.max(1, Math.floor(count));
  if (n === 1 || floor === null || top - floor < n * MIN_SPAN_SECONDS) return [emptySlice(null, null)];
  const bounds: number[] = [];
  for (let i = 1; i < n; i++) bounds.push(floor + Math.round((i * (top - floor)) / n));
  return Array.from({ length: n }, (_, i) => emptySlice(i === 0 ? null : bounds[i - 1], i === n - 1 ? null : bounds[i]));
}

/** The slices of a list, creating them from a checkpoint written before slices (one slice resumes it). */
export function slicesOf(rc: ResourceCheckpoint, plan: () => SliceCheckpoint[]): SliceCheckpoint[] {
  if (rc.slices) return rc.slices;
  if (rc.done) return (rc.slices = []);
  if (rc.pages > 0) return (rc.slices = [{ ...emptySlice(null, null), after: rc.after, pages: rc.pages, objects: rc.objects, lastCreated: rc.lastCreated, firstCreated: rc.firstCreated }]);
  return (rc.slices = plan());
}

/** `created` filter of a slice's next page. */
export function createdFilter(s: SliceCheckpoint): { gte?: number; lt?: number } | undefined {
  if (s.gte === null && s.lt === null) return undefined;
  return { ...(s.gte !== null ? { gte: s.gte } : {}), ...(s.lt !== null ? { lt: s.lt } : {}) };
}

/** Records a committed page on its slice. */
export function advanceSlice(s: SliceCheckpoint, items: Array<{ id: string; created?: number }>, hasMore: boolean): void {
  const last = items[items.length - 1];
  if (last) s.after = last.id;
  s.done = !hasMore || !last;
  s.pages += 1;
  s.objects += items.length;
  if (last?.created != null) s.lastCreated = last.created;
  if (s.firstCreated == null && items[0]?.created != null) s.firstCreated = items[0].created;
}

/** The list's totals, from its slices (progress, the ETA and the kill test read them). */
export function summarize(rc: ResourceCheckpoint): void {
  const slices = rc.slices ?? [];
  rc.pages = slices.reduce((n, s) => n + s.pages, 0);
  rc.objects = slices.reduce((n, s) => n + s.objects, 0);
  rc.done = Boolean(rc.denied) || slices.every((s) => s.done);
  const firsts = slices.map((s) => s.firstCreated).filter((c): c is number => c != null);
  rc.firstCreated = firsts.length ? Math.max(...firsts) : null;
  // How far back the reading has got: the oldest point every slice above it has reached.
  const lasts = slices.filter((s) => s.lastCreated != null).map((s) => s.lastCreated!);
  rc.lastCreated = lasts.length ? Math.min(...lasts) : null;
}

/**
 * The time still to read in a slice, [lo, c], and how many objects it likely holds (null: cannot
 * tell). `listTop`: the newest `created` read in the whole list.
 */
export function remainingOf(s: SliceCheckpoint, floor: number | null, listTop: number | null): { lo: number; c: number; objects: number } | null {
  if (s.done || s.lastCreated == null || s.firstCreated == null) return null;
  const c = s.lastCreated;
  // Density from what the slice actually held (its bounds may reach far past its data).
  const hi = s.firstCreated + 1;
  // Unbounded below: the account's creation when that is older, else (objects older than the
  // account) as far back again as the whole list has read, so repeated splits reach back fast.
  const lo = s.gte ?? (floor !== null && floor < c ? floor : c - Math.max(DAY, (listTop ?? hi) - c));
  const density = s.objects / Math.max(1, hi - c);
  return { lo, c, objects: density * (c - lo) };
}

/**
 * Splits `s` (which has no page in flight) when it looks to hold enough for another stream:
 * returns the new, older slice (already added to `slices`), or null.
 */
export function splitSlice(slices: SliceCheckpoint[], s: SliceCheckpoint, floor: number | null, listTop: number | null): SliceCheckpoint | null {
  const r = remainingOf(s, floor, listTop);
  if (!r || r.c - r.lo < MIN_SPAN_SECONDS || r.objects < SPLIT_MIN_PAGES * PAGE_SIZE) return null;
  const m = Math.floor((r.lo + r.c) / 2) + 1;
  if (!(m > r.lo && m <= r.c) || (s.gte !== null && m <= s.gte)) return null;
  const older = emptySlice(s.gte, m);
  s.gte = m;
  slices.push(older);
  return older;
}
