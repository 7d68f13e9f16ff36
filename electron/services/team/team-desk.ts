import type { CallName } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import type { HandlerMap, HandlerTable } from '../core/handler-table';
import { prepared } from '../db/statements';
import { agentName } from '../workspace/agent-name';
import { decideProposal, getProposal } from '../copilot/actions/proposals';
import { ensureAccount } from '../stripe/ingest';
import { dropLocalKbArticles } from '../copilot/kb/team-articles';
import { newIdempotencyKey, TeamOutbox } from './outbox';
import { TeamPresence } from './presence';
import { TeamReplica } from './replica';
import { TeamClient, TeamSignedOutError, TeamUnreachableError } from './team-client';
import type { TeamConfig } from './team-config';

// A desk in team mode: every read stays local (the replica), every write goes to the team server
// with the agent's token, unchanged, and its outcome comes back through the feed (the desk also
// catches up at once after a write, so the agent sees it; the feed repeating it is a no-op).
// Offline: notes wait in the outbox (shown pending); Stripe writes and stage moves are refused in
// words, never queued: a retry or a move must be decided on the current state.

/** Calls a desk forwards to the team server: its writes, and the one read only Stripe can answer (the server's role table decides who may). */
export const FORWARDED_CALLS = [
  'notes.add',
  'notes.update',
  'dunning.addNote',
  'dunning.setStage',
  'dunning.assign',
  'dunning.sendPortalLinks',
  'dunning.retry',
  'dunning.exportCsv',
  'dunning.views.save',
  'dunning.views.delete',
  'portal.createLink',
  'portal.settings.set',
  'portal.configurations.create',
  'portal.configurations.update',
  // A read, but of Stripe: the desk holds no key, the server lists them.
  'portal.configurations.list',
  'copilot.confirmAction',
  'copilot.dismissAction',
  // The team's Stripe keys live on the server (an admin changes them from any desk; the desk keeps none).
  'workspace.setStripeKey',
  'workspace.clearStripeKey',
] as const satisfies readonly CallName[];

const OFFLINE_WORDS: Partial<Record<CallName, string>> = {
  'dunning.setStage': 'Stage moves need the team server (another agent may be moving the same case)',
  'dunning.assign': 'Assignments need the team server',
  'dunning.retry': 'Payment retries go through the team server (it holds the Stripe key)',
  'portal.createLink': 'Portal links are made by the team server (it holds the Stripe key)',
  'dunning.sendPortalLinks': 'Portal links are made by the team server (it holds the Stripe key)',
  'copilot.confirmAction': 'Stripe actions go through the team server (it holds the Stripe key)',
  'copilot.dismissAction': 'Proposals are decided on the team server',
  'portal.configurations.list': 'Portal configurations are read from Stripe by the team server',
  'portal.configurations.create': 'Portal configurations are changed by the team server (it holds the Stripe key)',
  'portal.configurations.update': 'Portal configurations are changed by the team server (it holds the Stripe key)',
  'workspace.setStripeKey': 'The Stripe key is kept by the team server',
  'workspace.clearStripeKey': 'The Stripe key is kept by the team server',
  'dunning.exportCsv': "The team queue's CSV export is made by the team server (it checks that you are a lead)",
};

export interface TeamDesk {
  client: TeamClient;
  replica: TeamReplica;
  outbox: TeamOutbox;
  presence: TeamPresence;
  accountId: string;
}

/** The team account this desk follows: remembered for offline starts, else asked of the server. */
async function teamAccount(ctx: ServiceContext, client: TeamClient): Promise<string> {
  const known = prepared(ctx.db, 'SELECT account_id FROM team_replica WHERE server_url = ? ORDER BY rowid LIMIT 1').get(client.url) as { account_id: string } | undefined;
  if (known) return known.account_id;
  let ids: string[];
  try {
    ids = await client.accounts();
  } catch (err) {
    throw new AppError('offline', `This desk has not joined the team yet and ${err instanceof Error ? err.message : 'the team server cannot be reached'}`);
  }
  if (ids.length === 0) throw new AppError('not_configured', 'The team server has no Stripe account yet (an admin sets STRIPE_SECRET_KEY on the server). Nothing to follow.');
  return ids[0];
}

