import type pg from 'pg';
import type { CopilotActionArgs, CopilotActionType, CopilotConfirmResult } from '../../../shared/contract/copilot';
import type { Tx } from '../db';

// Copilot proposals desks bring to the team server (migration 009). A proposal belongs to the
// agent whose desk proposed it; it moves out of 'proposed' once (confirmed or dismissed), or to
// 'failed' and then again through a new attempt.

export interface TeamProposal {
  accountId: string;
  id: string;
  customerId: string;
  agentId: string;
  type: CopilotActionType;
  args: CopilotActionArgs;
  title: string;
  reason: string;
  source: 'state' | 'model';
  status: 'proposed' | 'confirmed' | 'dismissed' | 'failed';
  attempt: number;
  result: CopilotConfirmResult | { message: string; attempt: number } | null;
}

type Row = Record<string, unknown>;
const proposalOf = (r: Row): TeamProposal => ({
  accountId: r.account_id as string,
  id: r.id as string,
  customerId: r.customer_id as string,
  agentId: r.agent_id as string,
  type: r.type as CopilotActionType,
  args: r.args as CopilotActionArgs,
  title: r.title as string,
  reason: r.reason as string,
  source: r.source as 'state' | 'model',
  status: r.status as TeamProposal['status'],
  attempt: r.attempt as number,
  result: (r.result ?? null) as TeamProposal['result'],
});

export const copilotProposals = {
  /** Keeps the proposal unless one with this id is already kept (then the caller compares them). */
  async register(q: pg.Pool | Tx, p: Omit<TeamProposal, 'status' | 'attempt' | 'result'>, atMs: number): Promise<TeamProposal> {
    await q.query(
      `INSERT INTO copilot_proposals (account_id, id, customer_id, agent_id, type, args, title, reason, source, created_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (account_id, id) DO NOTHING`,
      [p.accountId, p.id, p.customerId, p.agentId, p.type, JSON.stringify(p.args), p.title, p.reason, p.source, atMs],
    );
    return (await copilotProposals.get(q, p.accountId, p.id))!;
  },

  async get(q: pg.Pool | Tx, accountId: string, id: string): Promise<TeamProposal | null> {
    const { rows } = await q.query('SELECT * FROM copilot_proposals WHERE account_id = $1 AND id = $2', [accountId, id]);
    return rows[0] ? proposalOf(rows[0]) : null;
  },

  async forUpdate(tx: Tx, accountId: string, id: string): Promise<TeamProposal | null> {
    const { rows } = await tx.query('SELECT * FROM copilot_proposals WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, id]);
    return rows[0] ? proposalOf(rows[0]) : null;
  },

  async decide(tx: Tx, accountId: string, id: string, d: { status: 'confirmed' | 'dismissed' | 'failed'; agentId: string; atMs: number; attempt: number; result: unknown }): Promise<void> {
    await tx.query('UPDATE copilot_proposals SET status = $3, decided_by_agent_id = $4, decided_at_ms = $5, attempt = $6, result = $7 WHERE account_id = $1 AND id = $2', [
      accountId,
      id,
      d.status,
      d.agentId,
      d.atMs,
      d.attempt,
      JSON.stringify(d.result ?? null),
    ]);
  },
};
