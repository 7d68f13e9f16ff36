import type { ServiceContext } from '../core/context';
import type { HandlerTable } from '../core/handler-table';
import { bindKeyToCurrentOrigin, forgetKeyOrigin, saveCopilotSettings, settingsView } from './model/config';
import { CopilotService, type CopilotServiceDeps } from './service';

// The copilot's calls on the one handler table (Electron IPC, the web harness, the CLI, tests).

export function registerCopilotHandlers(table: HandlerTable, ctx: ServiceContext, onClose: (fn: () => void | Promise<void>) => void, deps: CopilotServiceDeps = {}): CopilotService {
  const copilot = new CopilotService(ctx, deps);
  copilot.initialise();
  onClose(() => copilot.close());
  table.register('copilot', {
    'copilot.chat': (input) => copilot.startChat(input),
    'copilot.cancel': ({ streamId }) => ({ cancelled: copilot.streams.cancel(streamId) }),
    'copilot.resume': ({ streamId, fromSeq }) => copilot.streams.resume(streamId, fromSeq),
    'copilot.analyze': (input) => copilot.analyze(input),
    'copilot.confirmAction': ({ customerId, proposalId }, call) => copilot.confirm(customerId, proposalId, call.actor),
    'copilot.dismissAction': ({ customerId, proposalId }, call) => copilot.dismiss(customerId, proposalId, call.actor),
    'copilot.settings.get': () => settingsView(ctx),
    'copilot.settings.set': (input, call) => {
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
      ctx.secrets.delete('openai_key');
      forgetKeyOrigin(ctx);
      ctx.audit.record({ accountId: null, actor: call.actor, action: 'copilot.key.clear', result: 'ok' });
      return settingsView(ctx);
    },
    'copilot.settings.test': () => copilot.testModel(),
    'kb.import': async ({ folder }) => {
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
