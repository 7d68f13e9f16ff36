/**
 * mulberry32: a tiny deterministic generator for test data, fault schedules and bench queries, so a
 * seed names the same run every time. (The demo workspace has its own streams in
 * electron/services/demo/rng.ts: product code must not import from tests/.)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
