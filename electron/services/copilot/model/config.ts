import type { CopilotApi, CopilotProvider, CopilotSettingsView } from '../../../../shared/contract/copilot';
import type { ServiceContext } from '../../core/context';
import { modelBaseUrlProblem, modelOrigin } from '../../../../shared/domain/model-base-url';

// Which model the copilot talks to. Saved settings (Settings › Copilot) hold the provider, base URL
// and model names; the key lives in the secret store ('openai_key': the OS keychain in the app).
// The CLI and the web harness take OPENAI_API_KEY, OPENAI_BASE_URL and COPILOT_MODEL from the
// environment, which override the saved values; a packaged app ignores them (anything that can set
// an environment variable could otherwise redirect the agent's key and messages). No configuration
// means the rules-and-templates mode.
//
// The key is bound to the origin it was saved for (KEY_ORIGIN_KEY): changing the base URL to
// another server does not send the key there; the agent is asked for the key again. A base URL
// that is plain http to another computer, or carries user:password@ or a query, is refused.

export interface CopilotConfig {
  /** 'team': a team desk, reaching the team's model through the team server's proxy (model/team-model.ts). */
  source: 'own' | 'team';
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
  /** The origin the stored key belongs to (null: no key). */
  keyOrigin: string | null;
  /** Last four characters of the stored key, also when it is not sent (bound to another origin). */
  storedKeyHint: string | null;
  /** Why a model that is set up is not used, in words (null: nothing wrong). */
  problem: string | null;
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
/** The origin the stored model key was saved for (not a secret: the key itself is in the key store). */
export const KEY_ORIGIN_KEY = 'copilot.key_origin';
/** Environment variables a packaged app does not read. */
const MODEL_ENV = /^(OPENAI_|COPILOT_)/;
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

/** The environment the services read: without OPENAI_* / COPILOT_* in a packaged app. */
export function servicesEnvironment(options: Pick<ServiceContext['options'], 'env' | 'packaged'>): NodeJS.ProcessEnv {
  const env = options.env ?? process.env;
  return options.packaged ? Object.fromEntries(Object.entries(env).filter(([k]) => !MODEL_ENV.test(k))) : env;
}

function modelEnv(ctx: Pick<ServiceContext, 'options'>): NodeJS.ProcessEnv {
  return servicesEnvironment(ctx.options);
}

export function savedSettings(ctx: Pick<ServiceContext, 'settings'>): SavedCopilotSettings {
  return { ...DEFAULTS, ...ctx.settings.get<Partial<SavedCopilotSettings>>(COPILOT_SETTINGS_KEY, {}) };
}

/** Where a saved (not environment) configuration sends requests. */
function savedOrigin(saved: SavedCopilotSettings): string {
  return modelOrigin(saved.provider === 'compatible' ? saved.baseUrl : null);
}

/**
 * The origin the stored key is bound to. The environment's key goes with the environment's base
 * URL (they are set together). A key stored before origins were recorded is bound, once, to the
 * saved settings' server: the one the agent chose when they typed it.
 */
function boundOrigin(ctx: Pick<ServiceContext, 'settings' | 'secrets' | 'options'>, apiKey: string, env: NodeJS.ProcessEnv): string {
  if (env.OPENAI_API_KEY?.trim() === apiKey) return modelOrigin(env.OPENAI_BASE_URL?.trim() || null);
  const recorded = ctx.settings.get<string | null>(KEY_ORIGIN_KEY, null);
  if (recorded) return recorded;
  const origin = savedOrigin(savedSettings(ctx));
  ctx.settings.set(KEY_ORIGIN_KEY, origin);
  return origin;
}

/** Called when a key is saved: it belongs to the server the settings point at now. */
export function bindKeyToCurrentOrigin(ctx: Pick<ServiceContext, 'settings' | 'secrets' | 'options'>): string {
  const c = readCopilotConfig(ctx, { ignoreKey: true });
  const origin = modelOrigin(c.provider === 'none' ? null : c.baseUrl);
  ctx.settings.set(KEY_ORIGIN_KEY, origin);
  return origin;
}

export function forgetKeyOrigin(ctx: Pick<ServiceContext, 'settings'>): void {
  ctx.settings.delete(KEY_ORIGIN_KEY);
}

export function readCopilotConfig(ctx: Pick<ServiceContext, 'settings' | 'secrets' | 'options'>, opts: { ignoreKey?: boolean } = {}): CopilotConfig {
  const saved = savedSettings(ctx);
  const env = modelEnv(ctx);
  const envOverrides: string[] = [];
  let { provider, baseUrl, model, api, embeddingModel } = saved;
  const storedKey = opts.ignoreKey ? null : (ctx.secrets.get('openai_key') ?? null);
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
  let problem: string | null = null;
  const urlProblem = baseUrl && provider !== 'none' ? modelBaseUrlProblem(baseUrl) : null;
  if (urlProblem) problem = envOverrides.includes('OPENAI_BASE_URL') ? `OPENAI_BASE_URL is not used: ${urlProblem}` : urlProblem;
  // The key only ever goes to the origin it was saved for.
  const keyOrigin = storedKey ? boundOrigin(ctx, storedKey, env) : null;
  const target = modelOrigin(baseUrl);
  let apiKey = storedKey;
  if (storedKey && provider !== 'none' && keyOrigin !== target) {
    apiKey = null;
    problem ??= `The stored key was saved for ${keyOrigin}, and the copilot now points at ${target}: the key is not sent there. Enter the key again to use it with ${target}.`;
  }
  // Local servers (Ollama, LM Studio, vLLM) usually need no key; OpenAI always does.
  const complete = provider === 'openai' ? Boolean(apiKey) && Boolean(model) : provider === 'compatible' ? Boolean(baseUrl) && Boolean(model) : false;
  const configured = complete && problem === null;
  return { source: 'own', provider, baseUrl, model, api, embeddingModel, timeoutSeconds: saved.timeoutSeconds, apiKey: problem ? null : apiKey, configured, envOverrides, keyOrigin, storedKeyHint: storedKey ? storedKey.slice(-4) : null, problem };
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
    keySet: c.storedKeyHint !== null,
    keyHint: c.storedKeyHint,
    keyPersistent: ctx.secrets.persistent,
    configured: c.configured,
    envOverrides: c.envOverrides,
    keyOrigin: c.keyOrigin,
    problem: c.problem,
    team: null,
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
