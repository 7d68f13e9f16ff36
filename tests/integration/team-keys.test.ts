import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import type { CopilotSettingsView } from '../../shared/contract/copilot';
import type { AccountSummary, KeyCheck } from '../../shared/contract/workspace';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { startTestDesk, until } from '../helpers/team-desk';
import { addAgent, jsonOf, startTestTeamServer, type TestAgent } from '../helpers/team-server';

// The team's keys (admins), over real PostgreSQL and the loopback Stripe server: a Stripe key is
// checked with Stripe, stored sealed, its account added and synced, and cleared again; the model
// key likewise, bound to the origin it was saved for. No key is in any answer, audit row, feed
// entry, log line or error.

const STRIPE_KEY = 'sk_test_teamAdminKey0000000000001';
const REFUSED_KEY = 'sk_test_teamRefusedKey00000000002';
const MODEL_KEY = 'sk-team-model-key-0000000000000042';
let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let ana: TestAgent;
let ada: TestAgent;
const logLines: string[] = [];
const ACCOUNT = 'acct_1TeamKeys00000001';
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: ACCOUNT, apiKeys: [STRIPE_KEY] });
  stripeServer.store.createCustomer({ name: 'Synced Sam', email: 'sam@example.com' });
  const redactor = new Redactor();
  server = await startTestTeamServer(await pgs.newDatabase(), {
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'team-secret-for-keys-test', STRIPE_API_BASE: stripeServer.url, BSC_TEAM_POLL_INTERVAL_MS: '500' },
    // The accounts are the ones the server holds keys for (its sync's health), not a fixed list.
    health: undefined,
    redactor,
    log: createLogger(redactor, (l) => logLines.push(l), 'debug'),
  });
  ana = await addAgent(server, 'Ana', 'agent');
  ada = await addAgent(server, 'Ada', 'admin');
});
afterAll(async () => {
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

/** Everything the server says or keeps in the clear: no key may be in any of it. */
async function everythingSaid(extra: string[]): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await server.pool.query(sql)).rows);
  const feed = JSON.stringify(await jsonOf(await ada.get('/v1/feed?after=0&limit=1000')));
  return [...extra, feed, logLines.join('\n'), await q('SELECT * FROM audit_log'), await q('SELECT * FROM team_call_replies'), await q('SELECT key, value FROM team_settings'), await q('SELECT id, name, api_base FROM stripe_accounts')].join('\n');
}

describe('team server: Stripe keys', () => {
  const said: string[] = [];
  it('refuses agents and bad keys in words, storing nothing', async () => {
    const byAgent = await ana.call('workspace.setStripeKey', { key: STRIPE_KEY });
    expect(byAgent.status).toBe(403);
    expect(!byAgent.body.ok && byAgent.body.error.message).toBe('Refused: changing the Stripe account or key needs an admin (or higher); you are an agent.');
    const publishable = await ada.call('workspace.setStripeKey', { key: 'pk_test_abcdefghijklmnop' });
    expect(publishable.status).toBe(400);
    expect(!publishable.body.ok && publishable.body.error.message).toMatch(/^That is a publishable key/);
    const refused = await ada.call('workspace.setStripeKey', { key: REFUSED_KEY });
    expect(refused.body.ok).toBe(false);
    said.push(JSON.stringify(byAgent.body), JSON.stringify(refused.body));
    expect((await server.pool.query('SELECT count(*)::int AS n FROM stripe_accounts')).rows[0].n).toBe(0);
  });

  it("an admin's key is checked with Stripe, sealed, and its account synced; the key is in nothing the server says or keeps in the clear", async () => {
    const r = await ada.call<{ check: KeyCheck; account: AccountSummary }>('workspace.setStripeKey', { key: STRIPE_KEY });
    expect(r.body).toEqual({ ok: true, value: { check: { kind: 'secret', livemode: false, hint: STRIPE_KEY.slice(-4) }, account: { id: ACCOUNT, stripeAccountId: ACCOUNT, name: expect.any(String), livemode: false, isDemo: false } } });
    said.push(JSON.stringify(r.body));
    const health = await jsonOf(await fetch(`${server.url}/healthz`));
    expect(health.accounts.map((a: { id: string }) => a.id)).toEqual([ACCOUNT]);
    const sealed = (await server.pool.query('SELECT secret_key_ciphertext AS c FROM stripe_accounts WHERE id = $1', [ACCOUNT])).rows[0].c as string;
    expect(sealed).toBeTruthy();
    expect(sealed.includes(STRIPE_KEY)).toBe(false);
    // The sync starts: the account's customer reaches the feed.
    await until('the backfill to mirror the customer', async () => JSON.stringify(await jsonOf(await ada.get('/v1/feed?after=0&limit=1000'))).includes('Synced Sam'));
    const audit = (await server.pool.query("SELECT actor, params, result FROM audit_log WHERE action = 'stripe_key.set'")).rows;
    expect(audit).toEqual([{ actor: 'Ada', params: { kind: 'secret', livemode: false, hint: STRIPE_KEY.slice(-4) }, result: 'ok' }]);
    const all = await everythingSaid(said);
    expect(all.includes(STRIPE_KEY)).toBe(false);
    expect(all.includes(REFUSED_KEY)).toBe(false);
  });

  it('sync now: an admin asks the leading instance for a poll; a full resync and an agent are refused in words', async () => {
    await until('this instance to lead the sync', async () => (await jsonOf(await fetch(`${server.url}/healthz`))).accounts[0]?.leader === true);
    expect((await ada.call('sync.start', {})).body).toEqual({ ok: true, value: { started: true } });
    const full = await ada.call('sync.start', { full: true });
    expect(full.status).toBe(400);
    expect(!full.body.ok && full.body.error.message).toMatch(/^A full resync is not run from a desk on a team/);
    expect((await ana.call('sync.start', {})).status).toBe(403);
  });

  it('clearing the key stops Stripe writes in words; the mirror stays', async () => {
    const cleared = await ada.call('workspace.clearStripeKey', { accountId: ACCOUNT });
    expect(cleared.body).toEqual({ ok: true, value: { mode: 'demo' } });
    const link = await ada.call('portal.createLink', { customerId: stripeServer.store.collection('customer').all()[0].id, flow: 'home', returnUrl: 'https://example.com/back' });
    expect(link.status).toBe(503);
    expect(!link.body.ok && link.body.error.message).toMatch(/no Stripe key/);
    const again = await ada.call('workspace.clearStripeKey', { accountId: ACCOUNT });
    expect(again.status).toBe(404);
    const snapshot = await (await ada.get('/v1/snapshot')).text();
    expect(snapshot).toContain('Synced Sam');
    expect(snapshot).not.toContain(STRIPE_KEY);
  });
});

