// Stripe's status words as the Dashboard colours them (badge classes from styles.css).

const SUBSCRIPTION_BADGE: Record<string, string> = {
  active: 'badge ok',
  trialing: 'badge info',
  past_due: 'badge danger',
  unpaid: 'badge danger',
  incomplete: 'badge warn',
  incomplete_expired: 'badge',
  paused: 'badge warn',
  canceled: 'badge',
};

const INVOICE_BADGE: Record<string, string> = {
  paid: 'badge ok',
  open: 'badge info',
  draft: 'badge',
  uncollectible: 'badge danger',
  void: 'badge',
};

const ATTEMPT_BADGE: Record<string, string> = {
  succeeded: 'badge ok',
  failed: 'badge danger',
  requires_action: 'badge warn',
  processing: 'badge info',
};

/** "past_due" → "Past due". */
export function statusWords(status: string | null | undefined): string {
  if (!status) return 'Unknown';
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const subscriptionBadge = (status: string) => SUBSCRIPTION_BADGE[status] ?? 'badge';
export const invoiceBadge = (status: string | null) => (status && INVOICE_BADGE[status]) || 'badge';
export const attemptBadge = (status: string) => ATTEMPT_BADGE[status] ?? 'badge';

/** "month" with count 3 → "3 months"; "year" → "year". */
export function intervalWords(interval: string | null, count: number | null): string {
  if (!interval) return 'one-time';
  return count && count > 1 ? `${count} ${interval}s` : interval;
}
