import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, minorUnitExponent, sumByCurrency, toMajorUnits } from '../../shared/domain/money';

describe('money', () => {
  it('formats zero-, two- and three-decimal currencies from minor units', () => {
    expect(formatMoney(123450, 'usd', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(5000, 'jpy', 'en-US')).toBe('¥5,000');
    expect(formatMoney(1500, 'kwd', 'en-US')).toMatch(/KWD\s?1\.500/);
    expect(formatMoney(999, 'eur', 'de-DE').replace(/\s/g, ' ')).toBe('9,99 €');
    expect(formatMoney(-2500, 'gbp', 'en-GB')).toBe('-£25.00');
  });

  it('knows Stripe\'s exponents', () => {
    for (const c of ['BIF', 'clp', 'jpy', 'krw', 'vnd', 'xof']) expect(minorUnitExponent(c)).toBe(0);
    for (const c of ['bhd', 'JOD', 'kwd', 'omr', 'tnd']) expect(minorUnitExponent(c)).toBe(3);
    expect(minorUnitExponent('usd')).toBe(2);
    expect(toMajorUnits(1500, 'kwd')).toBe(1.5);
  });

  it('shows a dash for missing amounts and still shows an unknown currency', () => {
    expect(formatMoney(null, 'usd')).toBe('—');
    expect(formatMoney(100, 'zzz1')).toBe('1.00 ZZZ1');
  });

  it('never adds different currencies together (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ amount: fc.integer({ min: -1e9, max: 1e9 }), currency: fc.constantFrom('usd', 'eur', 'jpy', 'KWD') })), (rows) => {
        const totals = sumByCurrency(rows);
        for (const [c, total] of Object.entries(totals)) {
          expect(total).toBe(rows.filter((r) => r.currency.toLowerCase() === c).reduce((s, r) => s + r.amount, 0));
        }
      }),
    );
  });
});
