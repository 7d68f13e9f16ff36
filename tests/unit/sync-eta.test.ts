import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { etaSeconds, remainingRequests } from '../../electron/services/sync/eta';
import type { BackfillCheckpoint, ResourceCheckpoint, SliceCheckpoint } from '../../electron/services/sync/sync-state';

// The backfill's ETA with created-time slices: how much of each list is read is the time its
// slices have covered over the time they span, and the seconds left are the remaining requests at
// the rate the sync actually achieves (the limit only before there is a rate).

const CREATED = 1_000_000;
const NOW = 2_000_000;

function slice(gte: number | null, lt: number | null, lastCreated: number | null, done = false): SliceCheckpoint {
  return { gte, lt, after: lastCreated ? 'x' : null, done, pages: 0, objects: 0, lastCreated, firstCreated: lastCreated === null ? null : (lt ?? NOW) - 1 };
}

function list(slices: SliceCheckpoint[], pages: number): ResourceCheckpoint {
  return { after: null, done: slices.every((s) => s.done), pages, objects: pages * 100, lastCreated: null, firstCreated: NOW - 1, slices };
}

function resources(rc: ResourceCheckpoint): BackfillCheckpoint['resources'] {
  const done: ResourceCheckpoint = { after: null, done: true, pages: 1, objects: 0, lastCreated: null, firstCreated: null };
  return { customers: done, subscriptions: done, invoice_payments: done, invoices: rc };
}

describe('backfill ETA with slices', () => {
  it('counts the time every slice has covered: one of two halves done, the other half read -> a quarter left', () => {
    const mid = (CREATED + NOW) / 2;
    const rc = list([slice(null, mid, null, true), slice(mid, null, (mid + NOW) / 2)], 30);
    // 30 pages read for 3/4 of the time: 10 more.
    expect(remainingRequests(resources(rc), CREATED, 0)).toBe(10);
  });

  it('uses the achieved rate, not the limit, once there is one', () => {
    expect(etaSeconds(100, 12.5, 25)).toBe(8);
    expect(etaSeconds(100, 0, 25)).toBe(4);
    expect(etaSeconds(null, 12.5, 25)).toBeNull();
  });

  it('never grows while slices only move back in time (property)', () => {
    const bounds = fc.uniqueArray(fc.integer({ min: CREATED + 1, max: NOW - 1 }), { minLength: 1, maxLength: 6 }).map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(bounds, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 7, maxLength: 7 }), (b, progress) => {
        const edges = [null, ...b, null];
        const at = (i: number, f: number) => {
          const hi = edges[i + 1] ?? NOW;
          const lo = edges[i] ?? CREATED;
          return Math.round(hi - f * (hi - lo));
        };
        const before = list(edges.slice(0, -1).map((g, i) => slice(g, edges[i + 1], at(i, Math.min(progress[i][0], progress[i][1])))), 40);
        const after = list(edges.slice(0, -1).map((g, i) => slice(g, edges[i + 1], at(i, Math.max(progress[i][0], progress[i][1])))), 40);
        const r0 = remainingRequests(resources(before), CREATED, 0);
        const r1 = remainingRequests(resources(after), CREATED, 0);
        if (r0 !== null && r1 !== null) expect(r1).toBeLessThanOrEqual(r0);
      }),
    );
  });
});
