import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { tempDir } from '../helpers/services';

// The web harness's HTTP layer against what any web page the agent visits (an <img src>, a form)
// or a local process can send: malformed percent-escapes, unparsable targets, wrong Host or
// Origin, missing tokens, odd methods, random headers and bodies, raw garbage. The harness runs
// in its own process (`npm run web`'s entry), so a throw that would kill it is seen as a dead
// process, not hidden by the test runner. Every request generated here is refused in at least
// one way, so every answer must be a 4xx.

const ROOT = path.resolve(import.meta.dirname, '../..');
const RUNS = 10_000;

let child: ChildProcess;
let port = 0;
let exited: { code: number | null; signal: string | null } | null = null;
let stderr = '';
const dir = tempDir('bsc-harness-fuzz-');

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, BSC_DB: path.join(dir.dir, 'harness.db'), HARNESS_PORT: '0', BSC_SYNC_AUTOSTART: '0' };
  delete env.STRIPE_SECRET_KEY;
  delete env.HARNESS_TOKEN;
  child = spawn(process.execPath, ['--import', 'tsx', 'electron/harness/serve.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`the harness exited before listening: ${stderr}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child && !exited) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  dir.cleanup();
});

/** Sends raw bytes on a fresh socket; resolves with the status code of the first response line. */
function rawStatus(bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = '';
    // No half-close: the server answers, then closes (every request says Connection: close).
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    // Written fully but the server closed first (it refused early): still must have answered.
    socket.on('error', (err) => (head ? undefined : reject(err)));
    socket.on('close', () => reject(new Error(`no HTTP answer to ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}: ${JSON.stringify(head.slice(0, 200))}`)));
  });
}

const host = () => `127.0.0.1:${port}`;

const tokenChars = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,20}$/);
/** Path pieces, including broken escapes and the ones that decode to traversal. */
const pathPiece = fc.oneof(
  tokenChars,
  fc.constantFrom('%', '%z', '%zz', '%e9', '%c3', '%ff%fe', '%2e%2e', '..', '%00', '%%', '%2', '%u0041', '%25', '?', '#', '//'),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((s) => s.replace(/[\s]/g, '')),
);
const anyPath = fc.array(pathPiece, { minLength: 0, maxLength: 6 }).map((parts) => '/' + parts.join('/'));
/** Definitely malformed: a percent sign not followed by two hex digits in the path (before any query). */
const pathOnly = fc.array(pathPiece.map((p) => p.replace(/[?#]/g, '')), { maxLength: 6 }).map((parts) => '/' + parts.join('/'));
const malformedPath = fc
  .tuple(pathOnly, fc.constantFrom('%', '%z', '%G0', '%e9', '%c3%28', '%ff'), fc.constantFrom('', '?q=1', '/x.js'))
  .map(([p, bad, tail]) => `${p}${bad}${tail}`);
const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((n) => !/^(host|content-length|transfer-encoding|connection|origin|authorization)$/i.test(n));
const headerValue = fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((v) => v.replace(/[\r\n\0]/g, ''));
const extraHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 });
const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 }));
const anyMethod = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'), fc.stringMatching(/^[A-Z]{1,10}$/));

/** `/api/..` is the static root once normalized: an API request only if it stays under /api/. */
function staysUnderApi(target: string): boolean {
  try {
    return new URL(target, 'http://127.0.0.1').pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

interface Req {
  method: string;
  target: string;
  host: string | null;
  origin?: string;
  authorization?: string;
  headers: Array<[string, string]>;
  body: string;
}

function render(r: Req): Buffer {
  const lines = [`${r.method} ${r.target} HTTP/1.1`];
  if (r.host !== null) lines.push(`Host: ${r.host}`);
  if (r.origin) lines.push(`Origin: ${r.origin}`);
  if (r.authorization) lines.push(`Authorization: ${r.authorization}`);
  for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
  const b = Buffer.from(r.body, 'utf8');
  lines.push(`Content-Length: ${b.length}`, 'Connection: close');
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), b]);
}

/** Each kind is refused for one reason whatever else it carries. */
const hostileRequest: fc.Arbitrary<Buffer> = fc.oneof(
  // A broken percent-escape in a static path (the `<img src="http://127.0.0.1:PORT/%">` crash).
  fc.record({ method: fc.constantFrom('GET', 'HEAD'), target: malformedPath, headers: extraHeaders, body: fc.constant('') }).map((r) => render({ ...r, host: host() })),
  // The API without the token (or a wrong one), any method, any path under /api/, any body.
  fc.record({ method: anyMethod, target: anyPath.map((p) => `/api${p}`).filter(staysUnderApi), headers: extraHeaders, body, authorization: fc.option(fc.string({ maxLength: 60 }).map((t) => `Bearer ${t.replace(/[\r\n\0]/g, '')}`), { nil: undefined }) }).map((r) => render({ ...r, host: host() })),
  // A foreign Host (DNS rebinding) or none, any path.
  fc.record({ method: anyMethod, target: anyPath, headers: extraHeaders, body, host: fc.oneof(fc.constant(null), fc.constantFrom('evil.example', 'localhost', '127.0.0.1', `127.0.0.1:${port + 1}`), headerValue) }).map((r) => render(r)),
  // A cross-site Origin.
  fc.record({ method: anyMethod, target: anyPath, headers: extraHeaders, body, origin: fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1.evil.example') }).map((r) => render({ ...r, host: host() })),
  // A write method on a static path.
  fc.record({ method: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'), target: anyPath.filter((p) => !p.startsWith('/api/')), headers: extraHeaders, body }).map((r) => render({ ...r, host: host() })),
  // An absolute or unparsable request target.
  fc.record({ method: fc.constantFrom('GET', 'POST'), target: fc.constantFrom('http://[', 'http://[::1', 'http://a:b:c/', '*'), headers: extraHeaders, body }).map((r) => render({ ...r, host: host() })),
  // Raw garbage: not HTTP at all, or a request line with spaces and control bytes.
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.concat([Buffer.from([0x01]), Buffer.from(a), Buffer.from('\r\n\r\n')])),
  fc.tuple(anyMethod, fc.string({ unit: 'binary', maxLength: 40 })).map(([m, junk]) => Buffer.from(`${m} /a b\u0007${junk} HTTP/9.9\r\nHost: ${host()}\r\n\r\n`, 'utf8')),
);

describe('web harness HTTP layer', () => {
  it('answers GET /% with 400 and stays up', async () => {
    expect(await rawStatus(Buffer.from(`GET /% HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(await rawStatus(Buffer.from(`GET /index.html%zz HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(exited).toBeNull();
    // Still serving: a refused API call is answered in words.
    expect(await rawStatus(Buffer.from(`POST /api/call/workspace.status HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`))).toBe(401);
  });

  it(`answers ${RUNS.toLocaleString('en-US')} random hostile raw requests with a 4xx each, and the process stays up`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (bytes) => {
        const status = await rawStatus(bytes);
        expect(status, bytes.toString('latin1').slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(status, bytes.toString('latin1').slice(0, 300)).toBeLessThan(500);
        expect(exited, stderr).toBeNull();
      }),
      { numRuns: RUNS, seed: 20261204, endOnFailure: true },
    );
    expect(exited, stderr).toBeNull();
  }, 600_000);
});
