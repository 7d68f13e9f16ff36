import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generateText, type UIMessageChunk } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCopilotModels } from '../../electron/services/copilot/model/provider';
import { toModelAppError } from '../../electron/services/copilot/model/errors';
import { teamCopilotConfig } from '../../electron/services/copilot/model/team-model';
import { TeamClient } from '../../electron/services/team/team-client';
import type { CopilotAnalysis, CopilotSettingsView, KbHit, KbStatus } from '../../shared/contract/copilot';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';
import { copilotChunks, dataOf, textOf } from '../helpers/copilot';
import { bystanderNeedles, leaksIn, needlesFor } from '../helpers/leak-oracle';
import { tempDir } from '../helpers/services';
import { startSyncedTeam, startTestDesk, type SyncedTeam, type TestDesk } from '../helpers/team-desk';
import { addAgent, type TestAgent } from '../helpers/team-server';

// The copilot on a team desk (issue 14, item 6): the desk holds no model key; it reaches the
// team's model through the team server's proxy (real PostgreSQL) with the agent token, and the
// proxy forwards to the loopback OpenAI-compatible server with the team's key. The draft is
// grounded in the desk's replica of the Stripe account and in the team's knowledge base, which
// arrives with the feed. The desk's own OPENAI_* environment is there to prove it is never used.

const ACCOUNT = 'acct_1TeamCopilotTest01';
const TEAM_MODEL_KEY = 'sk-proj-TeamCopilotKey0123456789abcdefXYZ';
const DESK_MODEL_KEY = 'sk-proj-DeskOwnKeyNeverUsed0123456789abc';
const ARTICLE = '# Refund window\n\n## Annual plans\n\nThe team refunds an annual plan renewal within forty-five days, prorated to the unused months, once a lead approves it.\n';

let upstream: OpenAIServer;
let team: SyncedTeam;
let admin: TestAgent;
let ana: TestAgent;
let desk: TestDesk;
let kb: ReturnType<typeof tempDir>;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  upstream = await startOpenAIServer();
  team = await startSyncedTeam({ accountId: ACCOUNT, stripeKey: 'sk_test_teamCopilotTest01', customers: 12, seed: 6, env: { OPENAI_API_KEY: TEAM_MODEL_KEY, OPENAI_BASE_URL: upstream.baseUrl, COPILOT_MODEL: 'team-model' } });
  admin = await addAgent(team.server, 'Ada Admin', 'admin');
  ana = await addAgent(team.server, 'Ana Agent', 'agent');
  kb = tempDir('bsc-team-kb-');
  fs.writeFileSync(path.join(kb.dir, 'team-refund-window.md'), ARTICLE);
  expect((await admin.call('kb.import', { folder: kb.dir })).body).toMatchObject({ ok: true, value: { documents: 1 } });
  desk = await startTestDesk(team.server.url, ana.token, { follow: false, env: { OPENAI_API_KEY: DESK_MODEL_KEY, OPENAI_BASE_URL: upstream.baseUrl, COPILOT_MODEL: 'desk-model' } });
  await desk.desk.replica.pull();
}, 120_000);

afterEach(() => {
  upstream.requests.length = 0;
});

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await desk?.dispose();
  await team?.stop();
  await upstream?.close();
  kb?.cleanup();
});

async function chat(d: TestDesk, customerId: string, text: string): Promise<UIMessageChunk[]> {
  const chunks = copilotChunks(d.ctx.hub);
  try {
    const { streamId } = await d.call<{ streamId: string }>('copilot.chat', { customerId, messages: [{ role: 'user', text }], tone: 'neutral', length: 'short' });
    return await chunks.collect(streamId);
  } finally {
    chunks.unsubscribe();
  }
}

/** A customer of the replica with an invoice: the draft's facts come from the desk's own cache. */
function customerWithInvoice(d: TestDesk): { customerId: string; invoiceId: string } {
  return d.ctx.db.prepare('SELECT customer_id AS customerId, id AS invoiceId FROM invoices WHERE account_id = ? ORDER BY id LIMIT 1').get(ACCOUNT) as { customerId: string; invoiceId: string };
}

function cacheFilesText(d: TestDesk): string {
  return fs
    .readdirSync(d.dir)
    .filter((f) => f.startsWith('cache.db'))
    .map((f) => fs.readFileSync(path.join(d.dir, f)).toString('latin1'))
    .join('\n');
}

async function usageOf(agentId: string) {
  return (await team.server.pool.query('SELECT endpoint, model, status FROM model_usage WHERE agent_id = $1 ORDER BY id', [agentId])).rows;
}

