import type { ServiceContext } from '../core/context';
import type { DunningNote, ManualDunningStage } from '../../../shared/contract/dunning';
import { AppError } from '../../../shared/contract/errors';
import { addHistory, getCase, updateCase, type CaseRecord } from './case-store';
import { prepared } from '../db/statements';
import { decide } from './stage-machine';

// What a person does to cases by hand: move stages (one audit row per case, accepted or refused),
// assign, write notes. Cases of another account than the one shown are treated as unknown.

function caseOfCurrentAccount(ctx: ServiceContext, caseId: number): CaseRecord | undefined {
  const c = getCase(ctx.db, caseId);
  return c && c.account_id === ctx.workspace.current().id ? c : undefined;
}

export interface StageMoveResult {
  moved: number[];
  refused: Array<{ caseId: number; reason: string }>;
}

export function moveCasesToStage(ctx: ServiceContext, caseIds: readonly number[], to: ManualDunningStage, actor: string): StageMoveResult {
  const out: StageMoveResult = { moved: [], refused: [] };
  const accountId = ctx.workspace.current().id;
  const nowMs = ctx.now();
  const nowS = Math.floor(nowMs / 1000);
  const touched = new Set<string>();
  ctx.db.transaction(() => {
    for (const caseId of new Set(caseIds)) {
      const c = caseOfCurrentAccount(ctx, caseId);
      const decision = decide(c ? { stage: c.stage, failureMark: c.failure_mark, amountAtRisk: c.amount_at_risk } : null, { type: 'manual', to });
      const audit = { accountId, actor, action: 'dunning.stage', targetType: 'dunning_case', targetId: String(caseId), params: { from: c?.stage ?? null, to } };
      if (decision.kind !== 'move') {
        const reason = decision.kind === 'refused' ? decision.reason : 'Nothing to change.';
        ctx.audit.record({ ...audit, result: 'error', errorMessage: reason });
        out.refused.push({ caseId, reason });
        continue;
      }
      const closing = decision.to === 'lost';
      updateCase(ctx.db, c!.id, {
        stage: decision.to,
        stage_changed_at: nowS,
        ...(closing ? { closed_at: Math.max(nowS, c!.opened_at), closed_reason: 'manual' as const } : {}),
      });
      addHistory(ctx.db, { caseId: c!.id, atMs: nowMs, actor, kind: 'stage', fromStage: c!.stage, toStage: decision.to, detail: closing ? 'written off' : null });
      ctx.audit.record({ ...audit, result: 'ok' });
      out.moved.push(caseId);
      touched.add(c!.customer_id);
    }
  })();
  if (touched.size) ctx.hub.emit('data.changed', { accountId, kinds: ['dunning', 'audit'], customerIds: [...touched] });
  return out;
}

export function assignCases(ctx: ServiceContext, caseIds: readonly number[], assignee: string | null, actor: string): number[] {
  const accountId = ctx.workspace.current().id;
  const nowMs = ctx.now();
  const updated: number[] = [];
  const touched = new Set<string>();
  const name = assignee?.trim() || null;
  ctx.db.transaction(() => {
    for (const caseId of new Set(caseIds)) {
      const c = caseOfCurrentAccount(ctx, caseId);
      if (!c) throw new AppError('not_found', `No dunning case ${caseId} in this account. Nothing was assigned.`);
      if (c.assignee === name) continue;
      updateCase(ctx.db, c.id, { assignee: name });
      addHistory(ctx.db, { caseId: c.id, atMs: nowMs, actor, kind: 'assigned', detail: name ?? 'unassigned' });
      ctx.audit.record({ accountId, actor, action: 'dunning.assign', targetType: 'dunning_case', targetId: String(c.id), params: { from: c.assignee, to: name }, result: 'ok' });
      updated.push(c.id);
      touched.add(c.customer_id);
    }
  })();
  if (touched.size) ctx.hub.emit('data.changed', { accountId, kinds: ['dunning', 'audit'], customerIds: [...touched] });
  return updated;
}

export function addCaseNote(ctx: ServiceContext, caseId: number, body: string, author: string): DunningNote {
  const c = caseOfCurrentAccount(ctx, caseId);
  if (!c) throw new AppError('not_found', `No dunning case ${caseId} in this account.`);
  const at = ctx.now();
  const r = prepared(
    ctx.db,
    'INSERT INTO notes (account_id, customer_id, dunning_case_id, body, author, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(c.account_id, c.customer_id, c.id, body, author, at, at);
  ctx.hub.emit('data.changed', { accountId: c.account_id, kinds: ['notes', 'dunning'], customerIds: [c.customer_id] });
  return { id: Number(r.lastInsertRowid), body, author, createdAt: at };
}

export function caseNotes(ctx: ServiceContext, caseId: number): DunningNote[] {
  const rows = prepared(ctx.db, 'SELECT id, body, author, created_at_ms FROM notes WHERE dunning_case_id = ? ORDER BY created_at_ms DESC, id DESC').all(caseId) as Array<{
    id: number;
    body: string;
    author: string;
    created_at_ms: number;
  }>;
  return rows.map((r) => ({ id: r.id, body: r.body, author: r.author, createdAt: r.created_at_ms }));
}
