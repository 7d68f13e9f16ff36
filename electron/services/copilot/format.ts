import { formatMoney } from '../../../shared/domain/money';

// Words for facts in drafts and reasons. Dates are shown in UTC so a draft reads the same on every
// agent's machine and in tests; amounts always carry their currency.

const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** Unix seconds → "March 3, 2025". */
export function formatDay(unixSec: number | null | undefined): string {
  if (unixSec == null) return 'an unknown date';
  return DATE.format(new Date(unixSec * 1000));
}

/** Unix seconds → "2025-03-03" (UTC). */
export function isoDay(unixSec: number): string {
  return new Date(unixSec * 1000).toISOString().slice(0, 10);
}

export function money(amount: number | null | undefined, currency: string | null | undefined): string {
  return formatMoney(amount, currency, 'en-US');
}

export function invoiceLabel(inv: { number: string | null; id: string }): string {
  return inv.number ? `invoice ${inv.number}` : `invoice ${inv.id}`;
}