describe('the copilot on a team desk', () => {
  it("says in Settings › Copilot that it uses the team's model (set by an admin), asks for no key, and keeps only the team's articles", async () => {
    const view = await desk.call<CopilotSettingsView>('copilot.settings.get');
    expect(view).toMatchObject({ team: { server: team.server.url, model: 'team-model' }, configured: true, keySet: false, keyHint: null, envOverrides: [], problem: null, model: 'team-model' });
    // The sample articles a new cache gets are dropped: every desk of the team cites the same ones.
    expect(await desk.call<KbStatus>('kb.status')).toMatchObject({ documents: 1 });
    // Nothing to choose and no key to paste on a team desk: refused in words.
    await expect(desk.call('copilot.settings.set', { provider: 'openai', model: 'gpt-4o-mini' })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/^On a team the copilot uses the team's model and knowledge base, set by an admin on the team server/) });
    await expect(desk.call('copilot.settings.setKey', { key: DESK_MODEL_KEY })).rejects.toMatchObject({ code: 'refused' });
    await expect(desk.call('kb.import', { folder: kb.dir })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/an admin imports articles on the team server/) });
  });

  it("streams a draft from the team's model through the proxy with the team's key, grounded in the replica and the team's article; usage is the agent's; no key on the desk", async () => {
    const { customerId, invoiceId } = customerWithInvoice(desk);
    upstream.setScript(() => ({ text: `An annual plan renewal is refunded within forty-five days [kb:team-refund-window]; your invoice is ${invoiceId} [${invoiceId}].` }));
    const message = 'Can I get a refund for my annual plan renewal?';
    const chunks = await chat(desk, customerId, message);

    expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(3);
    expect(textOf(chunks)).toContain('refunded within forty-five days [kb:team-refund-window]');
    expect(dataOf<{ mode: string; model: string }>(chunks, 'data-understanding')[0]).toMatchObject({ mode: 'model', model: 'team-model (the team\'s model)' });
    expect(dataOf<Array<{ ref: string }>>(chunks, 'data-citations')[0]!.map((c) => c.ref)).toContain('kb:team-refund-window');

    // Through the proxy: only the team server holds the team's key, and the desk's own never left it.
    const sent = upstream.requests.filter((q) => q.api === 'chat');
    expect(sent.length).toBeGreaterThan(0);
    for (const q of sent) {
      expect(q.authorization).toBe(`Bearer ${TEAM_MODEL_KEY}`);
      expect(q.body.model).toBe('team-model');
      expect(q.raw).not.toContain(DESK_MODEL_KEY);
      expect(q.raw).not.toContain(ana.token);
    }
    // Grounded in this desk's replica (the customer's invoice) and in the team's article, as the desk found it.
    expect(sent[0]!.raw).toContain(invoiceId);
    expect(sent[0]!.raw).toContain('forty-five days');
    expect(sent[0]!.raw).toContain('kb:team-refund-window');

    expect(await usageOf(ana.id)).toContainEqual({ endpoint: 'chat/completions', model: 'team-model', status: 200 });

    const answers = JSON.stringify(chunks);
    for (const secret of [TEAM_MODEL_KEY, DESK_MODEL_KEY, ana.token]) {
      expect(answers).not.toContain(secret);
      expect(cacheFilesText(desk)).not.toContain(secret);
      expect(desk.logLines.join('\n')).not.toContain(secret);
    }

    // Other customers of the account never reach the prompt or the draft (amounts aside: dates and
    // timestamps in a prompt match short amounts by chance, as in the injection suite).
    const needles = needlesFor(bystanderNeedles(desk.ctx.db, ACCOUNT, customerId), message).filter((n) => n.kind !== 'amount');
    expect(needles.length).toBeGreaterThan(10);
    expect([...sent.flatMap((q) => leaksIn('prompt', q.raw, needles)), ...leaksIn('draft', textOf(chunks), needles)]).toEqual([]);
  });

  it('answers copilot.analyze through the proxy too (structured output), and a proxy error is said in words, naming the team', async () => {
    const { customerId } = customerWithInvoice(desk);
    upstream.setScript((req) =>
      req.structured
        ? { json: { intent: 'refund_request', entities: { amount: null, currency: null, date: null, invoiceNumber: null, plan: null }, actions: [], draft: 'Annual plan renewals are refunded within forty-five days [kb:team-refund-window].' } }
        : { text: 'unexpected' },
    );
    const answered = await desk.call<CopilotAnalysis>('copilot.analyze', { customerId, message: 'Can I get a refund for my annual plan renewal?' });
    expect(answered).toMatchObject({ mode: 'model', intent: 'refund_request', draft: { text: 'Annual plan renewals are refunded within forty-five days [kb:team-refund-window].' } });
    expect(answered.draft.citations.map((c) => c.ref)).toEqual(['kb:team-refund-window']);
    expect(upstream.requests.find((q) => q.api === 'chat')).toMatchObject({ authorization: `Bearer ${TEAM_MODEL_KEY}`, body: { model: 'team-model' } });

    upstream.setScript(() => ({ status: 500, errorMessage: `upstream exploded for ${TEAM_MODEL_KEY}` }));
    const chunks = await chat(desk, customerId, 'Why was I charged?');
    const error = chunks.find((c) => c.type === 'error') as { errorText: string } | undefined;
    expect(error?.errorText).toBe("The team's model provider failed (HTTP 500). Try again in a moment.");
    const analysis = await desk.call<CopilotAnalysis>('copilot.analyze', { customerId, message: 'Why was I charged?' });
    expect(analysis).toMatchObject({ mode: 'rules', notice: "The team's model provider failed (HTTP 500). Try again in a moment. This answer comes from the rules and templates." });
    expect(JSON.stringify([chunks, analysis])).not.toContain(TEAM_MODEL_KEY);
  });

  it("a refused agent token is said in words: by the proxy itself, and on the desk, which then drafts from templates", async () => {
    const rae = await addAgent(team.server, 'Rae Agent', 'agent');
    const raeDesk = await startTestDesk(team.server.url, rae.token, { follow: false });
    cleanups.push(() => raeDesk.dispose());
    await raeDesk.desk.replica.pull();
    await team.server.agents.revoke(rae.id);

    // The proxy refuses the token: the copilot's words name the agent token, not a model key.
    const config = teamCopilotConfig(new TeamClient({ url: team.server.url, token: rae.token }), { model: 'team-model', problem: null }, 30);
    const err = await generateText({ model: createCopilotModels(config).language, prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => toModelAppError(e, config));
    expect(err).toMatchObject({ code: 'forbidden', message: "The team server refused this desk's agent token (unknown or revoked), so the team's model cannot answer. Ask a team admin for a new token." });

    // The desk learns it before calling the model: the draft comes from templates, with the reason.
    const { customerId } = customerWithInvoice(raeDesk);
    const chunks = await chat(raeDesk, customerId, 'Why was I charged?');
    expect(dataOf<{ text: string }>(chunks, 'data-notice')[0]?.text).toMatch(/^The model is not used: The team server refused this desk's agent token \(unknown or revoked\)/);
    expect(textOf(chunks).length).toBeGreaterThan(20);
    expect(upstream.requests).toHaveLength(0);
    expect(await raeDesk.call<CopilotSettingsView>('copilot.settings.get')).toMatchObject({ configured: false, problem: expect.stringMatching(/refused this desk's agent token/) });
  });

  it("the team's provider out of reach (502) and a team without a model are said in words; the desk then drafts from templates", async () => {
    const { customerId } = customerWithInvoice(desk);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    // An admin's change on the server is read per request, by the proxy and by the desk alike (the
    // provider moved with its key: the key is only sent to the origin it was set for).
    await team.server.pool.query("UPDATE team_settings SET value = value || jsonb_build_object('baseUrl', $1::text, 'keyOrigin', $2::text) WHERE key = 'model_provider'", [`http://127.0.0.1:${port}/v1`, `http://127.0.0.1:${port}`]);
    try {
      const chunks = await chat(desk, customerId, 'Why was I charged?');
      expect((chunks.find((c) => c.type === 'error') as { errorText: string } | undefined)?.errorText).toBe("The team server could not reach the team's model provider (HTTP 502). Try again in a moment.");

      await team.server.pool.query("UPDATE team_settings SET value = jsonb_set(value, '{model}', 'null') WHERE key = 'model_provider'");
      // No model for the proxy to fill in: the desk asks the team server first, and says the team has none.
      const view = await desk.call<CopilotSettingsView>('copilot.settings.get');
      expect(view).toMatchObject({ configured: false, team: { model: null }, problem: 'The team has no model set up yet: a team admin sets OPENAI_API_KEY (and COPILOT_MODEL) on the team server.' });
      const fallback = await chat(desk, customerId, 'Why was I charged?');
      expect(dataOf<{ text: string }>(fallback, 'data-notice')[0]?.text).toMatch(/^The model is not used: The team has no model set up yet/);
      expect(textOf(fallback).length).toBeGreaterThan(20);
    } finally {
      await team.server.pool.query("UPDATE team_settings SET value = jsonb_build_object('baseUrl', $1::text, 'model', 'team-model') WHERE key = 'model_provider'", [upstream.baseUrl.replace(/\/+$/, '')]);
    }
    expect(await desk.call<CopilotSettingsView>('copilot.settings.get')).toMatchObject({ configured: true, team: { model: 'team-model' } });
  });

  it("a changed team article replaces the desk's copy through the feed", async () => {
    fs.writeFileSync(path.join(kb.dir, 'team-refund-window.md'), ARTICLE.replace('forty-five days', 'sixty calendar days'));
    expect((await admin.call('kb.import', { folder: kb.dir })).body).toMatchObject({ ok: true, value: { documents: 1 } });
    await desk.desk.replica.pull();
    const hits = await desk.call<KbHit[]>('kb.search', { query: 'annual plan renewal refund', limit: 3 });
    expect(hits.map((h) => h.ref)).toEqual(['kb:team-refund-window']);
    expect(hits[0]!.snippet).toContain('sixty calendar days');
    expect(hits[0]!.snippet).not.toContain('forty-five');
  });
});
