import { createOpenAI } from '@ai-sdk/openai';
import { embed, generateText, streamText } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, type TestAgent } from '../helpers/team-server';

// The model proxy with the real @ai-sdk/openai provider on the desk side (pointed at the team
// server with the agent's token) and the loopback OpenAI-compatible server as the team's provider.

const MODEL_KEY = 'sk-proj-TeamModelKey0123456789abcdefXYZ';
let pgs: TestPostgres;
let upstream: OpenAIServer;
let server: TeamServer;
let ana: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  upstream = await startOpenAIServer();
  server = await startTestTeamServer(await pgs.newDatabase(), {
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'a team secret that is long enough', OPENAI_API_KEY: MODEL_KEY, OPENAI_BASE_URL: upstream.baseUrl, COPILOT_MODEL: 'team-model' },
  });
  ana = await addAgent(server, 'Ana', 'agent');
});
afterEach(() => {
  upstream.requests.length = 0;
  upstream.setScript(() => ({ text: 'Hello from the loopback model.' }));
});
afterAll(async () => {
  await server?.stop();
  await upstream?.close();
  await pgs?.close();
});

const desk = (token: string) => createOpenAI({ baseURL: `${server.url}/v1/openai`, apiKey: token });

async function usageRows() {
  return (await server.pool.query('SELECT agent_id, endpoint, model, status, prompt_tokens, completion_tokens, total_tokens FROM model_usage ORDER BY id')).rows;
}

describe('team model proxy', () => {
  it.each(['chat', 'responses'] as const)('streams a %s reply to the desk; the provider gets the team key, the desk never does; usage per agent', async (api) => {
    upstream.setScript(() => ({ text: 'Your card was declined for insufficient funds.' }));
    const before = (await usageRows()).length;
    const provider = desk(ana.token);
    const result = streamText({ model: api === 'chat' ? provider.chat('desk-model') : provider.responses('desk-model'), prompt: 'Why was I declined?' });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text).toBe('Your card was declined for insufficient funds.');
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0].authorization).toBe(`Bearer ${MODEL_KEY}`);
    expect(upstream.requests[0].raw).not.toContain(ana.token);
    const rows = (await usageRows()).slice(before);
    expect(rows).toEqual([{ agent_id: ana.id, endpoint: api === 'chat' ? 'chat/completions' : 'responses', model: 'desk-model', status: 200, prompt_tokens: 120, completion_tokens: 40, total_tokens: 160 }]);
  });

  it('answers a non-streaming call and embeddings, counting usage', async () => {
    const provider = desk(ana.token);
    const r = await generateText({ model: provider.chat('desk-model'), prompt: 'hi' });
    expect(r.text).toBe('Hello from the loopback model.');
    const e = await embed({ model: provider.embedding('text-embedding-3-small'), value: 'refund policy' });
    expect(e.embedding.length).toBeGreaterThan(0);
    const rows = await usageRows();
    expect(rows.at(-1)).toMatchObject({ agent_id: ana.id, endpoint: 'embeddings', model: 'text-embedding-3-small', prompt_tokens: 10, total_tokens: 10 });
  });

  it('refuses a desk without a valid agent token; the provider is never called', async () => {
    await expect(generateText({ model: desk('bsct_' + 'n'.repeat(43)).chat('m'), prompt: 'hi', maxRetries: 0 })).rejects.toThrow(/agent token is not valid/);
    expect(upstream.requests).toHaveLength(0);
  });

  it("masks the team's key when the provider's error echoes it", async () => {
    upstream.setScript(() => ({ status: 401, errorMessage: `Incorrect API key provided: ${MODEL_KEY}.` }));
    const res = await fetch(`${server.url}/v1/openai/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain(MODEL_KEY);
    expect(text).toContain('Incorrect API key provided: [redacted]');
  });

  it('fills in the team model when the desk names none, and keeps the key sealed in the database', async () => {
    const res = await fetch(`${server.url}/v1/openai/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    expect(res.status).toBe(200);
    expect(upstream.requests[0].body.model).toBe('team-model');
    const dump = (await server.pool.query('SELECT row_to_json(s)::text AS j FROM team_settings s')).rows.map((r) => r.j).join('\n');
    expect(dump).not.toContain(MODEL_KEY);
    expect(dump).toContain('"secret_ciphertext":"v1.');
    expect(await jsonOf(await ana.get('/v1/openai/models'))).toEqual({ object: 'list', data: [{ id: 'team-model', object: 'model', owned_by: 'team' }] });
  });

  it('a server without a model says so to the desk; a model key without BSC_TEAM_SECRET refuses to start', async () => {
    const url = await pgs.newDatabase();
    const bare = await startTestTeamServer(url);
    try {
      const lee = await addAgent(bare, 'Lee', 'lead');
      const res = await fetch(`${bare.url}/v1/openai/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${lee.token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(503);
      expect((await jsonOf(res)).error.message).toMatch(/^The team has no model configured/);
    } finally {
      await bare.stop();
    }
    await expect(startTestTeamServer(url, { env: { BSC_TEAM_LISTEN: '127.0.0.1:0', OPENAI_API_KEY: MODEL_KEY } })).rejects.toThrow(/^BSC_TEAM_SECRET is not set/);
  });
});
