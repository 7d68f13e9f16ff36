import type Database from 'better-sqlite3';
import type { Redactor } from './redact';

export interface AuditEntry {
  accountId: string | null;
  actor: string;
  action: string;
  targetType?: string;
  targetId?: string;
  params?: Record<string, unknown>;
  result: 'ok' | 'error' | 'simulated';
  errorMessage?: string;
  idempotencyKey?: string;
}

export interface AuditRow {
  id: number;
  account_id: string | null;
  at_ms: number;
  actor: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  params_json: string;
  result: string;
  error_message: string | null;
  idempotency_key: string | null;
}

/**
 * Every write a person starts (and every manual change) leaves one row: who, what, when, result.
 * Params and error messages pass through the redactor first: the cache file is not encrypted, and
 * an upstream error can echo the key it was called with.
 */
export class AuditLog {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
    private readonly redactor?: Redactor,
  ) {}

  record(raw: AuditEntry): number {
    const e = this.redactor ? { ...raw, params: raw.params && this.redactor.value(raw.params), errorMessage: raw.errorMessage && this.redactor.text(raw.errorMessage) } : raw;
    const r = this.db
      .prepare(
        `INSERT INTO audit_log (account_id, at_ms, actor, action, target_type, target_id, params_json, result, error_message, idempotency_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.accountId, this.now(), e.actor, e.action, e.targetType ?? null, e.targetId ?? null, JSON.stringify(e.params ?? {}), e.result, e.errorMessage ?? null, e.idempotencyKey ?? null);
    return Number(r.lastInsertRowid);
  }

  forTarget(accountId: string, targetId: string, limit = 50): AuditRow[] {
    return this.db
      .prepare('SELECT * FROM audit_log WHERE account_id = ? AND target_id = ? ORDER BY at_ms DESC, id DESC LIMIT ?')
      .all(accountId, targetId, limit) as AuditRow[];
  }
}
