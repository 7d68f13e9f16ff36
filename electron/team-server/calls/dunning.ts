import { AppError } from '../../../shared/contract/errors';
import { decide } from '../../services/dunning/stage-machine';
import { inTransaction, type Tx } from '../db';
import { teamState, type TeamCase, type TeamHistoryEntry } from '../stores/team-state';
import type { FeedChange, FeedStore } from '../stores/feed';
import { noteChange } from './notes';
import { TEAM_ENTITY, type TeamCallContext, type TeamHandlerMap } from './types';

// What people do to dunning cases on a team: stage moves (the same stage machine as the desk,
// one audit row per case, accepted or refused), assignment to an agent of the team, case notes.
// Each changed case and each history row goes into the feed in the same transaction.

const caseChange = (ctx: TeamCallContext, c: TeamCase): FeedChange => ({ accountId: ctx.accountId, entity: TEAM_ENTITY.dunningCase, entityId: String(c.id), op: 'upsert', data: c });
const historyChange = (ctx: TeamCallContext, h: TeamHistoryEntry): FeedChange => ({ accountId: ctx.accountId, entity: TEAM_ENTITY.dunningHistory, entityId: String(h.id), op: 'upsert', data: h });

/**
 * Opens a case and announces it in the feed, in one transaction: the entry point for the
 * server's reconcile of the Stripe mirror (and for tests that seed cases).
 */
export function openDunningCase(tx: Tx, feed: FeedStore, c: Parameters<typeof teamState.openCase>[1]): Promise<TeamCase> {
  return teamState.openCase(tx, c).then(async (opened) => {
    await feed.append(tx, [{ accountId: opened.accountId, entity: TEAM_ENTITY.dunningCase, entityId: String(opened.id), op: 'upsert', data: opened }]);
    return opened;
  });
}

export const dunningHandlers: TeamHandlerMap = {
  'dunning.setStage': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const ids = [...new Set(input.caseIds)];
      const cases = await teamState.casesForUpdate(tx, ctx.accountId, ids);
      const atMs = ctx.now();
      const atS = Math.floor(atMs / 1000);
      const out = { moved: [] as number[], refused: [] as Array<{ caseId: number; reason: string }> };
      const changes: FeedChange[] = [];
      for (const caseId of ids) {
        const c = cases.get(caseId);
        const decision = decide(c ? { stage: c.stage, failureMark: c.failureMark, amountAtRisk: c.amountAtRisk } : null, { type: 'manual', to: input.stage });
        const audit = { accountId: ctx.accountId, atMs, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'dunning.stage', targetType: 'dunning_case', targetId: String(caseId), params: { from: c?.stage ?? null, to: input.stage } };
        if (decision.kind !== 'move') {
          const reason = decision.kind === 'refused' ? decision.reason : 'Nothing to change.';
          await teamState.audit(tx, { ...audit, result: 'refused', errorMessage: reason });
          out.refused.push({ caseId, reason });
          continue;
        }
        const closing = decision.to === 'lost';
        const moved = await teamState.setCaseStage(tx, caseId, decision.to, atS, closing);
        const h = await teamState.addHistory(tx, { caseId, at: atMs, actor: ctx.agent.name, actorAgentId: ctx.agent.id, kind: 'stage', fromStage: c!.stage, toStage: decision.to, detail: closing ? 'written off' : null });
        await teamState.audit(tx, { ...audit, result: 'ok' });
        changes.push(caseChange(ctx, moved), historyChange(ctx, h));
        out.moved.push(caseId);
      }
      await ctx.feed.append(tx, changes);
      return out;
    }),

  'dunning.assign': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      let assignee: { name: string; agentId: string } | null = null;
      if (input.assignee !== null) {
        const a = await ctx.agents.find(input.assignee);
        if (!a) throw new AppError('not_found', `No active agent called "${input.assignee}" on this team (a name or an agt_… id). Nothing was assigned.`);
        assignee = { name: a.name, agentId: a.id };
      }
      const ids = [...new Set(input.caseIds)];
      const cases = await teamState.casesForUpdate(tx, ctx.accountId, ids);
      const missing = ids.filter((id) => !cases.has(id));
      if (missing.length) throw new AppError('not_found', `No dunning case ${missing.join(', ')} in this account. Nothing was assigned.`);
      const atMs = ctx.now();
      const updated: number[] = [];
      const changes: FeedChange[] = [];
      for (const id of ids) {
        const c = cases.get(id)!;
        if (c.assigneeAgentId === (assignee?.agentId ?? null)) continue;
        const after = await teamState.setCaseAssignee(tx, id, assignee);
        const h = await teamState.addHistory(tx, { caseId: id, at: atMs, actor: ctx.agent.name, actorAgentId: ctx.agent.id, kind: 'assigned', fromStage: null, toStage: null, detail: assignee?.name ?? 'unassigned' });
        await teamState.audit(tx, { accountId: ctx.accountId, atMs, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'dunning.assign', targetType: 'dunning_case', targetId: String(id), params: { from: c.assignee, to: assignee?.name ?? null }, result: 'ok' });
        changes.push(caseChange(ctx, after), historyChange(ctx, h));
        updated.push(id);
      }
      await ctx.feed.append(tx, changes);
      return { updated };
    }),

  'dunning.addNote': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const c = (await teamState.casesForUpdate(tx, ctx.accountId, [input.caseId])).get(input.caseId);
      if (!c) throw new AppError('not_found', `No dunning case ${input.caseId} in this account.`);
      const at = ctx.now();
      const note = await teamState.addNote(tx, { accountId: ctx.accountId, customerId: c.customerId, dunningCaseId: c.id, body: input.body, author: ctx.agent.name, authorAgentId: ctx.agent.id, atMs: at });
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'note.add', targetType: 'dunning_case', targetId: String(c.id), params: { noteId: note.id, length: input.body.length }, result: 'ok' });
      await ctx.feed.append(tx, [noteChange(ctx, note)]);
      return { id: note.id, body: note.body, author: note.author, createdAt: note.createdAt };
    }),

  'dunning.views.save': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const at = ctx.now();
      const view = await teamState.saveView(tx, { accountId: ctx.accountId, name: input.name, filters: input.filters, sort: input.sort, createdBy: ctx.agent.name, agentId: ctx.agent.id, atMs: at });
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'dunning.views.save', targetType: 'saved_view', targetId: String(view.id), params: { name: view.name }, result: 'ok' });
      await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.savedView, entityId: String(view.id), op: 'upsert', data: view }]);
      return view;
    }),

  'dunning.views.delete': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const deleted = await teamState.deleteView(tx, ctx.accountId, input.id);
      if (deleted) {
        await teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'dunning.views.delete', targetType: 'saved_view', targetId: String(input.id), result: 'ok' });
        await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.savedView, entityId: String(input.id), op: 'delete', data: null }]);
      }
      return { deleted };
    }),

  'dunning.views.list': (_input, ctx) => inTransaction(ctx.pool, (tx) => teamState.listViews(tx, ctx.accountId)),
};
