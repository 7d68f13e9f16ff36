import type { BackfillCheckpoint, BackfillResource } from './sync-state';

// How long a backfill has left, in requests. Lists come newest first, so how far back in time a
// list has reached (from its newest object to the account's creation) says what share of it is
// read; with created-time slices, the share is the time each slice has covered over the time all
// of them span. Its remaining pages follow from the pages read so far. Payment methods cost one request
// per customer, so theirs is the customers not yet visited. The ETA is the remaining requests at
// the rate the sync is actually getting (or its limit, before there is a rate to measure).

const LISTS: BackfillResource[] = ['customers', 'subscriptions', 'invoices', 'invoice_payments'];

/** Share of a list already read, 0..1 (null when it cannot be told yet). */
function listShare(c: BackfillCheckpoint['resources'][BackfillResource], accountCreated: number): number | null {
  if (!c) return null;
  if (c.done) return 1;
  if (c.firstCreated == null || c.firstCreated <= accountCreated) return null;
  const top = c.firstCreated + 1;
  const slices = c.slices?.length ? c.slices : [{ gte: null, lt: null, done: false, lastCreated: c.lastCreated }];
  let span = 0;
  let covered = 0;
  for (const s of slices) {
    const lo = Math.min(top, Math.max(accountCreated, s.gte ?? accountCreated));
    const hi = Math.max(lo, Math.min(top, s.lt ?? top));
    span += hi - lo;
    if (s.done) covered += hi - lo;
    else if (s.lastCreated != null) covered += Math.min(hi - lo, Math.max(0, hi - s.lastCreated));
  }
  return span > 0 ? Math.min(1, covered / span) : null;
}

/**
 * Requests left, or null while it cannot be told. `paymentMethodsAllLimit`: up to how many
 * customers the payment methods are listed per customer (Infinity: always, 0: never).
 */
export function remainingRequests(resources: BackfillCheckpoint['resources'], accountCreated: number, paymentMethodsAllLimit: number): number | null {
  let remaining = 0;
  for (const r of LISTS) {
    const c = resources[r];
    const share = listShare(c, accountCreated);
    // Not started, or too early to tell how far back it has to go.
    if (share === null) return null;
    if (share >= 1) continue;
    if (share <= 0.005) return null;
    remaining += Math.ceil((c!.pages * (1 - share)) / share);
  }
  if (paymentMethodsAllLimit > 0 && !resources.payment_methods?.done) {
    const customers = resources.customers!;
    const totalCustomers = customers.objects / listShare(customers, accountCreated)!;
    if (totalCustomers <= paymentMethodsAllLimit) remaining += Math.max(0, Math.round(totalCustomers - (resources.payment_methods?.pages ?? 0)));
  }
  return remaining;
}

export function etaSeconds(remaining: number | null, measuredRate: number, rateLimit: number): number | null {
  if (remaining === null) return null;
  const rate = measuredRate > 0 ? measuredRate : Number.isFinite(rateLimit) ? rateLimit : 0;
  return rate > 0 ? Math.round(remaining / rate) : null;
}
