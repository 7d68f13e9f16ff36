import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { NoteView } from '../../../shared/contract/customers';
import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import { prepared } from '../db/statements';
import { TeamSignedOutError, TeamUnreachableError, type TeamClient } from './team-client';

// Writes made while the team server cannot be reached. Only notes wait here (a note loses nothing
// by arriving later); each keeps the Idempotency-Key it was first sent with, so a note whose answer
// was lost is applied once when sent again. A note the server refuses stays, with the refusal in words.

interface OutboxRow {
  id: number;
  call: string;
  input_json: string;
  idempotency_key: string;
  customer_id: string | null;
  created_at_ms: number;
  refused_message: string | null;
}

/**
 * Notes of this desk not yet on the team server, newest first, as the customer view shows them:
 * marked pending (negative ids: they have no server id yet), with the refusal when there was one.
 * Empty on a solo desk.
 */
export function pendingNotes(db: Database.Database, accountId: string, customerId: string): NoteView[] {
  const rows = prepared(db, "SELECT * FROM team_outbox WHERE account_id = ? AND customer_id = ? AND call = 'notes.add' ORDER BY id DESC").all(accountId, customerId) as OutboxRow[];
  if (rows.length === 0) return [];
  const me = prepared(db, 'SELECT agent_name FROM team_replica WHERE account_id = ?').get(accountId) as { agent_name: string | null } | undefined;
  return rows.map((r) => ({
    id: -r.id,
    body: (JSON.parse(r.input_json) as { body: string }).body,
    author: me?.agent_name ?? 'you',
    createdAt: r.created_at_ms,
    updatedAt: r.created_at_ms,
    pending: true,
    ...(r.refused_message ? { notSaved: r.refused_message } : {}),
  }));
}

export function newIdempotencyKey(): string {
  return `desk-${randomUUID()}`;
}

export class TeamOutbox {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly accountId: string,
  ) {}

  queueNote(customerId: string, body: string, key: string, author: string): NoteView {
    const now = this.ctx.now();
    const id = Number(
      prepared(this.ctx.db, 'INSERT INTO team_outbox (account_id, call, input_json, idempotency_key, customer_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(
        this.accountId,
        'notes.add',
        JSON.stringify({ customerId, body }),
        key,
        customerId,
        now,
      ).lastInsertRowid,
    );
    this.ctx.hub.emit('data.changed', { accountId: this.accountId, kinds: ['notes'], customerIds: [customerId] });
    return { id: -id, body, author, createdAt: now, updatedAt: now, pending: true };
  }

  count(): number {
    return (prepared(this.ctx.db, 'SELECT COUNT(*) AS n FROM team_outbox WHERE account_id = ? AND refused_message IS NULL').get(this.accountId) as { n: number }).n;
  }

  /** Sends what waits, oldest first; stops at the first unreachable server. Returns how many were sent. */
  async flush(client: TeamClient): Promise<number> {
    let sent = 0;
    const rows = prepared(this.ctx.db, 'SELECT * FROM team_outbox WHERE account_id = ? AND refused_message IS NULL ORDER BY id').all(this.accountId) as OutboxRow[];
    for (const r of rows) {
      prepared(this.ctx.db, 'UPDATE team_outbox SET attempts = attempts + 1 WHERE id = ?').run(r.id);
      try {
        await client.call(r.call, JSON.parse(r.input_json), r.idempotency_key);
        prepared(this.ctx.db, 'DELETE FROM team_outbox WHERE id = ?').run(r.id);
        sent++;
      } catch (err) {
        if (err instanceof TeamUnreachableError || err instanceof TeamSignedOutError) break;
        const message = err instanceof AppError ? err.message : 'The team server refused this note.';
        prepared(this.ctx.db, 'UPDATE team_outbox SET refused_message = ? WHERE id = ?').run(`Not saved: ${message}`, r.id);
        this.ctx.log.warn('a queued team note was refused', { call: r.call });
      }
    }
    if (rows.length) this.ctx.hub.emit('data.changed', { accountId: this.accountId, kinds: ['notes'], customerIds: [...new Set(rows.map((r) => r.customer_id).filter((c): c is string => !!c))] });
    return sent;
  }
}
