import type Database from 'better-sqlite3';
import type { DunningClosedReason, DunningHistoryEntry, DunningStage } from '../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';
import { prepared } from '../db/statements';

// Row-level access to dunning_cases and its history. Reconcile, manual moves and the retry action
// all write through here so a case is shaped the same way whoever touches it.

export interface CaseRecord {
  id: number;
  account_id: string;
  customer_id: string;
  invoice_id: string | null;
  subscription_id: string | null;
  subject: string;
  stage: DunningStage;
  assignee: string | null;
  amount_at_risk: number;
  entered_amount: number;
  currency: string;
  recovered_amount: number;
  decline_code: string | null;
  advice_code: string | null;
  category: DeclineCategory;
  payment_method_at_decline: string | null;
  failure_mark: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  last_failure_at: number | null;
  opened_at: number;
  stage_changed_at: number;
  closed_at: number | null;
  closed_reason: DunningClosedReason | null;
}


// Read as raw arrays and built with one object literal: for thousands of rows (a full reconcile)
// this is several times faster than letting the driver build an object per row.
const CASE_COLUMNS = `id, account_id, customer_id, invoice_id, subscription_id, subject, stage, assignee, amount_at_risk, entered_amount, currency,
  recovered_amount, decline_code, advice_code, category, payment_method_at_decline, failure_mark, attempt_count, next_payment_attempt,
  last_failure_at, opened_at, stage_changed_at, closed_at, closed_reason`;

type CaseTuple = [
  number, string, string, string | null, string | null, string, DunningStage, string | null, number, number, string,
  number, string | null, string | null, DeclineCategory, string | null, number, number, number | null,
  number | null, number, number, number | null, DunningClosedReason | null,
];

function toRecord(r: CaseTuple): CaseRecord {
  return {
    id: r[0], account_id: r[1], customer_id: r[2], invoice_id: r[3], subscription_id: r[4], subject: r[5], stage: r[6], assignee: r[7],
    amount_at_risk: r[8], entered_amount: r[9], currency: r[10], recovered_amount: r[11], decline_code: r[12], advice_code: r[13],
    category: r[14], payment_method_at_decline: r[15], failure_mark: r[16], attempt_count: r[17], next_payment_attempt: r[18],
    last_failure_at: r[19], opened_at: r[20], stage_changed_at: r[21], closed_at: r[22], closed_reason: r[23],
  };
}

function rawCases(db: Database.Database, sql: string, ...params: unknown[]): CaseRecord[] {
  const stmt = prepared(db, sql);
  return (stmt.raw(true).all(...params) as CaseTuple[]).map(toRecord);
}

export function getCase(db: Database.Database, caseId: number): CaseRecord | undefined {
  return prepared(db, 'SELECT * FROM dunning_cases WHERE id = ?').get(caseId) as CaseRecord | undefined;
}

/** The latest case of each given subject (the head of its chain). */
export function latestCasesBySubject(db: Database.Database, accountId: string, subjects: readonly string[]): Map<string, CaseRecord> {
  const out = new Map<string, CaseRecord>();
  if (subjects.length === 0) return out;
  // Many subjects (a full reconcile): one pass over the subject index beats a lookup per subject.
  const rows =
    subjects.length > 500
      ? rawCases(db, `SELECT ${CASE_COLUMNS} FROM dunning_cases WHERE id IN (SELECT MAX(id) FROM dunning_cases WHERE account_id = ? GROUP BY subject) ORDER BY id`, accountId)
      : rawCases(db, `SELECT ${CASE_COLUMNS} FROM dunning_cases WHERE account_id = ? AND subject IN (SELECT value FROM json_each(?)) ORDER BY id`, accountId, JSON.stringify(subjects));
  const wanted = subjects.length > 500 ? new Set(subjects) : null;
  for (const r of rows) if (!wanted || wanted.has(r.subject)) out.set(r.subject, r);
  return out;
}

export type NewCase = Omit<CaseRecord, 'id' | 'stage' | 'assignee' | 'recovered_amount' | 'closed_at' | 'closed_reason' | 'stage_changed_at'>;

export function insertCase(db: Database.Database, c: NewCase): number {
  const r = prepared(
    db,
    `INSERT INTO dunning_cases (account_id, customer_id, invoice_id, subscription_id, subject, stage, amount_at_risk, entered_amount, currency,
       decline_code, advice_code, category, payment_method_at_decline, failure_mark, attempt_count, next_payment_attempt, last_failure_at,
       opened_at, stage_changed_at)
     VALUES (@account_id, @customer_id, @invoice_id, @subscription_id, @subject, 'new', @amount_at_risk, @entered_amount, @currency,
       @decline_code, @advice_code, @category, @payment_method_at_decline, @failure_mark, @attempt_count, @next_payment_attempt, @last_failure_at,
       @opened_at, @opened_at)`,
  ).run(c);
  return Number(r.lastInsertRowid);
}

/** Updates the given columns of a case; returns whether a row changed. */
export function updateCase(db: Database.Database, caseId: number, fields: Partial<Omit<CaseRecord, 'id' | 'account_id'>>): boolean {
  const cols = Object.keys(fields);
  if (cols.length === 0) return false;
  const sql = `UPDATE dunning_cases SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;
  return prepared(db, sql).run({ ...fields, id: caseId }).changes > 0;
}

export interface HistoryInput {
  caseId: number;
  atMs: number;
  actor: string;
  kind: DunningHistoryEntry['kind'];
  fromStage?: string | null;
  toStage?: string | null;
  detail?: string | null;
}

export function addHistory(db: Database.Database, h: HistoryInput): void {
  prepared(db, 'INSERT INTO dunning_case_history (case_id, at_ms, actor, kind, from_stage, to_stage, detail) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    h.caseId,
    h.atMs,
    h.actor,
    h.kind,
    h.fromStage ?? null,
    h.toStage ?? null,
    h.detail ?? null,
  );
}

export function caseHistory(db: Database.Database, caseId: number, limit = 200): DunningHistoryEntry[] {
  const rows = prepared(db, 'SELECT * FROM dunning_case_history WHERE case_id = ? ORDER BY at_ms DESC, id DESC LIMIT ?').all(caseId, limit) as Array<{
    id: number;
    at_ms: number;
    actor: string;
    kind: DunningHistoryEntry['kind'];
    from_stage: string | null;
    to_stage: string | null;
    detail: string | null;
  }>;
  return rows.map((r) => ({ id: r.id, at: r.at_ms, actor: r.actor, kind: r.kind, fromStage: r.from_stage, toStage: r.to_stage, detail: r.detail }));
}
