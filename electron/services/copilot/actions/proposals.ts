import type Database from 'better-sqlite3';
import crypto from 'node:crypto';
import type { CopilotAction, CopilotActionArgs, CopilotActionType, CopilotProposalStatus } from '../../../../shared/contract/copilot';

// Proposed actions, kept so a confirmation can only run what the copilot proposed for that
// customer (the renderer sends a proposal id, never an action description), and runs it once.

export interface ProposalRow {
  id: string;
  account_id: string;
  customer_id: string;
  type: CopilotActionType;
  args_json: string;
  title: string;
  reason: string;
  source: 'state' | 'model';
  citations_json: string;
  status: CopilotProposalStatus;
  created_at_ms: number;
  decided_at_ms: number | null;
  decided_by: string | null;
  result_json: string | null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function newProposalId(): string {
  const bytes = crypto.randomBytes(16);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `prop_${s}`;
}

export function recordProposal(db: Database.Database, accountId: string, customerId: string, action: CopilotAction, nowMs: number): CopilotAction {
  const id = newProposalId();
  db.prepare(
    `INSERT INTO copilot_proposals (id, account_id, customer_id, type, args_json, title, reason, source, citations_json, status, created_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, accountId, customerId, action.type, JSON.stringify(action.args), action.title, action.reason, action.source, JSON.stringify(action.citations), action.status, nowMs);
  return { ...action, proposalId: id };
}

export function getProposal(db: Database.Database, accountId: string, customerId: string, id: string): ProposalRow | null {
  return (db.prepare('SELECT * FROM copilot_proposals WHERE id = ? AND account_id = ? AND customer_id = ?').get(id, accountId, customerId) as ProposalRow | undefined) ?? null;
}

export function proposalAction(row: ProposalRow): CopilotAction {
  return {
    proposalId: row.id,
    type: row.type,
    args: JSON.parse(row.args_json) as CopilotActionArgs,
    title: row.title,
    reason: row.reason,
    source: row.source,
    requiresConfirmation: row.status !== 'info',
    citations: JSON.parse(row.citations_json) as string[],
    status: row.status,
  };
}

/** Moves a proposal out of 'proposed'; false when another call decided it first. */
export function decideProposal(db: Database.Database, id: string, status: 'confirmed' | 'dismissed' | 'failed', by: string, nowMs: number, result: unknown): boolean {
  const r = db
    .prepare(`UPDATE copilot_proposals SET status = ?, decided_at_ms = ?, decided_by = ?, result_json = ? WHERE id = ? AND status IN ('proposed', 'failed')`)
    .run(status, nowMs, by, JSON.stringify(result ?? null), id);
  return r.changes > 0;
}

/** Undecided proposals older than `maxAgeMs` are dropped (they were only ever suggestions). */
export function pruneProposals(db: Database.Database, nowMs: number, maxAgeMs = 30 * 86_400_000): number {
  return db.prepare(`DELETE FROM copilot_proposals WHERE status = 'proposed' AND created_at_ms < ?`).run(nowMs - maxAgeMs).changes;
}
