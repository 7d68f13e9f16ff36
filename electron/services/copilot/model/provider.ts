import { createOpenAI } from '@ai-sdk/openai';
import type { EmbeddingModel, LanguageModel } from 'ai';
import type { CopilotConfig } from './config';

// The model behind the copilot: OpenAI, or any server speaking its API (Ollama, LM Studio, vLLM)
// through @ai-sdk/openai with a base URL. Chat Completions or the Responses API, as chosen in
// Settings (local servers mostly speak Chat Completions).

export interface CopilotModels {
  language: LanguageModel;
  /** Null when no embedding model is configured: the knowledge base then uses keyword search only. */
  embedding: EmbeddingModel | null;
  /** "gpt-4o-mini (api.openai.com)": shown to the agent beside a model-made draft. */
  label: string;
}

export type CopilotModelFactory = (config: CopilotConfig) => CopilotModels;

export interface ProviderOptions {
  /** A fetch to record or stub traffic (tests); the global fetch otherwise. */
  fetch?: typeof fetch;
}

export function createCopilotModels(config: CopilotConfig, options: ProviderOptions = {}): CopilotModels {
  const provider = createOpenAI({
    baseURL: config.baseUrl ?? undefined,
    // Local servers ignore the key but the client insists on one: send a placeholder, never an env lookup.
    apiKey: config.apiKey ?? 'no-key',
    name: config.provider === 'compatible' ? 'openai-compatible' : 'openai',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const language = config.api === 'responses' ? provider.responses(config.model) : provider.chat(config.model);
  const embedding = config.embeddingModel ? provider.embedding(config.embeddingModel) : null;
  const host = config.source === 'team' ? "the team's model" : config.baseUrl ? safeHost(config.baseUrl) : 'api.openai.com';
  return { language, embedding, label: `${config.model} (${host})` };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'custom server';
  }
}
