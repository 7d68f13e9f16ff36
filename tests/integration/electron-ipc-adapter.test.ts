import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL, IPC_COPY, IPC_STREAM, MAX_COPY_BYTES } from '../../electron/main/ipc-channels';
import { fakeWindow, ipcEvent, type newFakeIpcState } from '../helpers/fake-electron-ipc';
import { testServices, type TestServices } from '../helpers/services';

// The IPC adapter with Electron's ipcMain/clipboard replaced by fakes: the real handler table and
// services behind it, the real sender check in front of it.

const fake = vi.hoisted(() => ({ state: null as unknown as ReturnType<typeof newFakeIpcState> }));
vi.mock('electron', async () => {
  const helpers = await import('../helpers/fake-electron-ipc');
  fake.state = helpers.newFakeIpcState();
  return helpers.fakeElectronModule(fake.state);
});

describe('IPC adapter', () => {
  let services: TestServices;
  let stop: () => void;
  const win = fakeWindow(7);
  const call = (event: unknown, name: unknown, input: unknown) => fake.state.handlers.get(IPC_CALL)!(event, name, input) as Promise<{ ok: boolean; error?: { code: string; message: string }; value?: unknown }>;
  const copy = (event: unknown, text: unknown) => Promise.resolve().then(() => fake.state.handlers.get(IPC_COPY)!(event, text));

  beforeAll(async () => {
    services = await testServices({ demoCustomers: 20 });
    const { serveOverIpc } = await import('../../electron/main/ipc-adapter');
    stop = serveOverIpc(services, () => win.window as never);
  });
  afterAll(async () => {
    stop?.();
    await services?.dispose();
  });

  it('registers exactly the call and copy channels', () => {
    expect([...fake.state.handlers.keys()].sort()).toEqual([IPC_CALL, IPC_COPY].sort());
  });

  it('serves the handler table to the app main frame', async () => {
    expect(await call(ipcEvent({ contentsId: 7 }), 'workspace.status', {})).toMatchObject({ ok: true, value: { mode: 'demo' } });
    expect(await call(ipcEvent({ contentsId: 7 }), 'customers.nope', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    expect(await call(ipcEvent({ contentsId: 7 }), 'workspace.setAgentName', { name: 5 })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it.each([
    ['a subframe', ipcEvent({ contentsId: 7, subframe: true })],
    ['another webContents', ipcEvent({ contentsId: 8 })],
    ['a foreign origin in our window', ipcEvent({ contentsId: 7, url: 'https://evil.example/index.html' })],
    ['a destroyed frame', ipcEvent({ contentsId: 7, noFrame: true })],
  ])('refuses %s with a typed forbidden error and runs nothing', async (_label, event) => {
    const before = services.ctx.settings.get('agent_name', 'agent');
    const res = await call(event, 'workspace.setAgentName', { name: 'Mallory' });
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(services.ctx.settings.get('agent_name', 'agent')).toBe(before);
  });

  it('logs refusals (so an attack is visible) without the payload', async () => {
    await call(ipcEvent({ contentsId: 7, url: 'https://evil.example/x' }), 'workspace.setStripeKey', { key: 'sk_test_abcdefghijklmnopqrstuvwx' });
    const line = services.logLines.find((l) => l.includes('untrusted frame') && l.includes('evil.example'));
    expect(line).toBeDefined();
    expect(line).not.toContain('abcdefghijklmnop');
  });

  it('copies text from the main frame only, up to 100 KB', async () => {
    await copy(ipcEvent({ contentsId: 7 }), 'cus_ABC123');
    expect(fake.state.clipboard).toEqual(['cus_ABC123']);
    await expect(copy(ipcEvent({ contentsId: 7 }), 'x'.repeat(MAX_COPY_BYTES + 1))).rejects.toThrow(/100 KB/);
    await expect(copy(ipcEvent({ contentsId: 7 }), { text: 'x' })).rejects.toThrow(/100 KB/);
    await expect(copy(ipcEvent({ contentsId: 7, subframe: true }), 'stolen')).rejects.toThrow(/refused/);
    expect(fake.state.clipboard).toEqual(['cus_ABC123']);
  });

  it('a clipboard that refuses the write is an error for the renderer, not a silent success', async () => {
    fake.state.clipboardRefuses = 'The clipboard is in use by another application.';
    try {
      await expect(copy(ipcEvent({ contentsId: 7 }), 'cus_REFUSED')).rejects.toThrow(/in use by another application/);
    } finally {
      fake.state.clipboardRefuses = null;
    }
    expect(fake.state.clipboard).not.toContain('cus_REFUSED');
  });

  it('pushes stream messages to the window, redacted', () => {
    win.sent.length = 0;
    const key = 'sk_live_' + 'Q'.repeat(30);
    services.ctx.hub.emit('sync.progress', { accountId: 'acct_1', phase: 'error', objects: 0, pages: 0, requestsPerSecond: 0, etaSeconds: null, message: `Stripe refused ${key}` });
    expect(win.sent).toHaveLength(1);
    const [channel, name, payload] = win.sent[0]!;
    expect(channel).toBe(IPC_STREAM);
    expect(name).toBe('sync.progress');
    expect(JSON.stringify(payload)).not.toContain(key);
    expect((payload as { message: string }).message).toContain('[redacted]');
  });

  it('stops pushing to a closed window, and unregisters on stop', () => {
    win.sent.length = 0;
    win.destroy();
    services.ctx.hub.emit('data.changed', { accountId: 'demo', kinds: ['notes'] });
    expect(win.sent).toEqual([]);
    stop();
    expect(fake.state.handlers.size).toBe(0);
  });
});
