import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from '../../electron/harness/server';
import { testServices, tempDir, type TestServices } from '../helpers/services';

/** Raw request, so tests control the Host and Origin headers a browser would send. */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('web harness transport', () => {
  let services: TestServices;
  let harness: Harness;
  const staticDir = tempDir('bsc-static-');
  beforeAll(async () => {
    fs.writeFileSync(path.join(staticDir.dir, 'index.html'), '<!doctype html><title>app</title>');
    fs.writeFileSync(path.join(staticDir.dir, '..', 'outside-secret.txt'), 'do not serve');
    services = await testServices();
    harness = await startHarness(services, { staticDir: staticDir.dir, maxBodyBytes: 10_000 });
  });
  afterAll(async () => {
    await harness.close();
    await services.dispose();
    fs.rmSync(path.join(staticDir.dir, '..', 'outside-secret.txt'), { force: true });
    staticDir.cleanup();
  });

  const host = () => ({ host: `127.0.0.1:${harness.port}` });
  const auth = () => ({ ...host(), authorization: `Bearer ${harness.token}`, 'content-type': 'application/json' });

  it('listens on loopback with a random token and serves the contract', async () => {
    expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(harness.token).toMatch(/^[0-9a-f]{48}$/);
    const res = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: auth(), body: '{}' });
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'demo' } });
  });

  it('refuses calls without the token or with a wrong one', async () => {
    for (const headers of [host(), { ...host(), authorization: 'Bearer nope' }, { ...host(), authorization: `Bearer ${harness.token}x` }]) {
      const res = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers, body: '{}' });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).error.code).toBe('forbidden');
    }
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-site Origin', async () => {
    const rebind = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: { ...auth(), host: `evil.example:${harness.port}` }, body: '{}' });
    expect(rebind.status).toBe(403);
    const cross = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: { ...auth(), origin: 'https://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
  });

  it('answers malformed bodies, unknown calls and oversize bodies with typed errors', async () => {
    const bad = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: auth(), body: '{not json' });
    expect(JSON.parse(bad.body).error.code).toBe('bad_input');
    const unknown = await request(harness.port, { method: 'POST', path: '/api/call/nope.nothing', headers: auth(), body: '{}' });
    expect(JSON.parse(unknown.body).error.code).toBe('unknown_call');
    const big = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: auth(), body: JSON.stringify({ x: 'a'.repeat(20_000) }) });
    // A real answer from the server (a network error fails the test): 413 with the limit in words.
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('too large') });
    const still = await request(harness.port, { method: 'POST', path: '/api/call/workspace.status', headers: auth(), body: '{}' });
    expect(JSON.parse(still.body).ok).toBe(true);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/..%2foutside-secret.txt']) {
      const res = await request(harness.port, { path: p, headers: host() });
      expect(res.body).not.toContain('do not serve');
    }
  });

  it('pushes stream messages to subscribers as Server-Sent Events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: harness.port, path: `/api/stream?token=${harness.token}`, headers: host() }, (res) => {
        let buf = '';
        res.on('data', (c) => {
          buf += c;
          if (buf.includes('data:')) {
            req.destroy();
            resolve(buf);
          }
        });
        setTimeout(() => services.ctx.hub.emit('data.changed', { accountId: 'demo', kinds: ['notes'] }), 50);
      });
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    });
    expect(received).toContain('"channel":"data.changed"');
  });
});
