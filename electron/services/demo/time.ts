// Time for the demo data set. Every timestamp is derived from an anchor instant passed in (never the
// clock), so the same seed gives byte-identical objects whenever it runs. Stripe timestamps are
// unix seconds.

/** The instant the default demo data set describes ("now" inside the demo workspace). */
export const DEFAULT_DEMO_ANCHOR_MS = Date.UTC(2026, 10, 1, 0, 0, 0);

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;

export function toUnixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * Adds calendar months the way Stripe bills: the day of month follows the billing anchor and is
 * clamped to the month's length (anchor on the 31st bills on Feb 28, then Mar 31), time of day kept.
 */
export function addMonths(sec: number, months: number): number {
  const d = new Date(sec * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Math.floor(Date.UTC(targetYear, targetMonth, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000);
}

/** Year and month (1-12) of a unix-seconds instant, in UTC. */
export function yearMonth(sec: number): { year: number; month: number } {
  const d = new Date(sec * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

/** Months since year 0, for comparing card expiries (a card is valid through its expiry month). */
export function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

export function monthIndexOf(sec: number): number {
  const { year, month } = yearMonth(sec);
  return monthIndex(year, month);
}

/**
 * Midnight UTC of the day containing `ms`: the anchor the app seeds with, so the demo's "today"
 * is the user's today (retries due tomorrow, trials ending next week) and the data set is still
 * the same all day long.
 */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}
