import { AppError } from '../../../shared/contract/errors';
import type { NoteView } from '../../../shared/contract/customers';
import { inTransaction } from '../db';
import { atLeast } from '../roles';
import { teamState, type TeamNote } from '../stores/team-state';
import { TEAM_ENTITY, type TeamCallContext, type TeamHandlerMap } from './types';

// Customer notes on a team: the author is the authenticated agent. An agent edits their own notes;
// a lead or admin may correct anyone's (the audit row keeps who did).

export const toNoteView = (n: TeamNote): NoteView => ({ id: n.id, body: n.body, author: n.author, createdAt: n.createdAt, updatedAt: n.updatedAt });

export const noteChange = (ctx: TeamCallContext, n: TeamNote) => ({ accountId: ctx.accountId, entity: TEAM_ENTITY.note, entityId: String(n.id), op: 'upsert' as const, data: n });

export const noteHandlers: TeamHandlerMap = {
  'notes.add': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const at = ctx.now();
      const note = await teamState.addNote(tx, { accountId: ctx.accountId, customerId: input.customerId, dunningCaseId: null, body: input.body, author: ctx.agent.name, authorAgentId: ctx.agent.id, atMs: at });
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'note.add', targetType: 'customer', targetId: input.customerId, params: { noteId: note.id, length: input.body.length }, result: 'ok' });
      await ctx.feed.append(tx, [noteChange(ctx, note)]);
      return toNoteView(note);
    }),

  'notes.update': (input, ctx) =>
    inTransaction(ctx.pool, async (tx) => {
      const existing = await teamState.noteForUpdate(tx, ctx.accountId, input.noteId);
      if (!existing) throw new AppError('not_found', `No note ${input.noteId} in this account. It may have been removed; reload the customer.`);
      if (existing.authorAgentId !== ctx.agent.id && !atLeast(ctx.agent.role, 'lead')) {
        throw new AppError('forbidden', `Refused: this note is ${existing.author}'s; an agent edits only their own notes (a team lead can correct it).`);
      }
      const at = ctx.now();
      const note = await teamState.updateNote(tx, existing.id, input.body, at);
      await teamState.audit(tx, { accountId: ctx.accountId, atMs: at, agentId: ctx.agent.id, actor: ctx.agent.name, action: 'note.update', targetType: 'customer', targetId: existing.customerId, params: { noteId: note.id, length: input.body.length, previousLength: existing.body.length }, result: 'ok' });
      await ctx.feed.append(tx, [noteChange(ctx, note)]);
      return toNoteView(note);
    }),
};
