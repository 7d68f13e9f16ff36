import type pg from 'pg';
import type { Tx } from '../db';
import type { DunningStage, SavedDunningView, DunningFilters, DunningSort } from '../../../shared/contract/dunning';
import '../pg-types';

// What people decide, in PostgreSQL: dunning cases (stage, assignee), their history, notes, saved
// views and the audit log. Every function runs inside the caller's transaction, so the change, its
// audit row and its feed entry commit together. The row shapes returned here are also what the
// feed carries to desks (entity 'note', 'dunning_case', 'dunning_history', 'saved_view').

export interface TeamNote {
  id: number;
  accountId: string;
  customerId: string;
  dunningCaseId: number | null;
  body: string;
  author: string;
  authorAgentId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface TeamCase {
  id: number;
  accountId: string;
  customerId: string;
  invoiceId: string | null;
  subscriptionId: string | null;
  stage: DunningStage;
  assignee: string | null;
  assigneeAgentId: string | null;
  amountAtRisk: number;
  currency: string;
  failureMark: number;
  declineCode: string | null;
  category: string;
  openedAt: number;
  stageChangedAt: number;
  closedAt: number | null;
  closedReason: string | null;
  recoveredAmount: number;
  /** The Stripe facts the server derives from its mirror (migration 951). */
  attemptCount: number;
  nextPaymentAttempt: number | null;
  adviceCode: string | null;
  lastFailureAt: number | null;
  enteredAmount: number;
  paymentMethodAtDecline: string | null;
}

type CaseStripeFacts = Pick<TeamCase, 'attemptCount' | 'nextPaymentAttempt' | 'adviceCode' | 'lastFailureAt' | 'enteredAmount' | 'paymentMethodAtDecline'>;

export interface TeamHistoryEntry {
  id: number;
  caseId: number;
  at: number;
  actor: string;
  actorAgentId: string | null;
  kind: string;
  fromStage: string | null;
  toStage: string | null;
  detail: string | null;
}

export interface AuditEntry {
  accountId: string | null;
  atMs: number;
  agentId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  params?: Record<string, unknown>;
  result: 'ok' | 'error' | 'refused';
  errorMessage?: string;
}

type Row = Record<string, unknown>;

/** The columns the server derives from Stripe (the rest - stage while open, assignee - are people's). */
const STRIPE_FACT_COLUMNS: ReadonlySet<string> = new Set([
  'amount_at_risk', 'currency', 'attempt_count', 'next_payment_attempt', 'decline_code', 'advice_code', 'category', 'last_failure_at', 'failure_mark', 'subscription_id', 'payment_method_at_decline',
]);

const noteOf = (r: Row): TeamNote => ({
  id: r.id as number,
  accountId: r.account_id as string,
  customerId: r.customer_id as string,
  dunningCaseId: (r.dunning_case_id as number | null) ?? null,
  body: r.body as string,
  author: r.author as string,
  authorAgentId: (r.author_agent_id as string | null) ?? null,
  createdAt: r.created_at_ms as number,
  updatedAt: r.updated_at_ms as number,
});

export const caseOf = (r: Row): TeamCase => ({
  id: r.id as number,
  accountId: r.account_id as string,
  customerId: r.customer_id as string,
  invoiceId: (r.invoice_id as string | null) ?? null,
  subscriptionId: (r.subscription_id as string | null) ?? null,
  stage: r.stage as DunningStage,
  assignee: (r.assignee as string | null) ?? null,
  assigneeAgentId: (r.assignee_agent_id as string | null) ?? null,
  amountAtRisk: r.amount_at_risk as number,
  currency: r.currency as string,
  failureMark: r.failure_mark as number,
  declineCode: (r.decline_code as string | null) ?? null,
  category: r.category as string,
  openedAt: r.opened_at as number,
  stageChangedAt: r.stage_changed_at as number,
  closedAt: (r.closed_at as number | null) ?? null,
  closedReason: (r.closed_reason as string | null) ?? null,
  recoveredAmount: (r.recovered_amount as number | undefined) ?? 0,
  attemptCount: (r.attempt_count as number | undefined) ?? 0,
  nextPaymentAttempt: (r.next_payment_attempt as number | null | undefined) ?? null,
  adviceCode: (r.advice_code as string | null | undefined) ?? null,
  lastFailureAt: (r.last_failure_at as number | null | undefined) ?? null,
  enteredAmount: (r.entered_amount as number | null | undefined) ?? (r.amount_at_risk as number),
  paymentMethodAtDecline: (r.payment_method_at_decline as string | null | undefined) ?? null,
});

export const historyOf = (r: Row): TeamHistoryEntry => ({
  id: r.id as number,
  caseId: r.case_id as number,
  at: r.at_ms as number,
  actor: r.actor as string,
  actorAgentId: (r.actor_agent_id as string | null) ?? null,
  kind: r.kind as string,
  fromStage: (r.from_stage as string | null) ?? null,
  toStage: (r.to_stage as string | null) ?? null,
  detail: (r.detail as string | null) ?? null,
});

const viewOf = (r: Row): SavedDunningView => ({
  id: r.id as number,
  name: r.name as string,
  filters: r.filters as DunningFilters,
  sort: r.sort as DunningSort,
  createdBy: r.created_by as string,
  updatedAt: r.updated_at_ms as number,
});

export const teamState = {
  async addNote(tx: Tx, n: { accountId: string; customerId: string; dunningCaseId: number | null; body: string; author: string; authorAgentId: string; atMs: number }): Promise<TeamNote> {
    const { rows } = await tx.query(
      `INSERT INTO team_notes (account_id, customer_id, dunning_case_id, body, author, author_agent_id, created_at_ms, updated_at_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
      [n.accountId, n.customerId, n.dunningCaseId, n.body, n.author, n.authorAgentId, n.atMs],
    );
    return noteOf(rows[0]);
  },

  async noteForUpdate(tx: Tx, accountId: string, id: number): Promise<TeamNote | null> {
    const { rows } = await tx.query('SELECT * FROM team_notes WHERE id = $1 AND account_id = $2 FOR UPDATE', [id, accountId]);
    return rows[0] ? noteOf(rows[0]) : null;
  },

  async updateNote(tx: Tx, id: number, body: string, atMs: number): Promise<TeamNote> {
    const { rows } = await tx.query('UPDATE team_notes SET body = $2, updated_at_ms = greatest($3, updated_at_ms) WHERE id = $1 RETURNING *', [id, body, atMs]);
    return noteOf(rows[0]);
  },

  /** Opens a case (the server's reconcile of the Stripe mirror calls this; tests seed with it). */
  async openCase(
    tx: Tx,
    c: Omit<TeamCase, 'id' | 'stage' | 'assignee' | 'assigneeAgentId' | 'stageChangedAt' | 'closedAt' | 'closedReason' | 'recoveredAmount' | keyof CaseStripeFacts> & Partial<CaseStripeFacts> & { stage?: DunningStage },
  ): Promise<TeamCase> {
    const { rows } = await tx.query(
      `INSERT INTO dunning_cases (account_id, customer_id, invoice_id, subscription_id, stage, amount_at_risk, currency, failure_mark, decline_code, category, opened_at, stage_changed_at,
         attempt_count, next_payment_attempt, advice_code, last_failure_at, entered_amount, payment_method_at_decline)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17) RETURNING *`,
      [
        c.accountId, c.customerId, c.invoiceId, c.subscriptionId, c.stage ?? 'new', c.amountAtRisk, c.currency, c.failureMark, c.declineCode, c.category, c.openedAt,
        c.attemptCount ?? 0, c.nextPaymentAttempt ?? null, c.adviceCode ?? null, c.lastFailureAt ?? null, c.enteredAmount ?? c.amountAtRisk, c.paymentMethodAtDecline ?? null,
      ],
    );
    return caseOf(rows[0]);
  },

  /** The cases of this account among `ids`, locked for the rest of the transaction (ordered, so two bulk moves cannot deadlock). */
  async casesForUpdate(tx: Tx, accountId: string, ids: readonly number[]): Promise<Map<number, TeamCase>> {
    const { rows } = await tx.query('SELECT * FROM dunning_cases WHERE account_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE', [accountId, ids]);
    return new Map(rows.map((r) => [r.id as number, caseOf(r)]));
  },

  /** One case as this transaction sees it, without locking it. */
  async caseById(tx: Tx, accountId: string, id: number): Promise<TeamCase | null> {
    const { rows } = await tx.query('SELECT * FROM dunning_cases WHERE account_id = $1 AND id = $2', [accountId, id]);
    return rows[0] ? caseOf(rows[0]) : null;
  },

  async setCaseStage(tx: Tx, id: number, stage: DunningStage, atS: number, closing: boolean): Promise<TeamCase> {
    const { rows } = await tx.query(
      `UPDATE dunning_cases SET stage = $2, stage_changed_at = $3,
         closed_at = CASE WHEN $4 THEN greatest($3, opened_at) ELSE closed_at END,
         closed_reason = CASE WHEN $4 THEN 'manual' ELSE closed_reason END
       WHERE id = $1 RETURNING *`,
      [id, stage, atS, closing],
    );
    return caseOf(rows[0]);
  },

  /** Stripe reported the invoice paid (the answer to a retry): the case is recovered. */
  async recoverCase(tx: Tx, id: number, amount: number, atS: number): Promise<TeamCase> {
    const { rows } = await tx.query(
      `UPDATE dunning_cases SET stage = 'recovered', stage_changed_at = $3, closed_at = greatest($3, opened_at), closed_reason = 'paid', recovered_amount = $2 WHERE id = $1 RETURNING *`,
      [id, amount, atS],
    );
    return caseOf(rows[0]);
  },

  /** Stripe closed a case (paid, voided, uncollectible, gone): stage and closing from the derivation; the assignee stays. */
  async closeCaseFromStripe(tx: Tx, id: number, c: { to: DunningStage; reason: string | null; recoveredAmount: number; atS: number }): Promise<TeamCase> {
    const { rows } = await tx.query('UPDATE dunning_cases SET stage = $2, stage_changed_at = $3, closed_at = $3, closed_reason = $4, recovered_amount = $5 WHERE id = $1 RETURNING *', [id, c.to, c.atS, c.reason, c.recoveredAmount]);
    return caseOf(rows[0]);
  },

  /** Writes the Stripe-derived columns given (snake_case, as the desk's plan names them); nothing a person decides. */
  async setCaseStripeFacts(tx: Tx, id: number, facts: Record<string, unknown>): Promise<TeamCase> {
    const cols = Object.keys(facts).filter((k) => STRIPE_FACT_COLUMNS.has(k));
    if (!cols.length) throw new Error(`No Stripe-derived column among ${Object.keys(facts).join(', ')}: refusing to write case ${id}.`);
    const { rows } = await tx.query(`UPDATE dunning_cases SET ${cols.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING *`, [id, ...cols.map((k) => facts[k])]);
    return caseOf(rows[0]);
  },

  /** Invoices of the open cases of these subscriptions (a canceled subscription closes them). */
  async openCasesOfSubscriptions(tx: Tx, accountId: string, subscriptionIds: readonly string[]): Promise<string[]> {
    const { rows } = await tx.query<{ invoice_id: string }>(
      "SELECT invoice_id FROM dunning_cases WHERE account_id = $1 AND subscription_id = ANY($2::text[]) AND invoice_id IS NOT NULL AND stage IN ('new', 'contacted', 'awaiting_customer')",
      [accountId, subscriptionIds],
    );
    return rows.map((r) => r.invoice_id);
  },

  /** The cases of these invoices, as rows (snake_case, the desk's plan reads them), locked in id order (as the people's calls lock them). */
  async invoiceCaseRowsForUpdate(tx: Tx, accountId: string, invoiceIds: readonly string[]): Promise<Row[]> {
    const { rows } = await tx.query('SELECT * FROM dunning_cases WHERE account_id = $1 AND invoice_id = ANY($2::text[]) ORDER BY id FOR UPDATE', [accountId, invoiceIds]);
    return rows;
  },

  async hasSucceededRetry(tx: Tx, caseId: number): Promise<boolean> {
    const { rows } = await tx.query("SELECT 1 FROM dunning_history WHERE case_id = $1 AND kind = 'retry' AND detail = 'succeeded' LIMIT 1", [caseId]);
    return rows.length > 0;
  },

  async settledRetries(tx: Tx | pg.Pool, caseId: number): Promise<number> {
    const { rows } = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM dunning_history WHERE case_id = $1 AND kind = 'retry' AND (detail LIKE 'succeeded%' OR detail LIKE 'declined%')", [caseId]);
    return rows[0].n;
  },

  async setCaseAssignee(tx: Tx, id: number, assignee: { name: string; agentId: string } | null): Promise<TeamCase> {
    const { rows } = await tx.query('UPDATE dunning_cases SET assignee = $2, assignee_agent_id = $3 WHERE id = $1 RETURNING *', [id, assignee?.name ?? null, assignee?.agentId ?? null]);
    return caseOf(rows[0]);
  },

  async addHistory(tx: Tx, h: Omit<TeamHistoryEntry, 'id'>): Promise<TeamHistoryEntry> {
    const { rows } = await tx.query(
      `INSERT INTO dunning_history (case_id, at_ms, actor, actor_agent_id, kind, from_stage, to_stage, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [h.caseId, h.at, h.actor, h.actorAgentId, h.kind, h.fromStage, h.toStage, h.detail],
    );
    return historyOf(rows[0]);
  },

  async saveView(tx: Tx, v: { accountId: string; name: string; filters: unknown; sort: unknown; createdBy: string; agentId: string; atMs: number }): Promise<SavedDunningView> {
    const { rows } = await tx.query(
      `INSERT INTO saved_views (account_id, name, filters, sort, created_by, created_by_agent_id, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id, lower(name)) DO UPDATE SET filters = excluded.filters, sort = excluded.sort, updated_at_ms = greatest(excluded.updated_at_ms, saved_views.updated_at_ms)
       RETURNING *`,
      [v.accountId, v.name, JSON.stringify(v.filters), JSON.stringify(v.sort), v.createdBy, v.agentId, v.atMs],
    );
    return viewOf(rows[0]);
  },

  async deleteView(tx: Tx, accountId: string, id: number): Promise<boolean> {
    const r = await tx.query('DELETE FROM saved_views WHERE account_id = $1 AND id = $2', [accountId, id]);
    return (r.rowCount ?? 0) > 0;
  },

  async listViews(tx: Tx, accountId: string): Promise<SavedDunningView[]> {
    const { rows } = await tx.query('SELECT * FROM saved_views WHERE account_id = $1 ORDER BY lower(name)', [accountId]);
    return rows.map(viewOf);
  },

  async audit(tx: Tx, a: AuditEntry): Promise<void> {
    await teamState.auditWithId(tx, a);
  },

  /** Writes one audit row and says its id (what a confirmed copilot action reports). */
  async auditWithId(tx: Tx, a: AuditEntry): Promise<number> {
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO audit_log (account_id, at_ms, agent_id, actor, action, target_type, target_id, params, result, error_message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [a.accountId, a.atMs, a.agentId, a.actor, a.action, a.targetType ?? null, a.targetId ?? null, JSON.stringify(a.params ?? {}), a.result, a.errorMessage ?? null],
    );
    return Number(rows[0].id);
  },
};
