// A card is valid through the last day of its expiry month. "Expiring soon" means it expires this
// month or next month: the window in which asking for a new card prevents a decline. Months are
// compared in UTC so the flag does not flip with the agent's timezone.

export interface CardExpiry {
  expired: boolean;
  expiringSoon: boolean;
}

export function cardExpiryFlags(expMonth: number | null, expYear: number | null, nowMs: number): CardExpiry {
  if (!expMonth || !expYear) return { expired: false, expiringSoon: false };
  const now = new Date(nowMs);
  const nowIndex = now.getUTCFullYear() * 12 + now.getUTCMonth(); // month index, 0-based months
  const expIndex = expYear * 12 + (expMonth - 1);
  if (expIndex < nowIndex) return { expired: true, expiringSoon: false };
  return { expired: false, expiringSoon: expIndex - nowIndex <= 1 };
}
