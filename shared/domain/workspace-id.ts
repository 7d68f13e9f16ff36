// One Stripe account has two separate sets of data: test mode and live mode (different keys,
// customers, invoices, rate limits). The console keeps them as two workspaces. A workspace id is
// what every cached row, stored key and setting is keyed by:
//   test mode: the Stripe account id itself      acct_1AbC
//   live mode: the account id + ":live"          acct_1AbC:live
// Test keeps the bare id so caches and tools that name an account by its acct_ id keep meaning
// what they meant (every cache before schema 7 that was never given a live key), and a suffix lost
// anywhere can only ever land on test data, never on live.

const LIVE_SUFFIX = ':live';

export function workspaceIdFor(stripeAccountId: string, livemode: boolean): string {
  return livemode ? `${stripeAccountId}${LIVE_SUFFIX}` : stripeAccountId;
}

/** The Stripe account id and mode a workspace id stands for ('demo' is its own thing). */
export function parseWorkspaceId(workspaceId: string): { stripeAccountId: string; livemode: boolean } {
  return workspaceId.endsWith(LIVE_SUFFIX)
    ? { stripeAccountId: workspaceId.slice(0, -LIVE_SUFFIX.length), livemode: true }
    : { stripeAccountId: workspaceId, livemode: false };
}
