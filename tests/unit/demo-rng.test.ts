import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base62, Rng, Weighted } from '../../electron/services/demo/rng';
import { addMonths } from '../../electron/services/demo/time';
import { romanize } from '../../electron/services/demo/romanize';
import { moneyText } from '../../electron/services/demo/money-text';
import { formatMoney } from '../../shared/domain/money';

// The building blocks the data set's determinism and realism rest on.

describe('seeded random streams', () => {
  it('the same (seed, label, index) always gives the same sequence; any change gives another', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.string(), fc.nat(1_000_000), (seed, label, index) => {
        const a = Rng.stream(seed, label, index);
        const b = Rng.stream(seed, label, index);
        const seqA = Array.from({ length: 8 }, () => a.nextUint32());
        expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
        const other = Rng.stream(seed, label, index + 1);
        expect(Array.from({ length: 8 }, () => other.nextUint32())).not.toEqual(seqA);
      }),
      { numRuns: 200 },
    );
  });

  it('range() stays within its inclusive bounds and reaches both ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 50 }), fc.nat(), (min, width, seed) => {
        const rng = new Rng(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 400; i++) {
          const v = rng.range(min, min + width);
          expect(v).toBeGreaterThanOrEqual(min);
          expect(v).toBeLessThanOrEqual(min + width);
          seen.add(v);
        }
        if (width <= 5) expect(seen.size).toBe(width + 1);
      }),
      { numRuns: 100 },
    );
  });

  it('weighted choices follow their weights and never pick a zero weight', () => {
    const table = new Weighted<string>([['common', 90], ['rare', 10], ['never', 0]]);
    const rng = new Rng(99);
    const counts: Record<string, number> = { common: 0, rare: 0, never: 0 };
    for (let i = 0; i < 20_000; i++) counts[table.pick(rng)]++;
    expect(counts.never).toBe(0);
    expect(counts.rare / 20_000).toBeGreaterThan(0.08);
    expect(counts.rare / 20_000).toBeLessThan(0.12);
    expect(() => new Weighted<string>([])).toThrow();
    expect(() => new Weighted<string>([['x', -1]])).toThrow();
  });

  it('base62 ids have a fixed width and distinct numbers give distinct codes', () => {
    fc.assert(
      fc.property(fc.nat(62 ** 5 - 1), fc.nat(62 ** 5 - 1), (a, b) => {
        expect(base62(a, 5)).toHaveLength(5);
        expect(base62(a, 5)).toMatch(/^[0-9A-Za-z]{5}$/);
        if (a !== b) expect(base62(a, 5)).not.toBe(base62(b, 5));
      }),
    );
  });
});

describe('calendar months as Stripe bills them', () => {
  const utc = (iso: string) => Date.parse(iso) / 1000;

  it('clamps to the end of shorter months and keeps the billing day after them', () => {
    expect(addMonths(utc('2026-01-31T10:00:00Z'), 1)).toBe(utc('2026-02-28T10:00:00Z'));
    expect(addMonths(utc('2026-01-31T10:00:00Z'), 2)).toBe(utc('2026-03-31T10:00:00Z'));
    expect(addMonths(utc('2028-01-31T00:00:00Z'), 1)).toBe(utc('2028-02-29T00:00:00Z'));
    expect(addMonths(utc('2026-12-15T08:30:00Z'), 1)).toBe(utc('2027-01-15T08:30:00Z'));
    expect(addMonths(utc('2026-03-15T08:30:00Z'), -3)).toBe(utc('2025-12-15T08:30:00Z'));
    expect(addMonths(utc('2028-02-29T00:00:00Z'), 12)).toBe(utc('2029-02-28T00:00:00Z'));
  });

  it('for billing days up to the 28th, stepping back and forth returns to the same instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 28 }), fc.nat(86_399), fc.integer({ min: -60, max: 60 }), (y, m, d, secOfDay, months) => {
        const t = Date.UTC(y, m, d) / 1000 + secOfDay;
        const moved = addMonths(t, months);
        expect(addMonths(moved, -months)).toBe(t);
        expect(new Date(moved * 1000).getUTCDate()).toBe(d);
      }),
    );
  });
});

describe('names to e-mail handles', () => {
  it('drops accents and transliterates Cyrillic and Greek to plain ASCII', () => {
    expect(romanize('Jürgen Müller', 'latin')).toBe('jurgenmuller');
    expect(romanize('Łukasz Żółć', 'latin')).toBe('lukaszzolc');
    expect(romanize('Straße', 'latin')).toBe('strasse');
    expect(romanize('Иван Петров', 'cyrillic')).toBe('ivanpetrov');
    expect(romanize('Щукина', 'cyrillic')).toBe('shchukina');
    expect(romanize('Παπαδόπουλος', 'greek')).toBe('papadopoulos');
    expect(romanize('Γιώργος', 'greek')).toBe('giorgos');
  });

  it('always yields lower-case ASCII letters and digits only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('latin', 'cyrillic', 'greek') as fc.Arbitrary<'latin' | 'cyrillic' | 'greek'>, (text, script) => {
        expect(romanize(text, script)).toMatch(/^[a-z0-9]*$/);
      }),
    );
  });
});

describe('amounts written into demo text', () => {
  it('read exactly as formatMoney would write them, for every demo currency', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.constantFrom('usd', 'eur', 'gbp', 'jpy', 'kwd'), (amount, currency) => {
        expect(moneyText(amount, currency)).toBe(formatMoney(amount, currency, 'en-US'));
      }),
    );
    expect(moneyText(280000, 'jpy')).toBe('¥280,000');
    // Intl puts a no-break space between a currency code and the amount.
    expect(moneyText(5900, 'kwd')).toBe('KWD\u00a05.900');
  });
});
