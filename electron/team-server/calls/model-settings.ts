import type { CopilotSettingsView } from '../../../shared/contract/copilot';
import { AppError } from '../../../shared/contract/errors';
import { modelBaseUrlProblem, modelOrigin } from '../../../shared/domain/model-base-url';
import { inTransaction } from '../db';
import type { PgModelSettingsStore, TeamModelSettings } from '../stores/model-settings';
import { teamState } from '../stores/team-state';
import type { TeamCallContext, TeamHandlerMap } from './types';

// The team's model (admins): provider, base URL and model names in team_settings, the key only
// sealed with BSC_TEAM_SECRET; the model proxy reads them on each request, so every instance and
// every desk follows a change at once. As on a solo desk, the key is bound to the origin it was
// saved for: pointing the team at another server does not send the key there. No answer, audit
// row or log line holds the key; the view shows its last four characters.

function storeOf(ctx: TeamCallContext): PgModelSettingsStore {
  if (!ctx.modelSettings) throw new AppError('not_configured', 'This team server keeps no model settings.');
  return ctx.modelSettings;
}

/** The contract's view of the team's settings, with what stops the proxy from using them in words. */
export function teamSettingsView(s: TeamModelSettings): CopilotSettingsView {
  const target = s.provider === 'none' ? null : modelOrigin(s.provider === 'openai' ? null : s.baseUrl);
  let problem = s.provider === 'compatible' && s.baseUrl ? modelBaseUrlProblem(s.baseUrl) : null;
  if (!problem && s.keySet && target && s.keyOrigin !== target) {
    problem = `The stored key was saved for ${s.keyOrigin}, and the team's copilot now points at ${target}: the key is not sent there. Enter the key again to use it with ${target}.`;
  }
  // The proxy forwards only with a key (it is the team's, not each desk's).
  const configured = target !== null && s.keySet && problem === null && Boolean(s.model);
  return { provider: s.provider, baseUrl: s.baseUrl, model: s.model, api: s.api, embeddingModel: s.embeddingModel, timeoutSeconds: s.timeoutSeconds, keySet: s.keySet, keyHint: s.keyHint, keyPersistent: true, configured, envOverrides: [], keyOrigin: s.keyOrigin, problem, team: null };
}

async function audited(ctx: TeamCallContext, action: string, params: Record<string, unknown>, view: CopilotSettingsView): Promise<CopilotSettingsView> {
  return inTransaction(ctx.pool, async (tx) => {
    await teamState.audit(tx, { accountId: null, atMs: ctx.now(), agentId: ctx.agent.id, actor: ctx.agent.name, action, targetType: 'team', targetId: 'model', params, result: 'ok' });
    return view;
  });
}

export const modelSettingsHandlers: TeamHandlerMap = {
  'copilot.settings.get': async (_input, ctx) => teamSettingsView(await storeOf(ctx).settings()),

  'copilot.settings.set': async (input, ctx) => {
    if (input.provider === 'compatible' && !input.baseUrl) throw new AppError('bad_input', 'An OpenAI-compatible server needs its base URL, e.g. https://llm.example.com/v1. Nothing was changed.');
    const view = teamSettingsView(await storeOf(ctx).choose(input));
    return audited(ctx, 'copilot.settings.set', { provider: input.provider, base_url: input.baseUrl, model: input.model, api: input.api }, view);
  },

  'copilot.settings.setKey': async ({ key }, ctx) => {
    const store = storeOf(ctx);
    if (!store.canStoreKeys()) throw new AppError('not_configured', 'The team server stores the model key only encrypted with BSC_TEAM_SECRET, which is not set: an operator sets it and restarts the server. Nothing was stored.');
    const view = teamSettingsView(await store.setKey(key.trim()));
    return audited(ctx, 'copilot.settings.setKey', { hint: view.keyHint, origin: view.keyOrigin }, view);
  },

  'copilot.settings.clearKey': async (_input, ctx) => audited(ctx, 'copilot.settings.clearKey', {}, teamSettingsView(await storeOf(ctx).clearKey())),
};
