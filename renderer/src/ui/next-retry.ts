import { formatDistanceStrict } from 'date-fns';

/**
 * Words for Stripe's next automatic retry (`next_payment_attempt`, unix seconds). A time already
 * past means Stripe has not reported the retry yet — it is running, or the cache is behind
 * (offline, or not synced since) — so it must not read as a plain "23 hours ago".
 */
export function nextRetryWords(atSec: number, nowMs: number): { text: string; overdue: boolean } {
  const at = atSec * 1000;
  if (at >= nowMs) return { text: `in ${formatDistanceStrict(at, nowMs)}`, overdue: false };
  if (nowMs - at < 60_000) return { text: 'due now', overdue: true };
  return { text: `was due ${formatDistanceStrict(at, nowMs)} ago: not reported by Stripe yet`, overdue: true };
}
