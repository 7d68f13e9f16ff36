import type { CopilotApi, CopilotProvider, CopilotSettingsView } from '../../../../shared/contract/copilot';
import type { ServiceContext } from '../../core/context';

// Which model the copilot talks to. Saved settings (Settings › Copilot) hold the provider, base URL
// and model names; the key lives in the secret store ('openai_key': the OS keychain in the app).
// The CLI and the web harness take OPENAI_API_KEY, OPENAI_BASE_URL and COPILOT_MODEL from the
// environment, which override the saved values. No configuration means the rules-and-templates mode.

export interface CopilotConfig {
  provider: CopilotProvider;
  baseUrl: string | null;
  model: string;
  api: CopilotApi;
  embeddingModel: string | null;
  timeoutSeconds: number;
  apiKey: string | null;
  /** A model can be called: drafts come from it. */
  configured: boolean;
  envOverrides: string[];
}

export interface SavedCopilotSettings {
  provider: CopilotProvider;
  baseUrl: string | null;
  model: string;
  api: CopilotApi;
  embeddingModel: string | null;
  timeoutSeconds: number;
}

export const COPILOT_SETTINGS_KEY = 'copilot.settings';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_LOCAL_MODEL = 'llama3.1';

const DEFAULTS: SavedCopilotSettings = { provider: 'none', baseUrl: null, model: DEFAULT_OPENAI_MODEL, api: 'chat', embeddingModel: null, timeoutSeconds: 60 };

function isOpenAiHost(url: string): boolean {
  try {
    return new URL(url).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

export function readCopilotConfig(ctx: Pick<ServiceContext, 'settings' | 'secrets' | 'options'>): CopilotConfig {
  const saved = { ...DEFAULTS, ...ctx.settings.get<Partial<SavedCopilotSettings>>(COPILOT_SETTINGS_KEY, {}) };
  const env = ctx.options.env ?? process.env;
  const envOverrides: string[] = [];
  let { provider, baseUrl, model, api, embeddingModel } = saved;
  const apiKey = ctx.secrets.get('openai_key') ?? null;
  if (env.OPENAI_BASE_URL?.trim()) {
    baseUrl = env.OPENAI_BASE_URL.trim().replace(/\/+$/, '');
    provider = isOpenAiHost(baseUrl) ? 'openai' : 'compatible';
    envOverrides.push('OPENAI_BASE_URL');
  } else if (env.OPENAI_API_KEY?.trim() && provider === 'none') {
    provider = 'openai';
  }
  if (env.OPENAI_API_KEY?.trim()) envOverrides.push('OPENAI_API_KEY');
  if (env.COPILOT_MODEL?.trim()) {
    model = env.COPILOT_MODEL.trim();
    envOverrides.push('COPILOT_MODEL');
  }
  if (env.COPILOT_API === 'chat' || env.COPILOT_API === 'responses') {
    api = env.COPILOT_API;
    envOverrides.push('COPILOT_API');
  }
  if (env.COPILOT_EMBEDDING_MODEL?.trim()) {
    embeddingModel = env.COPILOT_EMBEDDING_MODEL.trim();
    envOverrides.push('COPILOT_EMBEDDING_MODEL');
  }
  if (provider === 'openai') baseUrl = baseUrl && !isOpenAiHost(baseUrl) ? baseUrl : null;
  // Local servers (Ollama, LM Studio, vLLM) usually need no key; OpenAI always does.
  const configured = provider === 'openai' ? Boolean(apiKey) && Boolean(model) : provider === 'compatible' ? Boolean(baseUrl) && Boolean(model) : false;
  return { provider, baseUrl, model, api, embeddingModel, timeoutSeconds: saved.timeoutSeconds, apiKey, configured, envOverrides };
}

export function saveCopilotSettings(ctx: Pick<ServiceContext, 'settings'>, next: SavedCopilotSettings): void {
  ctx.settings.set(COPILOT_SETTINGS_KEY, next);
}

export function settingsView(ctx: Pick<ServiceContext, 'settings' | 'secrets' | 'options'>): CopilotSettingsView {
  const c = readCopilotConfig(ctx);
  return {
    provider: c.provider,
    baseUrl: c.baseUrl,
    model: c.model,
    api: c.api,
    embeddingModel: c.embeddingModel,
    timeoutSeconds: c.timeoutSeconds,
    keySet: Boolean(c.apiKey),
    keyHint: c.apiKey ? c.apiKey.slice(-4) : null,
    keyPersistent: ctx.secrets.persistent,
    configured: c.configured,
    envOverrides: c.envOverrides,
  };
}

/** "http://127.0.0.1:11434/v1" → "127.0.0.1:11434": named in error messages, never with a path or query. */
export function providerHost(c: Pick<CopilotConfig, 'baseUrl'>): string {
  if (!c.baseUrl) return 'api.openai.com';
  try {
    return new URL(c.baseUrl).host;
  } catch {
    return 'the configured server';
  }
}
