// What /healthz says about each Stripe account the team server syncs. The mirror / sync-state
// store (team-sync) implements this from its sync state and the sync-writer lease; the server only
// reads it. The list is also the set of accounts a call may name.

export interface AccountHealth {
  id: string;
  backfill_complete: boolean;
  /** True on the instance that holds this account's sync-writer lease. */
  leader: boolean;
}

export interface AccountHealthSource {
  accounts(): Promise<AccountHealth[]>;
}

/** A fixed list (tests, and a server started before any account is configured). */
export function staticAccounts(list: AccountHealth[]): AccountHealthSource {
  return { accounts: async () => list.map((a) => ({ ...a })) };
}
