import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UIMessageChunk } from 'ai';
import { startOpenAIServer, type OpenAIServer, type Script } from '../openai-server';
import { copilotFixture, dataOf, textOf, type CopilotFixture } from '../helpers/copilot';
import { SCENARIO_CUSTOMERS } from '../../electron/services/copilot/eval/fixtures';
import type { CopilotAnalysis, KbHit } from '../../shared/contract/copilot';

// The real @ai-sdk/openai provider (Chat Completions and the Responses API) against the loopback
// OpenAI-compatible server: streaming, tool calls over two steps, structured output, embeddings,
// and the failures an agent must be told about in words.

const KEY = 'sk-proj-LoopbackTestKey0123456789abcdef';
let server: OpenAIServer;
let fx: CopilotFixture | null = null;

beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await fx?.dispose();
  fx = null;
  server.requests.length = 0;
});

async function open(api: 'chat' | 'responses', extra: NodeJS.ProcessEnv = {}): Promise<CopilotFixture> {
  fx = await copilotFixture({ env: { OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: KEY, COPILOT_MODEL: 'loopback-model', COPILOT_API: api, ...extra } });
  return fx;
}

const lookupThenAnswer: Script = (req) => {
  if (req.toolResults.length === 0 && req.tools.includes('findInvoices')) return { toolCalls: [{ name: 'findInvoices', args: { amount: 49, date: '2025-06-14' } }] };
  return { text: 'That $49.00 was your Pro renewal on June 14, 2025 [in_EvalH1002] [sub_EvalHealthy01].' };
};

