import { AppError } from '../../../shared/contract/errors';
import type { SearchHit } from '../../../shared/contract/customers';
import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { agentName } from '../../services/workspace/agent-name';
import { snakeKeys } from '../snake-case';
import { drainSearchQueueFully } from '../../services/search/index-queue';

export const searchCommand: CliCommand = {
  name: 'search',
  summary: 'find customers by name, email, phone, id (cus_ sub_ in_ pi_ ch_ pm_), invoice number or card last4',
  usage: 'search <query> [--limit N]',
  options: { limit: { type: 'string' } },
  async run({ positionals, values, globals, io }) {
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError('search: what should I look for? Pass a name, email, id, invoice number or card last4.');
    const limitText = values.limit as string | undefined;
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError(`search: --limit must be a whole number from 1 to 100 (got ${limitText}).`);

    const services = await openServices(globals, io);
    try {
      // A one-shot process: index whatever a sync run (perhaps another process) left queued.
      drainSearchQueueFully(services.ctx.db);
      // Through the handler table, so the CLI validates exactly as the app does.
      const result = await services.table.dispatch('customers.search', { query, limit }, { actor: agentName(services.ctx) });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      const hits = result.value as SearchHit[];
      if (globals.json) {
        io.out(JSON.stringify(snakeKeys(hits)));
        return;
      }
      if (hits.length === 0) {
        io.out(`No customer matches "${query}" in ${services.ctx.workspace.current().name}.`);
        return;
      }
      for (const h of hits) {
        const shared = h.sameEmailCount > 1 ? ` [1 of ${h.sameEmailCount} with this email]` : '';
        const extras = [h.subscriptionSummary, h.cardLast4 ? `•••• ${h.cardLast4}` : null].filter(Boolean).join(', ');
        io.out(`${h.id.padEnd(22)} ${(h.name ?? '—').slice(0, 28).padEnd(28)} ${(h.email ?? '—').slice(0, 34).padEnd(34)} ${h.matched}${shared}${extras ? ` (${extras})` : ''}`);
      }
    } finally {
      await services.close();
    }
  },
};
