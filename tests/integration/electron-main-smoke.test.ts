import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/services';

// The built main bundle (dist/electron/main.cjs, built here into a temp dir) run under plain Node
// with a recording stand-in for the `electron` module (tests/helpers/electron-stub). The Electron
// binary cannot be downloaded on this machine; this proves the wiring of main.ts instead: the
// window's web preferences, the app:// protocol, the permission and navigation guards, the IPC
// adapter in front of the real services, the menu, start-up failures shown as dialogs, and a clean
// quit. Electron itself is exercised on a user's machine by `npm start`.

const root = path.resolve(import.meta.dirname, '../..');
const stubRegister = path.join(root, 'tests/helpers/electron-stub/register.cjs');
const nodeBinding = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
const ENTRY = 'app://bundle/index.html';

interface Reply {
  id: number;
  [key: string]: unknown;
}

/** What tests/helpers/electron-stub/stub.cjs recorded of main's calls into Electron (its `recorded`). */
interface StubRecording {
  singleInstanceLock: number;
  sandboxEnabled: boolean;
  privilegedSchemes: unknown[];
  protocols: string[];
  permissionHandlers: string[];
  menu: { label: string; roles: string[] }[] | null;
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: string | null }[];
  errorBoxes: { title: string; content: string }[];
  messageBoxes: { type?: string; title?: string; detail: string }[];
  opened: string[];
  clipboard: string[];
  sent: unknown[][];
  ipcChannels: string[];
}

class StubbedMain {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (msg: Reply) => this.waiting.get(msg.id)?.resolve(msg));
    child.stdout?.on('data', (d) => this.output.push(String(d)));
    child.stderr?.on('data', (d) => this.output.push(String(d)));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        for (const w of this.waiting.values()) w.reject(new Error(`main exited (${code}) before answering:\n${this.output.join('')}`));
        resolve(code);
      }),
    );
  }

  send<T extends Reply>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: Reply) => void, reject });
      this.child.send({ id, cmd, ...args });
    });
  }

  async state(): Promise<StubRecording> {
    return (await this.send<Reply & { state: StubRecording }>('state')).state;
  }

  /** Waits until main has finished starting (its IPC handlers exist). */
  async ready(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      const s = await this.state();
      if (s.ipcChannels.length >= 2 && s.windows.length === 1) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`main did not start:\n${this.output.join('')}`);
  }

  call(name: string, input: unknown, frame: { url?: string; subframe?: boolean; contentsId?: number } = {}) {
    return this.send<Reply & { value?: unknown; thrown?: string }>('invoke', { channel: 'bsc:call', args: [name, input], frameUrl: frame.url ?? ENTRY, subframe: frame.subframe ?? false, contentsId: frame.contentsId ?? 1 });
  }
}

/** The error dialog the run showed (the stub prints it, since the process exits right after). */
function errorBox(run: StubbedMain): { title: string; content: string } {
  const line = run.output.join('').split('\n').find((l) => l.startsWith('ERRORBOX '));
  if (!line) throw new Error(`no error dialog was shown:\n${run.output.join('')}`);
  return JSON.parse(line.slice('ERRORBOX '.length));
}

