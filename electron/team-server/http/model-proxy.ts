import type http from 'node:http';
import type pg from 'pg';
import type { Logger } from '../../services/core/log';
import type { Redactor } from '../../services/core/redact';
import type { ModelSettingsStore } from '../stores/model-settings';
import type { TeamRoute } from './server';

// The model proxy: desks hold no model key. The copilot's OpenAI-compatible provider is pointed at
// <team server>/v1/openai with the agent's token as its API key; the proxy forwards chat
// completions, responses and embeddings (streaming included) to the team's provider with the
// team's key, and records each agent's usage. Provider errors are passed on with every secret
// masked (some providers echo the key they were sent).

type Endpoint = 'chat/completions' | 'responses' | 'embeddings';

interface Usage {
  prompt: number | null;
  completion: number | null;
  total: number | null;
}

function usageOf(value: unknown): Usage | null {
  const u = (value as { usage?: Record<string, unknown> } | null)?.usage ?? (value as { response?: { usage?: Record<string, unknown> } } | null)?.response?.usage;
  if (!u || typeof u !== 'object') return null;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return { prompt: num(u.prompt_tokens ?? u.input_tokens), completion: num(u.completion_tokens ?? u.output_tokens), total: num(u.total_tokens) };
}

/** Finds the usage in an SSE stream as it passes (the last event that carries one). */
class StreamUsageScanner {
  private buf = '';
  usage: Usage | null = null;

  push(text: string): void {
    this.buf += text;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).trim();
      this.buf = this.buf.slice(i + 1);
      if (!line.startsWith('data:') || !line.includes('usage')) continue;
      try {
        this.usage = usageOf(JSON.parse(line.slice(5))) ?? this.usage;
      } catch {
        // a data line that is not JSON ([DONE]): nothing to count
      }
    }
  }
}

function openAiError(res: http.ServerResponse, status: number, message: string, type: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { message, type, code: null } }));
}

export interface ModelProxyDeps {
  pool: pg.Pool;
  settings: ModelSettingsStore;
  redactor: Redactor;
  log: Logger;
  maxBodyBytes?: number;
}

export function modelProxyRoutes(deps: ModelProxyDeps): TeamRoute[] {
  const record = (agentId: string, endpoint: Endpoint, model: string | null, status: number, u: Usage | null) =>
    deps.pool
      .query('INSERT INTO model_usage (agent_id, endpoint, model, status, prompt_tokens, completion_tokens, total_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7)', [agentId, endpoint, model, status, u?.prompt ?? null, u?.completion ?? null, u?.total ?? null])
      .catch((err) => deps.log.warn('model usage not recorded', { error: err }));

  const forward: TeamRoute = {
    method: 'POST',
    path: /^\/v1\/openai\/(chat\/completions|responses|embeddings)$/,
    auth: 'agent',
    maxBodyBytes: deps.maxBodyBytes ?? 8_000_000,
    async handle(req, res, ctx) {
      const endpoint = ctx.params[0] as Endpoint;
      const agent = ctx.agent!;
      const config = await deps.settings.get();
      if (!config) return openAiError(res, 503, "The team has no model configured: an admin sets OPENAI_API_KEY (with BSC_TEAM_SECRET) on the team server.", 'not_configured');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(ctx.body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return openAiError(res, 400, 'The request body is not valid JSON.', 'invalid_request_error');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return openAiError(res, 400, 'The request body must be a JSON object.', 'invalid_request_error');
      if (!body.model && config.model && endpoint !== 'embeddings') body.model = config.model;
      const model = typeof body.model === 'string' ? body.model : null;
      const ac = new AbortController();
      const onClose = () => ac.abort();
      res.on('close', onClose);
      let upstream: Response;
      try {
        upstream = await fetch(`${config.baseUrl}/${endpoint}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.key}`, 'content-type': 'application/json', accept: req.headers.accept ?? 'application/json' },
          body: JSON.stringify(body),
          signal: ac.signal,
        });
      } catch (err) {
        if (ac.signal.aborted) return;
        deps.log.warn('model provider unreachable', { error: err });
        await record(agent.id, endpoint, model, 502, null);
        return openAiError(res, 502, "The team's model provider could not be reached. Try again in a moment.", 'provider_unreachable');
      }
      const contentType = upstream.headers.get('content-type') ?? 'application/json';
      if (!upstream.ok) {
        const text = deps.redactor.text(await upstream.text().catch(() => ''));
        await record(agent.id, endpoint, model, upstream.status, null);
        res.writeHead(upstream.status, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(text);
        return;
      }
      res.writeHead(upstream.status, { 'content-type': contentType, 'cache-control': 'no-store', ...(contentType.includes('event-stream') ? { 'x-accel-buffering': 'no' } : {}) });
      const scanner = new StreamUsageScanner();
      const streaming = contentType.includes('event-stream');
      let whole = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) {
          const text = decoder.decode(chunk, { stream: true });
          if (streaming) scanner.push(text);
          else whole += text;
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        }
        res.end();
      } catch (err) {
        if (!ac.signal.aborted) deps.log.warn('model stream ended early', { error: err });
        res.destroy();
      } finally {
        res.off('close', onClose);
      }
      let usage = scanner.usage;
      if (!streaming) {
        try {
          usage = usageOf(JSON.parse(whole));
        } catch {
          usage = null;
        }
      }
      await record(agent.id, endpoint, model, upstream.status, usage);
    },
  };

  const models: TeamRoute = {
    method: 'GET',
    path: /^\/v1\/openai\/models$/,
    auth: 'agent',
    async handle(_req, res) {
      const config = await deps.settings.get();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ object: 'list', data: config?.model ? [{ id: config.model, object: 'model', owned_by: 'team' }] : [] }));
    },
  };

  return [forward, models];
}
