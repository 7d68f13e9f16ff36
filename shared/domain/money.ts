// Stripe amounts are integers in the currency's minor unit. The exponent is not always 2:
// dividing by 100 blindly shows ¥5,000 as ¥50 and KWD 1.500 as KWD 15.00.
// These two lists are the only ones: SQL that compares amounts across currencies is generated from
// them (electron/services/dunning/queue-query.ts).
export const ZERO_DECIMAL_CURRENCIES = [
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
] as const;
export const THREE_DECIMAL_CURRENCIES = ['bhd', 'jod', 'kwd', 'omr', 'tnd'] as const;
const ZERO_DECIMAL = new Set<string>(ZERO_DECIMAL_CURRENCIES);
const THREE_DECIMAL = new Set<string>(THREE_DECIMAL_CURRENCIES);

/** Number of digits after the decimal point in Stripe's minor unit for this currency. */
export function minorUnitExponent(currency: string): 0 | 2 | 3 {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/** Converts integer minor units to a major-unit number (for charts and sums shown to people only). */
export function toMajorUnits(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorUnitExponent(currency);
}

/** Formats integer minor units for people, always with the currency, e.g. "$1,234.50", "¥5,000", "KWD 1.500". */
export function formatMoney(amountMinor: number | null | undefined, currency: string | null | undefined, locale?: string): string {
  if (amountMinor == null || !currency) return '—';
  const exp = minorUnitExponent(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    }).format(amountMinor / 10 ** exp);
  } catch {
    // An unknown ISO code makes Intl throw; still show the amount rather than nothing.
    return `${(amountMinor / 10 ** exp).toFixed(exp)} ${currency.toUpperCase()}`;
  }
}

/** Sums amounts per currency: adding USD cents to JPY yen is meaningless, so totals are always grouped. */
export function sumByCurrency(rows: ReadonlyArray<{ amount: number; currency: string }>): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const r of rows) {
    const c = r.currency.toLowerCase();
    totals[c] = (totals[c] ?? 0) + r.amount;
  }
  return totals;
}