describe('team server: model settings', () => {
  it("an admin points the team at a model and sets its key; the proxy uses them; the view and the audit show only the hint; another origin does not get the key", async () => {
    expect((await ana.call('copilot.settings.setKey', { key: MODEL_KEY })).status).toBe(403);
    const set = await ada.call<CopilotSettingsView>('copilot.settings.set', { provider: 'compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'team-model' });
    expect(set.body).toMatchObject({ ok: true, value: { provider: 'compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'team-model', keySet: false, configured: false } });
    const keyed = await ada.call<CopilotSettingsView>('copilot.settings.setKey', { key: MODEL_KEY });
    expect(keyed.body).toMatchObject({ ok: true, value: { keySet: true, keyHint: MODEL_KEY.slice(-4), keyOrigin: 'http://127.0.0.1:9', configured: true, problem: null } });
    expect(await server.modelSettings.get()).toEqual({ baseUrl: 'http://127.0.0.1:9/v1', model: 'team-model', key: MODEL_KEY });
    // Pointing the team elsewhere keeps the key but never sends it there.
    const moved = await ada.call<CopilotSettingsView>('copilot.settings.set', { provider: 'compatible', baseUrl: 'https://llm.example.com/v1', model: 'team-model' });
    expect(moved.body).toMatchObject({ ok: true, value: { keySet: true, configured: false, problem: expect.stringMatching(/^The stored key was saved for http:\/\/127\.0\.0\.1:9/) } });
    expect(await server.modelSettings.get()).toBeNull();
    const cleared = await ada.call<CopilotSettingsView>('copilot.settings.clearKey', {});
    expect(cleared.body).toMatchObject({ ok: true, value: { keySet: false, keyHint: null } });
    const all = await everythingSaid([JSON.stringify([set.body, keyed.body, moved.body, cleared.body])]);
    expect(all.includes(MODEL_KEY)).toBe(false);
    expect(all).toContain('copilot.settings.setKey');
  });

  it("a team desk forwards an admin's Stripe key to the server and keeps it nowhere; a model key pasted there is refused in words", async () => {
    const desk = await startTestDesk(server.url, ada.token, { follow: false });
    try {
      await expect(desk.call('copilot.settings.setKey', { key: MODEL_KEY })).rejects.toThrow('On a team the model key lives on the team server (an admin sets it there); this desk keeps none.');
      // Forwarded: Stripe refuses this key on the server, which says so in words without the key.
      const before = stripeServer.requests.length;
      await expect(desk.call('workspace.setStripeKey', { key: REFUSED_KEY })).rejects.toThrow();
      expect(stripeServer.requests.length).toBeGreaterThan(before);
      expect(desk.logLines.join('\n').includes(MODEL_KEY)).toBe(false);
      expect(desk.logLines.join('\n').includes(REFUSED_KEY)).toBe(false);
      expect(desk.ctx.secrets.get('openai_key')).toBeFalsy();
      expect(desk.ctx.secrets.get('stripe_key', ACCOUNT)).toBeFalsy();
    } finally {
      await desk.dispose();
    }
  });
});
