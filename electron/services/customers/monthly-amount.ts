// Monthly recurring amount of a subscription, in integer minor units of its currency.
// A price bills `unit_amount × quantity` every `interval_count` intervals; per month that is
// ×1 (month), ÷12 (year), ×52÷12 (week), ×365÷12 (day), then ÷ interval_count. Rounded once, at
// the end, so several items do not accumulate rounding error.

export interface RecurringItem {
  unitAmount: number | null;
  quantity: number;
  interval: string | null;
  intervalCount: number | null;
}

const PER_MONTH: Record<string, number> = {
  month: 1,
  year: 1 / 12,
  week: 52 / 12,
  day: 365 / 12,
};

/** The exact (unrounded) monthly amount of one item; 0 for one-off or metered items without a price. */
export function itemMonthlyAmount(item: RecurringItem): number {
  if (item.unitAmount == null || !item.interval) return 0;
  const factor = PER_MONTH[item.interval];
  if (factor === undefined) return 0;
  const count = item.intervalCount && item.intervalCount > 0 ? item.intervalCount : 1;
  return (item.unitAmount * Math.max(0, item.quantity) * factor) / count;
}

export function monthlyAmount(items: readonly RecurringItem[]): number {
  return Math.round(items.reduce((sum, item) => sum + itemMonthlyAmount(item), 0));
}
