import { AppError } from '../../../shared/contract/errors';
import type { NoteView } from '../../../shared/contract/customers';
import type { ServiceContext } from '../core/context';
import { requireCustomer } from './customer-360';
import type { NoteRow } from './read-rows';

// Notes are the agent's own words about a customer: kept only in the local cache (never sent to
// Stripe), and every add or edit leaves an audit row. The audit keeps the note's length, not its
// text: notes may hold personal details that do not belong in a log.

function toView(n: NoteRow): NoteView {
  return { id: n.id, body: n.body, author: n.author, createdAt: n.created_at_ms, updatedAt: n.updated_at_ms };
}

export function addNote(ctx: ServiceContext, accountId: string, customerId: string, body: string, actor: string): NoteView {
  requireCustomer(ctx.db, accountId, customerId);
  const now = ctx.now();
  const note = ctx.db.transaction(() => {
    const id = Number(
      ctx.db.prepare(`INSERT INTO notes (account_id, customer_id, body, author, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)`).run(accountId, customerId, body, actor, now, now)
        .lastInsertRowid,
    );
    ctx.audit.record({ accountId, actor, action: 'note.add', targetType: 'customer', targetId: customerId, params: { noteId: id, length: body.length }, result: 'ok' });
    return ctx.db.prepare(`SELECT * FROM notes WHERE id = ?`).get(id) as NoteRow;
  })();
  ctx.hub.emit('data.changed', { accountId, kinds: ['notes'], customerIds: [customerId] });
  return toView(note);
}

export function updateNote(ctx: ServiceContext, accountId: string, noteId: number, body: string, actor: string): NoteView {
  const existing = ctx.db.prepare(`SELECT * FROM notes WHERE id = ? AND account_id = ?`).get(noteId, accountId) as NoteRow | undefined;
  if (!existing) throw new AppError('not_found', `No note ${noteId} in this account. It may have been removed; reload the customer.`);
  const now = Math.max(ctx.now(), existing.updated_at_ms);
  const note = ctx.db.transaction(() => {
    ctx.db.prepare(`UPDATE notes SET body = ?, updated_at_ms = ? WHERE id = ?`).run(body, now, noteId);
    ctx.audit.record({
      accountId,
      actor,
      action: 'note.update',
      targetType: 'customer',
      targetId: existing.customer_id,
      params: { noteId, length: body.length, previousLength: existing.body.length },
      result: 'ok',
    });
    return ctx.db.prepare(`SELECT * FROM notes WHERE id = ?`).get(noteId) as NoteRow;
  })();
  ctx.hub.emit('data.changed', { accountId, kinds: ['notes'], customerIds: [existing.customer_id] });
  return toView(note);
}
