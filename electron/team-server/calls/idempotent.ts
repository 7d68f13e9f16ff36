import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CallResult } from '../../../shared/contract/errors';

// Idempotency keys for forwarded writes. The key travels with the call in async context, so the
// call's own transaction (inTransaction) records the answer before it commits: the write and the
// record of it commit together or not at all. A repeat finds the record and gets the same answer.

interface Scope {
  agentId: string;
  key: string;
  call: string;
  recorded: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/** 'Idempotency-Key' values a desk may send: 8 to 200 printable characters. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | null | 'invalid' {
  if (raw === undefined) return null;
  const v = Array.isArray(raw) ? raw[0] : raw;
  return /^[\x21-\x7e]{8,200}$/.test(v ?? '') ? v! : 'invalid';
}

export async function keptReply(pool: pg.Pool, agentId: string, key: string): Promise<CallResult<unknown> | null> {
  const { rows } = await pool.query<{ value: unknown }>('SELECT value FROM team_call_replies WHERE agent_id = $1 AND idempotency_key = $2', [agentId, key]);
  return rows[0] ? { ok: true, value: rows[0].value ?? null } : null;
}

/**
 * Runs a keyed call. Its answer is recorded by the transaction that returns it; a call whose
 * answer comes after its last transaction (a retry's Stripe outcome, a bulk send's summary) has
 * it recorded here, once it is known.
 */
export async function withIdempotencyKey(pool: pg.Pool, scope: Omit<Scope, 'recorded'>, fn: () => Promise<CallResult<unknown>>, nowMs: number): Promise<CallResult<unknown>> {
  const s: Scope = { ...scope, recorded: false };
  const result = await scopes.run(s, fn);
  if (result.ok && !s.recorded) {
    await pool.query('INSERT INTO team_call_replies (agent_id, idempotency_key, call, value, at_ms) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT DO NOTHING', [s.agentId, s.key, s.call, JSON.stringify(result.value ?? null), nowMs]);
  }
  return result;
}

/**
 * Runs one step of a call outside its key scope: a call made of other calls' steps (a confirmed
 * copilot action runs a portal link or a retry) records only its own final answer, not the
 * first value an inner transaction returns.
 */
export function asInnerStep<T>(fn: () => Promise<T>): Promise<T> {
  return scopes.exit(fn);
}

/**
 * The Stripe idempotency key for the call's one Stripe write: derived from the desk's key (a
 * forwarded repeat, even one racing the first, asks Stripe with the same key), random without one.
 */
export function stripeKeyOfCall(prefix: string): string {
  const s = scopes.getStore();
  if (!s) return `${prefix}-${randomUUID()}`;
  return `${prefix}-${createHash('sha256').update(`${s.agentId}\u0000${s.key}`).digest('hex').slice(0, 40)}`;
}

/** Called by inTransaction before COMMIT: the first transaction of a keyed call that returns a value records it. */
export async function recordReplyInTransaction(tx: pg.ClientBase, value: unknown, nowMs: number): Promise<void> {
  const s = scopes.getStore();
  // A transaction that answers nothing (an audit row of a failure) is not the call's answer.
  if (!s || s.recorded || value === undefined) return;
  s.recorded = true;
  // A concurrent repeat holding the same key waits on the primary key and then fails: its
  // transaction rolls back and the HTTP layer answers it from the kept reply.
  await tx.query('INSERT INTO team_call_replies (agent_id, idempotency_key, call, value, at_ms) VALUES ($1, $2, $3, $4::jsonb, $5)', [s.agentId, s.key, s.call, JSON.stringify(value ?? null), nowMs]);
}
