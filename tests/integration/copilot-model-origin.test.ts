import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CopilotSettingsView } from '../../shared/contract/copilot';
import { createServices, type Services } from '../../electron/services';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';
import { tempDir } from '../helpers/services';

// Issue 10 item 7. The model key is sent as a Bearer token to the configured base URL. It is bound
// to the origin it was saved for: pointing the copilot at another server does not send the key
// there (the agent is asked for it again). Plain http is refused except to this computer, and so
// are user:password@ and query strings. A packaged app ignores OPENAI_* / COPILOT_* in its
// environment.

const KEY = 'sk-proj-OriginBoundKeyA1b2C3d4E5f6G7h8J9k0';
let home: OpenAIServer;
let elsewhere: OpenAIServer;

beforeAll(async () => {
  home = await startOpenAIServer(() => ({ text: 'ok' }));
  elsewhere = await startOpenAIServer(() => ({ text: 'ok' }));
});
afterAll(async () => {
  await home.close();
  await elsewhere.close();
});

let open: Array<{ services: Services; cleanup: () => void }> = [];
afterEach(async () => {
  for (const o of open) {
    await o.services.close();
    o.cleanup();
  }
  open = [];
});

async function services(opts: { env?: NodeJS.ProcessEnv; packaged?: boolean } = {}): Promise<Services> {
  const { dir, cleanup } = tempDir('bsc-model-origin-');
  const s = await createServices({ dbPath: path.join(dir, 'cache.db'), env: opts.env ?? {}, packaged: opts.packaged, skipDemoSeed: true });
  open.push({ services: s, cleanup });
  return s;
}