export async function startTeamDesk(ctx: ServiceContext, table: HandlerTable, config: TeamConfig, onClose: (fn: () => void | Promise<void>) => void): Promise<TeamDesk> {
  ctx.redactor.remember(config.token);
  const client = new TeamClient(config);
  const accountId = await teamAccount(ctx, client);
  ensureAccount(ctx.db, { id: accountId, name: 'Team', livemode: accountId.endsWith(':live'), isDemo: false });
  prepared(ctx.db, 'INSERT OR IGNORE INTO team_replica (account_id, server_url) VALUES (?, ?)').run(accountId, client.url);
  ctx.workspace.pinTeamAccount(accountId);
  // The copilot cites the team's knowledge base only (it arrives with the feed as kb_article entries).
  const dropped = dropLocalKbArticles(ctx.db);
  if (dropped) ctx.log.info("this desk's own knowledge-base articles dropped: a team desk cites the team's", { articles: dropped });
  // The replica knows the agent (identity from the server); presence asks it when it lists.
  const presence: TeamPresence = new TeamPresence(ctx, client, accountId, () => replica.identity()?.id ?? null);
  const replica: TeamReplica = new TeamReplica(ctx, client, accountId, presence);
  const outbox = new TeamOutbox(ctx, accountId);
  const desk: TeamDesk = { client, replica, outbox, presence, accountId };
  ctx.registries.teamDesk = desk;

  const me = () => agentName(ctx);
  // Online / offline / signed out is part of what the window shows about the workspace.
  replica.onStatus(() => ctx.hub.emit('data.changed', { accountId, kinds: ['accounts'], customerIds: [] }));

  // The copilot ran here: the server is shown the proposal this desk recorded, then decides it.
  const bringProposal = async (name: CallName, input: unknown) => {
    if (name !== 'copilot.confirmAction' && name !== 'copilot.dismissAction') return null;
    const { customerId, proposalId } = input as { customerId: string; proposalId: string };
    const row = getProposal(ctx.db, accountId, customerId, proposalId);
    if (!row) throw new AppError('not_found', 'This proposal does not exist for this customer. Ask the copilot again.');
    if (row.status === 'info') throw new AppError('conflict', 'This suggestion is information only; there is nothing to confirm.');
    await client.bringProposal({ proposalId, customerId, type: row.type, args: JSON.parse(row.args_json), title: row.title, reason: row.reason, source: row.source });
    return proposalId;
  };
  const forward = (name: CallName) => async (input: unknown) => {
    const key = newIdempotencyKey();
    // A key an admin pastes goes to the server only; no log line or error of this desk shows it.
    if (name === 'workspace.setStripeKey') ctx.redactor.remember((input as { key: string }).key.trim());
    try {
      const proposal = await bringProposal(name, input);
      const value = await client.call(name, input, key);
      // This desk's copy of the proposal follows the server's decision (the chat shows it decided).
      if (proposal) decideProposal(ctx.db, proposal, name === 'copilot.confirmAction' ? 'confirmed' : 'dismissed', me(), ctx.now(), value);
      // The outcome is in the feed already: take it now rather than wait for the live stream.
      await replica.pull().catch((err) => ctx.log.warn('catching up after a team write failed', { error: err }));
      return value;
    } catch (err) {
      if (err instanceof TeamUnreachableError) {
        if (name === 'notes.add') {
          const { customerId, body } = input as { customerId: string; body: string };
          return outbox.queueNote(customerId, body, key, me());
        }
        const what = OFFLINE_WORDS[name] ?? 'This change needs the team server';
        throw new AppError('offline', `Not saved: ${what}, and it cannot be reached right now. Reads keep working from this desk's copy; try again when the desk is back online.`);
      }
      throw err;
    }
  };
  const map: HandlerMap = {};
  for (const name of FORWARDED_CALLS) if (table.has(name)) (map as Record<string, unknown>)[name] = forward(name);
  map['workspace.setAgentName'] = () => {
    throw new AppError('refused', `On a team your name comes from the team server (${me()}); a team admin changes it.`);
  };
  // The copilot on a team desk shows the team's model (copilot/service.ts): an admin sets it on the
  // team server (copilot.settings.* there, or OPENAI_API_KEY), so a model key pasted here is refused.
  map['copilot.settings.setKey'] = () => {
    throw new AppError('refused', 'On a team the model key lives on the team server (an admin sets it there); this desk keeps none. Leave the team in Settings → Team to use a key of your own.');
  };
  // "Sync now" catches this desk up; an admin's also asks the team server to poll Stripe now.
  map['sync.start'] = async (input) => {
    if (replica.identity()?.role === 'admin') return (await forward('sync.start')(input)) as { started: boolean };
    void replica.pull().catch((err) => ctx.log.warn('team catch-up failed', { error: err }));
    return { started: true };
  };
  table.replace('team', map);

  const flush = async () => {
    await presence.resend().catch((err) => ctx.log.warn('presence not said again after reconnecting', { error: err }));
    await outbox.flush(client);
    await replica.pull();
  };
  const env = ctx.options.env ?? process.env;
  const flag = env.BSC_TEAM_FOLLOW ?? env.BSC_SYNC_AUTOSTART;
  const follow = flag === '1' || (flag !== '0' && (ctx.options.env === undefined || ctx.options.env === process.env));
  if (follow) replica.follow(flush);
  onClose(async () => {
    await presence.stop();
    await replica.stop();
  });
  return desk;
}

export { TeamSignedOutError };
