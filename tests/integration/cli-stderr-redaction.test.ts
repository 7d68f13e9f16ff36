import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from '../helpers/services';

// The CLI's stderr passes the redactor like IPC and the harness. A Stripe-compatible server (a
// proxy, a mock, a misconfigured gateway) that echoes the key back in its error message must not
// get it printed to a terminal or a CI log through the sync engine's raw error.

const ROOT = path.resolve(import.meta.dirname, '../..');
const KEY = 'sk_test_EchoedBackByTheServer0042';
const ACCOUNT = { id: 'acct_1EchoServer000001', object: 'account', created: 1_700_000_000, settings: { dashboard: { display_name: 'Echo Co' } }, charges_enabled: true };

let server: http.Server;
let base = '';
const dir = tempDir('bsc-cli-redact-');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    res.setHeader('content-type', 'application/json');
    res.setHeader('request-id', 'req_echo');
    if (req.url?.startsWith('/v1/account')) {
      res.end(JSON.stringify(ACCOUNT));
      return;
    }
    // Everything else: refused, quoting the credentials it was given.
    res.statusCode = 400;
    res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: `Gateway refused ${req.url} for credentials "${auth}" (key ${auth.replace(/^Bearer /, '')})` } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  dir.cleanup();
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: base, BSC_LOG_LEVEL: 'debug' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('CLI stderr', () => {
  it('a sync error that quotes the key is printed with the key redacted', async () => {
    const run = await cli(['sync', '--db', path.join(dir.dir, 'cli.db')]);
    expect(run.code).toBe(1);
    // The failure is still explained (which request, what the server said), only the key is gone.
    expect(run.stderr).toMatch(/Gateway refused \/v1\//);
    expect(run.stderr).toContain('[redacted]');
    expect(run.stderr).not.toContain(KEY);
    expect(run.stderr).not.toContain(KEY.slice(8));
    expect(run.stdout).not.toContain(KEY);
  }, 120_000);
});
