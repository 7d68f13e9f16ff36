import { AppError } from '../../../shared/contract/errors';
import type { AccountSummary, KeyCheck } from '../../../shared/contract/workspace';
import { inTransaction } from '../db';
import { teamState } from '../stores/team-state';
import type { TeamCallContext, TeamHandlerMap } from './types';

// The team's Stripe keys (admins): a key is checked with Stripe as a solo desk checks it, stored
// only sealed with BSC_TEAM_SECRET, its account added or updated and its sync started; clearing
// forgets the key and stops the sync (the mirror stays). The audit row keeps the key's kind, mode
// and last four characters, never the key; responses carry the same (KeyCheck).

/** What the server's Stripe side does with keys and syncs (team-sync.ts). */
export interface TeamStripeAccounts {
  addKey(rawKey: string): Promise<{ check: KeyCheck; account: AccountSummary }>;
  clearKey(accountId: string): Promise<void>;
  /** Asks the account's sync for a poll now; false when this instance does not run it (another one leads). */
  pollNow(accountId: string): boolean;
  accounts: { list(): Promise<Array<{ id: string; livemode: boolean; hasSecretKey: boolean }>> };
}

function keysOf(ctx: TeamCallContext): TeamStripeAccounts {
  if (!ctx.keys) throw new AppError('not_configured', 'This team server manages no Stripe keys (it runs without its Stripe sync).');
  return ctx.keys;
}

export const keyHandlers: TeamHandlerMap = {
  'workspace.setStripeKey': async ({ key }, ctx) => {
    const result = await keysOf(ctx).addKey(key);
    return inTransaction(ctx.pool, async (tx) => {
      const { check, account } = result;
      await teamState.audit(tx, { accountId: account.id, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'stripe_key.set', targetType: 'account', targetId: account.id, params: { kind: check.kind, livemode: check.livemode, hint: check.hint }, result: 'ok' });
      return result;
    });
  },

  'workspace.clearStripeKey': async ({ accountId }, ctx) => {
    const keys = keysOf(ctx);
    const held = (await keys.accounts.list()).find((a) => a.id === accountId);
    if (!held?.hasSecretKey) throw new AppError('not_found', `The team server holds no Stripe key for ${accountId}. Nothing was changed.`);
    await keys.clearKey(accountId);
    const left = (await keys.accounts.list()).filter((a) => a.hasSecretKey);
    return inTransaction(ctx.pool, async (tx) => {
      await teamState.audit(tx, { accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'stripe_key.clear', targetType: 'account', targetId: accountId, result: 'ok' });
      // The contract's mode: what the team works on now (no key left: nothing but the mirror, as a demo).
      return { mode: left.length === 0 ? ('demo' as const) : left[0].livemode ? ('live' as const) : ('test' as const) };
    });
  },
};

/** An admin's "sync now": the events poll runs at once on the instance that leads the account's sync. */
export const syncHandlers: TeamHandlerMap = {
  'sync.start': async ({ full }, ctx) => {
    if (full) throw new AppError('bad_input', 'A full resync is not run from a desk on a team: the team server backfills once and then follows webhooks and the events poll. Ask for a poll (without "full") instead.');
    const started = keysOf(ctx).pollNow(ctx.accountId);
    await inTransaction(ctx.pool, (tx) => teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'sync.start', targetType: 'account', targetId: ctx.accountId, params: { here: started }, result: 'ok' }));
    return { started };
  },
};
