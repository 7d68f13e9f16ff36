import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

// A loopback OpenAI-compatible server for the real @ai-sdk/openai provider: Chat Completions and
// the Responses API (JSON and streaming SSE, tool calls, structured output) and embeddings. What
// it answers is decided by a script the test sets; every request is recorded (headers and body)
// so a test can assert on exactly what left the app — the injection suite checks that no key and
// no other customer's data was ever sent. It can also fail: an HTTP status, or a stream that dies
// midway (the socket is destroyed after N chunks).

export type Api = 'chat' | 'responses' | 'embeddings' | 'models';

export interface RecordedRequest {
  api: Api;
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  raw: string;
}

/** What the script sees: the request normalised across both APIs. */
export interface ScriptRequest {
  api: Exclude<Api, 'embeddings' | 'models'>;
  model: string;
  stream: boolean;
  /** All message text (system, user, assistant, tool results) joined. */
  text: string;
  /** The last user message's text. */
  lastUser: string;
  /** Names of the tools offered. */
  tools: string[];
  /** Tool results already in the conversation (a later step of a multi-step call). */
  toolResults: Array<{ callId: string; output: string }>;
  /** The request asks for JSON matching a schema (structured output). */
  structured: boolean;
  /** How many requests this server had answered before this one. */
  index: number;
  body: Record<string, unknown>;
}

export interface ScriptReply {
  text?: string;
  toolCalls?: Array<{ name: string; args: unknown }>;
  /** Structured output: sent as the message text, JSON-encoded. */
  json?: unknown;
  /** Answer with this HTTP status and an OpenAI-shaped error instead. */
  status?: number;
  errorMessage?: string;
  /** Streaming only: destroy the connection after this many content chunks. */
  failAfterChunks?: number;
  /** Wait before answering (cancellation and timeout tests). */
  delayMs?: number;
}

export type Script = (req: ScriptRequest) => ScriptReply | Promise<ScriptReply>;

export interface OpenAIServer {
  /** Base URL to give the provider, ending in /v1. */
  baseUrl: string;
  requests: RecordedRequest[];
  setScript(script: Script): void;
  /** Number of requests whose connection the client closed before the answer ended. */
  aborted(): number;
  close(): Promise<void>;
}

const DIMENSIONS = 64;

/** Deterministic bag-of-words vectors: texts that share words are close, which is all retrieval tests need. */
export function hashEmbedding(text: string, dims = DIMENSIONS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2)) {
    const h = crypto.createHash('md5').update(word).digest();
    v[h[0]! % dims]! += 1;
    v[h[1]! % dims]! += 0.5;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

function normalise(api: 'chat' | 'responses', body: Record<string, unknown>, index: number): ScriptRequest {
  const texts: string[] = [];
  let lastUser = '';
  const toolResults: ScriptRequest['toolResults'] = [];
  if (api === 'chat') {
    for (const m of (body.messages as Array<Record<string, unknown>>) ?? []) {
      const t = contentText(m.content);
      texts.push(t);
      if (m.role === 'user') lastUser = t;
      if (m.role === 'tool') toolResults.push({ callId: String(m.tool_call_id), output: t });
    }
  } else {
    if (typeof body.instructions === 'string') texts.push(body.instructions);
    const input = body.input;
    if (typeof input === 'string') {
      texts.push(input);
      lastUser = input;
    } else {
      for (const item of (input as Array<Record<string, unknown>>) ?? []) {
        if (item.type === 'function_call_output') {
          toolResults.push({ callId: String(item.call_id), output: String(item.output) });
          texts.push(String(item.output));
          continue;
        }
        const t = contentText(item.content);
        texts.push(t);
        if (item.role === 'user') lastUser = t;
      }
    }
  }
  const tools = ((body.tools as Array<Record<string, unknown>>) ?? []).map((t) => String((t.function as { name?: string } | undefined)?.name ?? t.name));
  const rf = body.response_format as { type?: string } | undefined;
  const tf = (body.text as { format?: { type?: string } } | undefined)?.format;
  return {
    api,
    model: String(body.model),
    stream: body.stream === true,
    text: texts.join('\n'),
    lastUser,
    tools,
    toolResults,
    structured: rf?.type === 'json_schema' || tf?.type === 'json_schema',
    index,
    body,
  };
}

const usageChat = { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 };
const usageResponses = { input_tokens: 120, output_tokens: 40, total_tokens: 160, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } };

function pieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export async function startOpenAIServer(initial?: Script): Promise<OpenAIServer> {
  let script: Script = initial ?? (() => ({ text: 'Hello from the loopback model.' }));
  const requests: RecordedRequest[] = [];
  let abortedCount = 0;
  let answered = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // A script that throws answers 500 with its message (the test sees it) instead of hanging.
    req.on('end', () => {
      answer().catch((err: unknown) => {
        if (res.headersSent) res.destroy();
        else {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `loopback script failed: ${err instanceof Error ? err.message : String(err)}`, type: 'server_error' } }));
        }
      });
    });
    const answer = async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        /* recorded as-is */
      }
      const path = (req.url ?? '/').split('?')[0]!;
      const api: Api = path.endsWith('/chat/completions') ? 'chat' : path.endsWith('/responses') ? 'responses' : path.endsWith('/embeddings') ? 'embeddings' : 'models';
      requests.push({ api, method: req.method ?? 'GET', path, authorization: req.headers.authorization, body, raw });
      let finished = false;
      res.on('close', () => {
        if (!finished) abortedCount++;
      });
      const json = (status: number, value: unknown) => {
        finished = true;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (api === 'embeddings') {
        const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
        json(200, { object: 'list', model: body.model, data: input.map((t, i) => ({ object: 'embedding', index: i, embedding: hashEmbedding(t) })), usage: { prompt_tokens: 10, total_tokens: 10 } });
        return;
      }
      if (api === 'models') {
        json(200, { object: 'list', data: [{ id: 'loopback-model', object: 'model' }] });
        return;
      }
      const sreq = normalise(api, body, answered++);
      const reply = await script(sreq);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if (res.destroyed) return;
      if (reply.status && reply.status >= 400) {
        json(reply.status, { error: { message: reply.errorMessage ?? 'loopback error', type: 'invalid_request_error', code: String(reply.status) } });
        return;
      }
      const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const calls = (reply.toolCalls ?? []).map((c, i) => ({ id: `call_${sreq.index}_${i}`, name: c.name, arguments: JSON.stringify(c.args ?? {}) }));
      const created = 1_750_000_000;
      if (!sreq.stream) {
        if (api === 'chat') {
          json(200, {
            id: `chatcmpl-${sreq.index}`,
            object: 'chat.completion',
            created,
            model: sreq.model,
            choices: [{ index: 0, message: { role: 'assistant', content: calls.length && !text ? null : text, ...(calls.length ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}) }, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
            usage: usageChat,
          });
        } else {
          json(200, {
            id: `resp_${sreq.index}`,
            object: 'response',
            created_at: created,
            status: 'completed',
            model: sreq.model,
            output: [
              ...(text ? [{ type: 'message', id: `msg_${sreq.index}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }] : []),
              ...calls.map((c, i) => ({ type: 'function_call', id: `fc_${sreq.index}_${i}`, call_id: c.id, name: c.name, arguments: c.arguments, status: 'completed' })),
            ],
            usage: usageResponses,
          });
        }
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      let sent = 0;
      const send = (value: unknown, event?: string) => {
        if (reply.failAfterChunks != null && sent >= reply.failAfterChunks) {
          // Let what was written reach the client first, then cut the connection mid-answer.
          setTimeout(() => res.destroy(), 50);
          return false;
        }
        sent++;
        res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(value)}\n\n`);
        return true;
      };
      if (api === 'chat') {
        const base = { id: `chatcmpl-${sreq.index}`, object: 'chat.completion.chunk', created, model: sreq.model };
        if (!send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })) return;
        for (const p of pieces(text)) if (!send({ ...base, choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })) return;
        for (const [i, c] of calls.entries()) {
          if (!send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, finish_reason: null }] })) return;
          const half = Math.ceil(c.arguments.length / 2);
          for (const part of [c.arguments.slice(0, half), c.arguments.slice(half)]) {
            if (!send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: i, function: { arguments: part } }] }, finish_reason: null }] })) return;
          }
        }
        if (!send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: calls.length ? 'tool_calls' : 'stop' }] })) return;
        if (!send({ ...base, choices: [], usage: usageChat })) return;
        finished = true;
        res.end('data: [DONE]\n\n');
        return;
      }
      const rid = `resp_${sreq.index}`;
      if (!send({ type: 'response.created', sequence_number: 0, response: { id: rid, object: 'response', created_at: created, model: sreq.model, status: 'in_progress', output: [] } }, 'response.created')) return;
      let out = 0;
      if (text) {
        const mid = `msg_${sreq.index}`;
        if (!send({ type: 'response.output_item.added', output_index: out, item: { type: 'message', id: mid, status: 'in_progress', role: 'assistant', content: [] } }, 'response.output_item.added')) return;
        for (const p of pieces(text)) if (!send({ type: 'response.output_text.delta', item_id: mid, output_index: out, content_index: 0, delta: p }, 'response.output_text.delta')) return;
        if (!send({ type: 'response.output_item.done', output_index: out, item: { type: 'message', id: mid, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] } }, 'response.output_item.done')) return;
        out++;
      }
      for (const [i, c] of calls.entries()) {
        const fid = `fc_${sreq.index}_${i}`;
        if (!send({ type: 'response.output_item.added', output_index: out, item: { type: 'function_call', id: fid, call_id: c.id, name: c.name, arguments: '', status: 'in_progress' } }, 'response.output_item.added')) return;
        if (!send({ type: 'response.function_call_arguments.delta', item_id: fid, output_index: out, delta: c.arguments }, 'response.function_call_arguments.delta')) return;
        if (!send({ type: 'response.output_item.done', output_index: out, item: { type: 'function_call', id: fid, call_id: c.id, name: c.name, arguments: c.arguments, status: 'completed' } }, 'response.output_item.done')) return;
        out++;
      }
      if (!send({ type: 'response.completed', sequence_number: 99, response: { id: rid, object: 'response', created_at: created, model: sreq.model, status: 'completed', usage: usageResponses } }, 'response.completed')) return;
      finished = true;
      res.end();
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setScript(next) {
      script = next;
    },
    aborted: () => abortedCount,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