describe.each(['chat', 'responses'] as const)('copilot over the real OpenAI provider (%s API)', (api) => {
  const endpoint = api === 'chat' ? '/v1/chat/completions' : '/v1/responses';

  it('streams a reply that uses a tool, token by token, and records what was sent', async () => {
    server.setScript(lookupThenAnswer);
    const f = await open(api);
    const r = await f.services.table.dispatch('copilot.chat', { customerId: SCENARIO_CUSTOMERS.healthy, messages: [{ role: 'user', text: 'Why was I charged $49 yesterday?' }], length: 'short' }, { actor: 'ana' });
    expect(r.ok).toBe(true);
    const chunks = await f.collect((r as { value: { streamId: string } }).value.streamId);
    const deltas = chunks.filter((c) => c.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(textOf(chunks)).toBe('That $49.00 was your Pro renewal on June 14, 2025 [in_EvalH1002] [sub_EvalHealthy01].');
    const toolOut = chunks.find((c) => c.type === 'tool-output-available') as Extract<UIMessageChunk, { type: 'tool-output-available' }>;
    expect((toolOut.output as { invoices: Array<{ number: string }> }).invoices.map((i) => i.number)).toEqual(['ACME-1002']);
    expect(dataOf<{ intent: string; mode: string }>(chunks, 'data-understanding')[0]).toMatchObject({ intent: 'invoice_explanation', mode: 'model' });

    const sent = server.requests.filter((q) => q.path === endpoint);
    expect(sent).toHaveLength(2);
    expect(sent.every((q) => q.body.stream === true && q.authorization === `Bearer ${KEY}` && q.body.model === 'loopback-model')).toBe(true);
    expect(sent[1]!.raw).toContain('in_EvalH1002'); // the tool result went back to the model
    expect(sent[0]!.raw).not.toContain(KEY);
  });

  it('answers copilot.analyze with structured output (JSON schema) and checks it', async () => {
    server.setScript((req) =>
      req.structured
        ? { json: { intent: 'payment_failed', entities: { amount: 120, currency: 'gbp', date: null, invoiceNumber: 'TUR-0042', plan: null }, actions: [{ type: 'send_portal_link', invoiceId: 'in_EvalD0042', subscriptionId: null, flow: 'payment_method_update', reason: 'Stolen card: a new one is needed.' }], draft: 'Dear Alan, the payment for TUR-0042 [in_EvalD0042] was declined [py_EvalD0042].' } }
        : { text: 'unexpected' },
    );
    const f = await open(api);
    const r = await f.services.table.dispatch('copilot.analyze', { customerId: SCENARIO_CUSTOMERS.hard_decline, message: 'Why did my £120 payment for TUR-0042 fail?' }, { actor: 'ana' });
    expect(r.ok).toBe(true);
    const a = (r as { value: CopilotAnalysis }).value;
    expect(a).toMatchObject({ mode: 'model', intent: 'payment_failed', entities: { amount: 12000, currency: 'gbp', invoiceNumber: 'TUR-0042' } });
    expect(a.actions[0]).toMatchObject({ type: 'send_portal_link', args: { flow: 'payment_method_update' }, status: 'proposed' });
    expect(a.draft.citations.map((c) => c.ref)).toEqual(['in_EvalD0042', 'py_EvalD0042']);
    const body = server.requests.find((q) => q.path === endpoint)!.body;
    const format = api === 'chat' ? (body.response_format as { type: string }) : (body.text as { format: { type: string } }).format;
    expect(format.type).toBe('json_schema');
  });

  it('a stream the server drops midway ends with an error in words, keeping the text that arrived', async () => {
    server.setScript(() => ({ text: 'Your card was declined because the bank reported it stolen, so', failAfterChunks: 6 }));
    const f = await open(api);
    const { streamId } = await f.copilot.startChat({ customerId: SCENARIO_CUSTOMERS.hard_decline, messages: [{ role: 'user', text: 'payment failed?' }], tone: 'neutral', length: 'short' });
    const chunks = await f.collect(streamId);
    expect(textOf(chunks).length).toBeGreaterThan(0);
    const error = chunks.find((c) => c.type === 'error') as { errorText: string } | undefined;
    expect(error?.errorText).toMatch(/model/i);
    expect(error?.errorText).not.toMatch(/stack|at \w+ \(/);
  });
});

describe('copilot provider failures and controls', () => {
  it('a rejected key: the settings test says so in words, analyze falls back to the rules', async () => {
    server.setScript(() => ({ status: 401, errorMessage: `Incorrect API key provided: ${KEY}` }));
    const f = await open('chat');
    const test = await f.services.table.dispatch('copilot.settings.test', {}, { actor: 'ana' });
    expect(test).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/rejected the key \(HTTP 401\)/), details: { status: 401 } } });
    const a = await f.services.table.dispatch('copilot.analyze', { customerId: SCENARIO_CUSTOMERS.soft_decline, message: 'my card failed' }, { actor: 'ana' });
    expect(a.ok && (a.value as CopilotAnalysis).mode).toBe('rules');
    expect(JSON.stringify(a)).not.toContain(KEY);
  });

  it('an unreachable server is "offline", named by host only', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    fx = await copilotFixture({ env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, COPILOT_MODEL: 'llama3.1' } });
    const test = await fx.services.table.dispatch('copilot.settings.test', {}, { actor: 'ana' });
    expect(test).toMatchObject({ ok: false, error: { code: 'offline', message: expect.stringContaining(`Could not reach the model at 127.0.0.1:${port}.`) } });
    // The copilot still answers, from the rules.
    const a = await fx.services.table.dispatch('copilot.analyze', { customerId: SCENARIO_CUSTOMERS.expired_card, message: 'card expired' }, { actor: 'ana' });
    expect(a).toMatchObject({ ok: true, value: { mode: 'rules', notice: expect.stringMatching(/Could not reach the model/) } });
  });

  it('cancel closes the provider connection', async () => {
    server.setScript(() => ({ text: 'slow answer', delayMs: 3000 }));
    const f = await open('chat');
    const { streamId } = await f.copilot.startChat({ customerId: SCENARIO_CUSTOMERS.healthy, messages: [{ role: 'user', text: 'hello?' }], tone: 'neutral', length: 'short' });
    await new Promise<void>((resolve) => {
      const check = () => (server.requests.some((q) => q.api === 'chat') ? resolve() : setTimeout(check, 10));
      check();
    });
    const before = server.aborted();
    const r = await f.services.table.dispatch('copilot.cancel', { streamId }, { actor: 'ana' });
    expect(r.ok).toBe(true);
    expect(f.copilot.streams.cancel(streamId)).toBe(true);
    const chunks = await f.collect(streamId);
    expect(chunks.some((c) => c.type === 'abort')).toBe(true);
    await new Promise((r2) => setTimeout(r2, 100));
    expect(server.aborted()).toBeGreaterThan(before);
  });

  it('knowledge-base embeddings through the provider: import embeds, search is hybrid', async () => {
    server.setScript(() => ({ text: 'ok' }));
    const f = await open('chat', { COPILOT_EMBEDDING_MODEL: 'loopback-embed' });
    const dir = path.join(f.services.ctx.options.dbPath, '..', 'kb');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'shipping.md'), '# Shipping\n\n## Delivery times\n\nParcels arrive within three working days.');
    const imported = await f.services.table.dispatch('kb.import', { folder: dir }, { actor: 'ana' });
    expect(imported).toMatchObject({ ok: true, value: { documents: 1, chunks: 1 } });
    expect((imported as { value: { embedded: number } }).value.embedded).toBeGreaterThanOrEqual(1);
    const status = await f.services.table.dispatch('kb.status', {}, { actor: 'ana' });
    expect(status).toMatchObject({ ok: true, value: { vectorSearch: true } });
    const hits = await f.services.table.dispatch('kb.search', { query: 'parcels delivery working days', limit: 3 }, { actor: 'ana' });
    expect((hits as { value: KbHit[] }).value[0]).toMatchObject({ ref: 'kb:shipping', via: ['keyword', 'vector'] });
    expect(server.requests.some((q) => q.api === 'embeddings' && q.authorization === `Bearer ${KEY}`)).toBe(true);
  });
});
