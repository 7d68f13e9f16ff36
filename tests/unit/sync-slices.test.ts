import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { advanceSlice, planSlices, splitSlice } from '../../electron/services/sync/slices';
import type { SliceCheckpoint } from '../../electron/services/sync/sync-state';

// The created-time slices of a list must always partition all time (unbounded at both ends, each
// `lt` the next one's `gte`), however they are planned and re-split, and a split never moves a
// slice's range away from its cursor: otherwise objects are missed or read twice.

const FLOOR = 1_600_000_000;
const TOP = 1_700_000_000;

function partitionsTime(slices: SliceCheckpoint[]): boolean {
  const sorted = [...slices].sort((a, b) => (a.gte ?? -Infinity) - (b.gte ?? -Infinity));
  if (sorted[0].gte !== null || sorted[sorted.length - 1].lt !== null) return false;
  for (let i = 1; i < sorted.length; i++) if (sorted[i].gte === null || sorted[i].gte !== sorted[i - 1].lt || sorted[i].gte! >= (sorted[i].lt ?? Infinity)) return false;
  return true;
}

describe('created-time slices', () => {
  it('plans equal spans between the account creation and now, unbounded at both ends', () => {
    const s = planSlices(4, FLOOR, TOP);
    expect(s.map((x) => [x.gte, x.lt])).toEqual([
      [null, FLOOR + 25_000_000],
      [FLOOR + 25_000_000, FLOOR + 50_000_000],
      [FLOOR + 50_000_000, FLOOR + 75_000_000],
      [FLOOR + 75_000_000, null],
    ]);
    expect(planSlices(1, FLOOR, TOP).map((x) => [x.gte, x.lt])).toEqual([[null, null]]);
    expect(planSlices(8, null, TOP).map((x) => [x.gte, x.lt])).toEqual([[null, null]]);
  });

  it('a split keeps the slice partitioned and the cursor inside the slice that keeps it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { maxLength: 40 }),
        (n, steps) => {
          const slices = planSlices(n, FLOOR, TOP);
          for (const [pick, count, depth, more] of steps) {
            const open = slices.filter((s) => !s.done);
            if (!open.length) break;
            const s = open[pick % open.length];
            // A page of `count` objects, newest first, reaching `depth` of the way down what is left.
            const hi = Math.min(s.lastCreated ?? s.lt ?? TOP, s.lt ?? TOP) - 1;
            const lo = s.gte ?? FLOOR - 10_000_000;
            if (hi < lo) continue;
            const last = Math.round(hi - depth * (hi - lo));
            const items = Array.from({ length: count }, (_, i) => ({ id: `o${i}`, created: Math.round(hi - ((hi - last) * i) / Math.max(1, count - 1)) }));
            advanceSlice(s, items, more);
            const older = splitSlice(slices, s, FLOOR, TOP);
            expect(partitionsTime(slices)).toBe(true);
            if (older) {
              expect(s.gte).not.toBeNull();
              expect(s.lastCreated!).toBeGreaterThanOrEqual(s.gte!);
              expect(older.after).toBeNull();
              expect(older.lt).toBe(s.gte);
            }
          }
        },
      ),
    );
  });

  it('does not split a slice whose rest is one second, nor one with less than two pages left', () => {
    const slices = planSlices(2, FLOOR, TOP);
    const s = slices[1]; // [middle, now): bounded below
    advanceSlice(s, Array.from({ length: 100 }, (_, i) => ({ id: `c${i}`, created: s.gte! })), true);
    expect(splitSlice(slices, s, FLOOR, TOP)).toBeNull();
    const few = planSlices(1, FLOOR, TOP);
    // 100 objects over 100 days, 10 days left: ~10 objects, not worth another stream.
    advanceSlice(few[0], Array.from({ length: 100 }, (_, i) => ({ id: `d${i}`, created: FLOOR + 110 * 86_400 - i * 86_400 })), true);
    expect(splitSlice(few, few[0], FLOOR, TOP)).toBeNull();
  });
});