describe('the built main process under a stubbed electron', () => {
  const work = tempDir('bsc-main-smoke-');
  const appPath = path.join(work.dir, 'app');
  const resources = path.join(work.dir, 'resources');
  let main: StubbedMain;
  let userData: string;

  function launch(opts: { userData: string; packaged?: boolean; resourcesPath?: string; secondInstance?: boolean }): StubbedMain {
    const child = fork(path.join(appPath, 'dist/electron/main.cjs'), [], {
      execArgv: ['--require', stubRegister],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        HOME: work.dir,
        // The bundle is built outside the project: let it find the external packages.
        NODE_PATH: path.join(root, 'node_modules'),
        STUB_USER_DATA: opts.userData,
        STUB_APP_PATH: appPath,
        STUB_RESOURCES_PATH: opts.resourcesPath ?? resources,
        STUB_PACKAGED: opts.packaged === false ? '0' : '1',
        STUB_SECOND_INSTANCE: opts.secondInstance ? '1' : '0',
        // Nothing may leave the machine: a model provider that refuses connections at once.
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      },
    });
    return new StubbedMain(child);
  }

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--electron', '--outdir', path.join(appPath, 'dist')], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
    fs.mkdirSync(path.join(appPath, 'dist/renderer'), { recursive: true });
    fs.writeFileSync(path.join(appPath, 'dist/renderer/index.html'), '<!doctype html><title>stub renderer</title>');
    // "Packaged": the engine is loaded from resources/native, as after-pack.cjs lays it out. Under
    // Node the Node build stands in for the Electron one.
    fs.mkdirSync(path.join(resources, 'native'), { recursive: true });
    fs.copyFileSync(nodeBinding, path.join(resources, 'native/better_sqlite3.node'));
    userData = path.join(work.dir, 'user-data');
    main = launch({ userData });
    await main.ready();
  }, 180_000);

  afterAll(async () => {
    if (main && main.child.exitCode === null) main.child.kill();
    work.cleanup();
  });

  it('creates one sandboxed, isolated window on the app:// origin with the preload, no devtools when packaged', async () => {
    const s = await main.state();
    expect(s.singleInstanceLock).toBe(1);
    expect(s.sandboxEnabled).toBe(true);
    expect(s.windows).toHaveLength(1);
    const prefs = s.windows[0].options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false, disableBlinkFeatures: 'Auxclick' });
    expect(prefs.preload).toBe(path.join(appPath, 'dist/preload/preload.cjs'));
    expect(s.windows[0].loaded).toBe(ENTRY);
    expect(s.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(s.protocols).toEqual(['app']);
    expect(s.ipcChannels.sort()).toEqual(['bsc:call', 'bsc:copy']);
  });

  it('the sandboxed preload bundle requires nothing but electron', () => {
    const preload = fs.readFileSync(path.join(appPath, 'dist/preload/preload.cjs'), 'utf8');
    expect([...new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))]).toEqual(['electron']);
  });

  it('sets a menu with the edit shortcuts and without devtools', async () => {
    const s = await main.state();
    const roles = (s.menu ?? []).flatMap((m) => m.roles);
    for (const role of ['copy', 'paste', 'cut', 'undo', 'selectAll']) expect(roles).toContain(role);
    expect(roles).not.toContain('toggleDevTools');
  });

  it('serves the real services over IPC to the main frame only', async () => {
    expect((await main.call('workspace.status', {})).value).toMatchObject({ ok: true, value: { mode: 'demo', appVersion: '0.1.0-stub' } });
    expect((await main.call('workspace.status', {}, { subframe: true })).value).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await main.call('workspace.status', {}, { url: 'https://evil.example/' })).value).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await main.call('workspace.status', {}, { contentsId: 2 })).value).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await main.call('no.such.call', {})).value).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
  });

  it('pushes stream messages to the window', async () => {
    await main.call('workspace.switchAccount', { accountId: 'demo' });
    const s = await main.state();
    expect(s.sent.some((args) => args[0] === 'bsc:stream' && args[1] === 'data.changed')).toBe(true);
  });

  it('copies to the clipboard through the main side', async () => {
    const ok = await main.send<Reply & { thrown?: string }>('invoke', { channel: 'bsc:copy', args: ['cus_123'], frameUrl: ENTRY });
    expect(ok.thrown).toBeUndefined();
    const refused = await main.send<Reply & { thrown?: string }>('invoke', { channel: 'bsc:copy', args: [{ x: 1 }], frameUrl: ENTRY });
    expect(refused.thrown).toMatch(/100 KB/);
    expect((await main.state()).clipboard).toEqual(['cus_123']);
  });

  it('serves dist/renderer on app://bundle with the CSP, and nothing outside it', async () => {
    const page = await main.send<Reply & { status: number; type: string; csp: string; body: string }>('protocol', { url: ENTRY });
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/text\/html/);
    expect(page.csp).toContain("script-src 'self'");
    expect(page.body).toContain('stub renderer');
    for (const url of ['app://bundle/../../resources/native/better_sqlite3.node', 'app://bundle/..%2F..%2Fresources%2Fnative%2Fbetter_sqlite3.node', 'app://other/index.html', 'app://bundle/missing.js']) {
      expect((await main.send<Reply & { status: number }>('protocol', { url })).status).toBe(404);
    }
  });

  it('refuses navigation, new windows and permissions; http(s) goes to the system browser', async () => {
    expect((await main.send<Reply & { prevented: boolean }>('navigate', { event: 'will-navigate', url: 'https://evil.example/phish' })).prevented).toBe(true);
    expect((await main.send<Reply & { prevented: boolean }>('navigate', { event: 'will-navigate', url: 'file:///etc/passwd' })).prevented).toBe(true);
    expect((await main.send<Reply & { prevented: boolean }>('navigate', { event: 'will-navigate', url: ENTRY })).prevented).toBe(false);
    expect((await main.send<Reply & { value: unknown }>('windowOpen', { url: 'https://stripe.com/docs' })).value).toEqual({ action: 'deny' });
    expect((await main.send<Reply & { value: unknown }>('windowOpen', { url: 'javascript:alert(1)' })).value).toEqual({ action: 'deny' });
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      expect(await main.send('permission', { permission })).toMatchObject({ granted: false, check: false });
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await main.state()).opened).toEqual(['https://evil.example/phish', 'https://stripe.com/docs']);
    expect((await main.call('app.openExternal', { url: 'https://example.com/x' })).value).toEqual({ ok: true, value: { opened: true } });
    expect((await main.call('app.openExternal', { url: 'smb://attacker/share' })).value).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('quits cleanly: the cache is closed and stays in userData', async () => {
    await main.send('quit');
    expect(await main.exited).toBe(0);
    expect(fs.existsSync(path.join(userData, 'cache.db'))).toBe(true);
    expect(fs.existsSync(path.join(userData, 'logs/main.log'))).toBe(true);
  });

  it('a second instance leaves at once without opening the cache', async () => {
    const second = launch({ userData: path.join(work.dir, 'second'), secondInstance: true });
    expect(await second.exited).toBe(0);
    expect(fs.existsSync(path.join(work.dir, 'second', 'cache.db'))).toBe(false);
  });

  it('a cache from a newer version: a dialog in words, the file untouched, exit 1', async () => {
    const dir = path.join(work.dir, 'newer');
    fs.mkdirSync(dir, { recursive: true });
    const db = new Database(path.join(dir, 'cache.db'));
    db.pragma('user_version = 999');
    db.close();
    const before = fs.readFileSync(path.join(dir, 'cache.db'));
    const run = launch({ userData: dir });
    expect(await run.exited).toBe(1);
    const box = errorBox(run);
    expect(box.title).toBe('Cache from a newer version');
    expect(box.content).toMatch(/schema 999/);
    expect(box.content).toMatch(/left untouched/);
    expect(fs.readFileSync(path.join(dir, 'cache.db')).equals(before)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'logs/main.log'), 'utf8')).toMatch(/newer version/);
  });

  it('an unreadable cache: moved aside (not deleted), a fresh one built, the user told in words', async () => {
    const dir = path.join(work.dir, 'corrupt');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cache.db'), 'this is not a database '.repeat(200));
    const run = launch({ userData: dir });
    await run.ready();
    for (let i = 0; i < 100 && (await run.state()).messageBoxes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const [box] = (await run.state()).messageBoxes;
    expect(box).toMatchObject({ type: 'warning', title: 'Cache rebuilt' });
    expect(box.detail).toMatch(/not deleted/);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('cache.db.corrupt-'));
    expect(aside.length).toBeGreaterThan(0);
    expect(box.detail).toContain(aside.find((f) => !f.endsWith('-wal') && !f.endsWith('-shm')));
    expect((await run.call('workspace.status', {})).value).toMatchObject({ ok: true });
    await run.send('quit');
    expect(await run.exited).toBe(0);
  });

  it('a missing database engine: a dialog pointing to npm start, exit 1', async () => {
    const run = launch({ userData: path.join(work.dir, 'no-engine'), resourcesPath: path.join(work.dir, 'nowhere') });
    expect(await run.exited).toBe(1);
    expect(errorBox(run).content).toMatch(/npm start[\s\S]*nowhere/);
    expect(fs.existsSync(path.join(work.dir, 'no-engine', 'cache.db'))).toBe(false);
  });
});
