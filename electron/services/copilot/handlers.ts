import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { bindKeyToCurrentOrigin, forgetKeyOrigin, saveCopilotSettings, settingsView } from './model/config';
import { CopilotService, type CopilotServiceDeps } from './service';

// The copilot's calls on the one handler table (Electron IPC, the web harness, the CLI, tests).

export function registerCopilotHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void | Promise<void>) => void, deps: CopilotServiceDeps = {}): CopilotService {
  const copilot = new CopilotService(ctx, deps);
  // A team desk's copilot uses the team's model and knowledge base: an admin sets both on the team server.
  const teamDecides = (what: string) => {
    if (ctx.registries.teamDesk) throw new AppError('refused', `On a team the copilot uses the team's model and knowledge base, set by an admin on the team server: ${what} Leave the team in Settings → Team to use a model of your own.`);
  };
  copilot.initialise();
  onClose(() => copilot.close());
  table.register('copilot', {
    'copilot.chat': (input) => copilot.startChat(input),
    'copilot.cancel': ({ streamId }) => ({ cancelled: copilot.streams.cancel(streamId) }),
    'copilot.resume': ({ streamId, fromSeq }) => copilot.streams.resume(streamId, fromSeq),
    'copilot.analyze': (input) => copilot.analyze(input),
    'copilot.confirmAction': ({ customerId, proposalId }, call) => copilot.confirm(customerId, proposalId, call.actor),
    'copilot.dismissAction': ({ customerId, proposalId }, call) => copilot.dismiss(customerId, proposalId, call.actor),
    'copilot.settings.get': () => copilot.settingsView(),
    'copilot.settings.set': (input, call) => {
      teamDecides('this desk has no model settings of its own.');
      saveCopilotSettings(ctx, input);
      ctx.audit.record({ accountId: null, actor: call.actor, action: 'copilot.settings', params: { provider: input.provider, baseUrl: input.baseUrl, model: input.model, api: input.api, embeddingModel: input.embeddingModel }, result: 'ok' });
      const view = settingsView(ctx);
      if (view.configured && view.embeddingModel) void copilot.embedKb();
      return view;
    },
    'copilot.settings.setKey': ({ key }, call) => {
      ctx.redactor.remember(key);
      ctx.secrets.set('openai_key', key);
      // The key belongs to the server the settings point at now, and is only ever sent there.
      const origin = bindKeyToCurrentOrigin(ctx);
      ctx.audit.record({ accountId: null, actor: call.actor, action: 'copilot.key.set', params: { hint: key.slice(-4), origin }, result: 'ok' });
      return settingsView(ctx);
    },
    'copilot.settings.clearKey': (_input, call) => {
      teamDecides('this desk keeps no model key.');
      ctx.secrets.delete('openai_key');
      forgetKeyOrigin(ctx);
      ctx.audit.record({ accountId: null, actor: call.actor, action: 'copilot.key.clear', result: 'ok' });
      return settingsView(ctx);
    },
    'copilot.settings.test': () => copilot.testModel(),
    'kb.import': async ({ folder }) => {
      teamDecides('an admin imports articles on the team server (its kb.import call) and they reach every desk.');
      const r = copilot.importKb(folder);
      const embedded = r.newChunkIds.length ? await copilot.embedKb() : 0;
      return { documents: r.documents, chunks: r.chunks, unchanged: r.unchanged, embedded, problems: r.problems };
    },
    'kb.search': ({ query, limit }) => copilot.searchKb(query, limit),
    'kb.status': () => copilot.kbStatus(),
    'kb.get': ({ ref }) => copilot.kbArticle(ref),
  });
  return copilot;
}
