import { agentName } from '../../services/workspace/agent-name';
import { AppError } from '../../../shared/contract/errors';
import type { NoteView } from '../../../shared/contract/customers';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';

// `note add <customer> TEXT`: the same call as the customer view's N. On a team the note goes to
// the team server under the token's agent (queued and said so when the server cannot be reached);
// on a solo desk it stays in this cache, under the agent name of Settings (the app's).

export const noteCommand: CliCommand = {
  name: 'note',
  summary: 'note add <cus_…> TEXT: add a note to a customer (on a team: shared, authored by your agent)',
  usage: 'note add <cus_…> TEXT',
  async run({ positionals, globals, io }) {
    const [sub, customerId, ...words] = positionals;
    if (sub !== 'add') throw new UsageError(sub ? `note: unknown subcommand "${sub}" (only: add)` : 'note: what to do? note add <cus_…> TEXT');
    if (!customerId) throw new UsageError('note add: which customer? Pass a customer id (cus_…).');
    const body = words.join(' ').trim();
    if (!body) throw new UsageError('note add: the note is empty. Pass its text after the customer id.');
    const services = await openServices(globals, io);
    try {
      const team = services.ctx.registries.teamDesk;
      if (team) await team.replica.pull().catch(() => {});
      const r = await services.table.dispatch('notes.add', { customerId, body }, { actor: agentName(services.ctx) });
      if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
      const note = r.value as NoteView;
      if (globals.json) io.out(JSON.stringify({ id: note.id, customer: customerId, author: note.author, created_at: note.createdAt, pending: note.pending ?? false }));
      else io.out(note.pending ? `note queued for ${customerId} (the team server cannot be reached; it is sent on the next sync)` : `note ${note.id} added to ${customerId} by ${note.author}`);
    } finally {
      await services.close();
    }
  },
};