async function call<T>(s: Services, name: string, input: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return (await s.table.dispatch(name as never, input as never, { actor: 'ana' })) as never;
}
async function value<T>(s: Services, name: string, input: unknown = {}): Promise<T> {
  const r = await call<T>(s, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const origin = (server: OpenAIServer) => new URL(server.baseUrl).origin;
const keySentTo = (server: OpenAIServer) => server.requests.filter((r) => r.authorization === `Bearer ${KEY}`).length;

describe('the model key is bound to the origin it was saved for', () => {
  it('moving the base URL to another server does not send the key there; entering it again does', async () => {
    const s = await services();
    await value(s, 'copilot.settings.set', { provider: 'compatible', baseUrl: home.baseUrl, model: 'm' });
    const saved = await value<CopilotSettingsView>(s, 'copilot.settings.setKey', { key: KEY });
    expect(saved).toMatchObject({ keySet: true, keyOrigin: origin(home), configured: true, problem: null });
    await value(s, 'copilot.settings.test');
    expect(keySentTo(home)).toBe(1);

    const moved = await value<CopilotSettingsView>(s, 'copilot.settings.set', { provider: 'compatible', baseUrl: elsewhere.baseUrl, model: 'm' });
    expect(moved).toMatchObject({ keySet: true, keyOrigin: origin(home), configured: false });
    expect(moved.problem).toBe(
      `The stored key was saved for ${origin(home)}, and the copilot now points at ${origin(elsewhere)}: the key is not sent there. Enter the key again to use it with ${origin(elsewhere)}.`,
    );
    const refused = await call(s, 'copilot.settings.test');
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_configured', message: moved.problem } });
    expect(keySentTo(elsewhere)).toBe(0);
    expect(await value(s, 'copilot.settings.get')).toMatchObject({ configured: false });

    const again = await value<CopilotSettingsView>(s, 'copilot.settings.setKey', { key: KEY });
    expect(again).toMatchObject({ keyOrigin: origin(elsewhere), configured: true, problem: null });
    await value(s, 'copilot.settings.test');
    expect(keySentTo(elsewhere)).toBe(1);
  });

  it('a key stored before origins were recorded is bound to the server the saved settings named', async () => {
    const s = await services();
    await value(s, 'copilot.settings.set', { provider: 'compatible', baseUrl: home.baseUrl, model: 'm' });
    s.ctx.secrets.set('openai_key', KEY); // as an older version stored it: no origin beside it
    expect(await value<CopilotSettingsView>(s, 'copilot.settings.get')).toMatchObject({ keyOrigin: origin(home), configured: true });
    const moved = await value<CopilotSettingsView>(s, 'copilot.settings.set', { provider: 'compatible', baseUrl: elsewhere.baseUrl, model: 'm' });
    expect(moved).toMatchObject({ keyOrigin: origin(home), configured: false });
    const sentBefore = keySentTo(elsewhere);
    await call(s, 'copilot.settings.test');
    expect(keySentTo(elsewhere)).toBe(sentBefore);
  });

  it('switching from OpenAI to a compatible server asks for the key again', async () => {
    const s = await services();
    await value(s, 'copilot.settings.set', { provider: 'openai', baseUrl: null, model: 'gpt-4o-mini' });
    expect(await value<CopilotSettingsView>(s, 'copilot.settings.setKey', { key: KEY })).toMatchObject({ keyOrigin: 'https://api.openai.com', configured: true });
    const moved = await value<CopilotSettingsView>(s, 'copilot.settings.set', { provider: 'compatible', baseUrl: home.baseUrl, model: 'm' });
    expect(moved).toMatchObject({ configured: false, problem: expect.stringMatching(/saved for https:\/\/api\.openai\.com/) });
    const sentBefore = keySentTo(home);
    await call(s, 'copilot.settings.test');
    expect(keySentTo(home)).toBe(sentBefore);
  });
});

describe('base URLs that are refused, in words', () => {
  it.each([
    ['http://models.example.com/v1', /Plain http:\/\/ is only allowed for a server on this computer.*Use https:\/\/models\.example\.com\/v1/],
    ['http://10.0.0.5:11434/v1', /Plain http:\/\//],
    ['https://user:secret@models.example.com/v1', /must not contain a user name or password/],
    ['https://models.example.com/v1?api-key=abc', /must not contain a query string/],
    ['https://models.example.com/v1#x', /must not contain a fragment/],
    ['file:///etc/passwd', /http\(s\) URL/],
  ])('%s', async (baseUrl, words) => {
    const s = await services();
    const r = await call(s, 'copilot.settings.set', { provider: 'compatible', baseUrl, model: 'm' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(words) } });
  });

  it.each(['http://127.0.0.1:11434/v1', 'http://localhost:1234/v1', 'http://[::1]:8000/v1', 'https://models.example.com/v1'])('%s is accepted', async (baseUrl) => {
    const s = await services();
    expect(await value<CopilotSettingsView>(s, 'copilot.settings.set', { provider: 'compatible', baseUrl, model: 'm' })).toMatchObject({ baseUrl, configured: true });
  });

  it('an OPENAI_BASE_URL that is plain http to another computer is not used, and the settings say why', async () => {
    const s = await services({ env: { OPENAI_BASE_URL: 'http://models.example.com/v1', OPENAI_API_KEY: KEY, COPILOT_MODEL: 'm' } });
    const view = await value<CopilotSettingsView>(s, 'copilot.settings.get');
    expect(view).toMatchObject({ configured: false, problem: expect.stringMatching(/^OPENAI_BASE_URL is not used: Plain http:\/\//) });
    expect(await call(s, 'copilot.settings.test')).toMatchObject({ ok: false, error: { code: 'not_configured', message: view.problem } });
  });
});

describe('a packaged app ignores OPENAI_* and COPILOT_* in its environment', () => {
  const env = () => ({ OPENAI_BASE_URL: home.baseUrl, OPENAI_API_KEY: KEY, COPILOT_MODEL: 'from-env' });

  it('the saved settings stand; nothing is sent to the environment\'s server', async () => {
    const s = await services({ env: env(), packaged: true });
    const view = await value<CopilotSettingsView>(s, 'copilot.settings.get');
    expect(view).toMatchObject({ provider: 'none', baseUrl: null, model: 'gpt-4o-mini', keySet: false, configured: false, envOverrides: [] });
    const before = home.requests.length;
    expect(await call(s, 'copilot.settings.test')).toMatchObject({ ok: false, error: { code: 'not_configured' } });
    expect(home.requests.length).toBe(before);
  });

  it('(the same environment from source, for contrast: the CLI and the harness use it)', async () => {
    const s = await services({ env: env() });
    expect(await value<CopilotSettingsView>(s, 'copilot.settings.get')).toMatchObject({ provider: 'compatible', baseUrl: home.baseUrl, model: 'from-env', keySet: true, configured: true, envOverrides: ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'COPILOT_MODEL'] });
  });
});
