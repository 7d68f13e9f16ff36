import { AppError } from '../../../shared/contract/errors';
import type { AccountSummary, KeyCheck } from '../../../shared/contract/workspace';
import { inTransaction } from '../db';
import { teamState } from '../stores/team-state';
import type { TeamCallContext, TeamHandlerMap } from './types';

// The team's Stripe keys (admins): a key is checked with Stripe as a solo desk checks it, stored
// only sealed with BSC_TEAM_SECRET, its account added or updated and its sync started; clearing
// forgets the key and stops the sync (the mirror stays). The audit row keeps the key's kind, mode
// and last four characters, never the key; responses carry the same (KeyCheck).

/** What the server's Stripe side does with keys (team-sync.ts). */
export interface TeamStripeKeys {
  addKey(rawKey: string): Promise<{ check: KeyCheck; account: AccountSummary }>;
  clearKey(accountId: string): Promise<void>;
  accounts: { list(): Promise<Array<{ id: string; livemode: boolean; hasSecretKey: boolean }>> };
}

function keysOf(ctx: TeamCallContext): TeamStripeKeys {
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
