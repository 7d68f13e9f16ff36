import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// The team server as an operator runs it: a process that says where it listens, answers
// /healthz, stops cleanly on SIGTERM, and refuses a bad start in words with exit 1.

const ROOT = path.resolve(import.meta.dirname, '../..');
let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

function start(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /team server listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  // A start that is meant to fail never listens: that rejection is for the tests that wait for it.
  listening.catch(() => {});
  return { child, listening, exited, output: () => ({ out, err }) };
}

describe('team server process', () => {
  it.each([
    ['npm run team-server', ['electron/team-server/main.ts']],
    ['billing-console team-server', ['electron/cli/main.ts', 'team-server']],
  ])('%s: prints where it listens, serves /healthz, stops on SIGTERM', async (_name, args) => {
    const p = start(args, { DATABASE_URL: await pgs.newDatabase(), BSC_TEAM_LISTEN: '127.0.0.1:0' });
    const url = await p.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true, accounts: [] });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('refuses to start without DATABASE_URL, or on a public address without --behind-tls-proxy, in words', async () => {
    const noDb = start(['electron/team-server/main.ts'], { BSC_TEAM_LISTEN: '127.0.0.1:0' });
    expect(await noDb.exited).toBe(1);
    expect(noDb.output().err).toMatch(/team server did not start: DATABASE_URL is not set/);
    const open = start(['electron/team-server/main.ts'], { DATABASE_URL: await pgs.newDatabase(), BSC_TEAM_LISTEN: '0.0.0.0:0' });
    expect(await open.exited).toBe(1);
    expect(open.output().err).toMatch(/Refusing to serve plain http on 0\.0\.0\.0/);
  });
});
