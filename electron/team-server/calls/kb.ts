import { readKbFolder } from '../../services/copilot/kb/read-folder';
import { inTransaction } from '../db';
import { teamKb } from '../stores/kb';
import { teamState } from '../stores/team-state';
import { TEAM_ENTITY, type TeamHandlerMap } from './types';

// The team's knowledge base: an admin imports a folder on the server's disk; every changed
// article reaches the desks through the feed (entity kb_article, with its chunks) so their
// copilots cite the same articles; search, status and articles are also served here.

export const kbHandlers: TeamHandlerMap = {
  'kb.import': async (input, ctx) => {
    const { articles, problems } = readKbFolder(input.folder);
    let documents = 0;
    let chunks = 0;
    let unchanged = 0;
    for (const a of articles) {
      await inTransaction(ctx.pool, async (tx) => {
        const entry = await teamKb.upsertArticle(tx, a, ctx.now());
        if (!entry) {
          unchanged++;
          return;
        }
        documents++;
        chunks += entry.chunks.length;
        await ctx.feed.append(tx, [{ accountId: ctx.accountId, entity: TEAM_ENTITY.kbArticle, entityId: entry.ref, op: 'upsert', data: entry }]);
      });
    }
    await inTransaction(ctx.pool, (tx) =>
      teamState.audit(tx, { accountId: ctx.accountId, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action: 'kb.import', params: { documents, chunks, unchanged, problems: problems.length }, result: 'ok' }),
    );
    return { documents, chunks, unchanged, embedded: 0, problems };
  },
  'kb.search': (input, ctx) => teamKb.search(ctx.pool, input.query, input.limit),
  'kb.status': (_input, ctx) => teamKb.status(ctx.pool),
  'kb.get': (input, ctx) => teamKb.get(ctx.pool, input.ref),
};
