import { minorUnitExponent } from '../../../shared/domain/money';

// Amounts written into demo text (line descriptions, timeline summaries). Same output as
// formatMoney(amount, currency, 'en-US'), but with one Intl.NumberFormat per currency: building a
// formatter per call costs more than the rest of an invoice put together.

const formatters = new Map<string, { format: Intl.NumberFormat; exp: number }>();

export function moneyText(amountMinor: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    const exp = minorUnitExponent(currency);
    f = {
      exp,
      format: new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: exp, maximumFractionDigits: exp }),
    };
    formatters.set(currency, f);
  }
  return f.format.format(amountMinor / 10 ** f.exp);
}
