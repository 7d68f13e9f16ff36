// Seeded randomness for the demo data set. Every customer draws from its own stream, derived from
// (seed, label, index): customer 1,234 comes out the same whether 2,000 or 100,000 customers are
// generated, and a change in how one customer is built does not reshuffle all the others.

/** 32-bit mix (murmur3 finalizer): spreads nearby inputs (index 1, 2, 3…) over the whole range. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a label, so streams can be named ('person', 'catalog') instead of numbered. */
export function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One 32-bit seed from several integers (seed, stream label hash, index…). */
export function combineSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = mix32(h ^ mix32((p >>> 0) + 0x6d2b79f5 + ((p / 0x100000000) >>> 0)));
  return h;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A non-negative integer as fixed-width base62 (wraps beyond 62^width; callers size the width). */
export function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * sfc32: small, fast, and good enough for test data (passes PractRand to large sizes). Not for
 * anything secret.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A stream for (seed, label, index…), independent of every other stream. */
  static stream(seed: number, label: string, ...index: number[]): Rng {
    return new Rng(combineSeed(seed, hashLabel(label), ...index));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max] (both inclusive). */
  range(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `len` random base62 characters (the random tail of a Stripe-looking id). */
  chars(len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += BASE62[this.nextUint32() % 62];
    return out;
  }

  digits(len: number): string {
    let out = '';
    for (let i = 0; i < len; i++) out += String(this.nextUint32() % 10);
    return out;
  }
}

/** A fixed list of weighted choices, with the cumulative table computed once. */
export class Weighted<T> {
  private readonly values: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('Weighted needs at least one entry');
    this.values = entries.map((e) => e[0]);
    let sum = 0;
    this.cumulative = entries.map((e) => {
      if (!(e[1] >= 0)) throw new Error(`weight must be >= 0, got ${e[1]}`);
      return (sum += e[1]);
    });
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    // Linear scan: the tables here hold at most a few dozen entries.
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }

  all(): readonly T[] {
    return this.values;
  }
}
