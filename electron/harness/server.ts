import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Services } from '../services';
import { RENDERER_CSP } from '../../shared/domain/renderer-csp';
import { agentName } from '../services/workspace/agent-name';

// The web harness: the same handler table as the Electron IPC adapter, served over loopback HTTP
// so the whole app runs in a browser (development, end-to-end tests). Bound to 127.0.0.1 only;
// every API request needs the random token, and the Host/Origin checks stop DNS rebinding and
// cross-site pages from calling it.

export interface HarnessOptions {
  /** Folder with the built renderer (index.html + assets). */
  staticDir: string;
  port?: number;
  token?: string;
  /** Largest request body accepted, bytes. */
  maxBodyBytes?: number;
}

export interface Harness {
  url: string;
  /** The URL to open in a browser: includes the token. */
  appUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The request target as a URL, or null when it is not a path (`*`, `http://[`, …). */
function parseTarget(target: string | undefined): URL | null {
  // Only origin-form ("/path?query"): an absolute URL or "*" is no request a page of ours makes.
  if (!target?.startsWith('/')) return null;
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/** The decoded path, or null for a malformed percent-escape (`/%`, `/%zz`, a lone UTF-8 byte). */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

export async function startHarness(services: Services, options: HarnessOptions): Promise<Harness> {
  const token = options.token ?? crypto.randomBytes(24).toString('hex');
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const staticRoot = path.resolve(options.staticDir);
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const unsubscribe = services.ctx.hub.subscribe((channel, payload) => {
    const frame = `event: message\ndata: ${JSON.stringify({ channel, payload: services.ctx.redactor.value(payload) })}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const server = http.createServer((req, res) => {
    // Whatever a request holds (a malformed percent-escape, an unparsable target), it is answered
    // in words and the process stays up: any web page the agent visits can send one.
    try {
      route(req, res);
    } catch (err) {
      services.ctx.log.warn('harness refused a request it could not handle', { error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'The request could not be read.' } });
      else res.destroy();
    }
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = parseTarget(req.url);
    if (!url) {
      sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'The request path is not a valid address.' } });
      return;
    }
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Unexpected Host header.' } });
      return;
    }
    const origin = req.headers.origin;
    if (origin && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
      sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin requests are refused.' } });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const auth = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? url.searchParams.get('token');
      if (!tokenMatches(auth, token)) {
        sendJson(res, 401, { ok: false, error: { code: 'forbidden', message: 'Missing or wrong harness token.' } });
        return;
      }
      if (url.pathname === '/api/stream' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      const m = /^\/api\/call\/([A-Za-z0-9_.]{1,80})$/.exec(url.pathname);
      if (m && req.method === 'POST') {
        handleCall(m[1]!, req, res);
        return;
      }
      sendJson(res, 404, { ok: false, error: { code: 'unknown_call', message: 'No such endpoint.' } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'Only GET and HEAD are served outside /api/.' } });
      return;
    }
    const pathname = decodePath(url.pathname);
    if (pathname === null) {
      sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: 'The request path has a malformed percent-escape.' } });
      return;
    }
    serveStatic(pathname, res);
  }

  function handleCall(name: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody && !aborted) {
        // Stop buffering and answer at once; the rest of the body is drained and dropped.
        aborted = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        sendJson(res, 413, { ok: false, error: { code: 'bad_input', message: `Request too large (limit ${maxBody} bytes).` } });
        return;
      }
      if (!aborted) chunks.push(chunk);
    });
    req.on('end', () => {
      if (aborted) return;
      let input: unknown;
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        input = text.length ? JSON.parse(text) : {};
      } catch {
        sendJson(res, 200, { ok: false, error: { code: 'bad_input', message: 'The request body is not valid JSON.' } });
        return;
      }
      // The table answers every failure as a result; a rejection here is a bug, and the browser
      // still gets an answer instead of a request that never ends.
      services.table
        .dispatch(name, input, { actor: agentName(services.ctx) })
        .then((result) => sendJson(res, 200, result))
        .catch((err: unknown) => {
          services.ctx.log.error('harness call failed outside the handler table', { call: name, error: err instanceof Error ? err.message : String(err) });
          if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'The call failed; see the log.' } });
        });
    });
    // A client that goes away mid-body is not an error of the harness.
    req.on('error', () => undefined);
  }

  /** `pathname` already decoded. */
  function serveStatic(pathname: string, res: http.ServerResponse): void {
    const rel = pathname === '/' ? '/index.html' : pathname;
    const file = path.resolve(staticRoot, '.' + rel);
    const inside = file.startsWith(staticRoot + path.sep);
    const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(staticRoot, 'index.html');
    if (!fs.existsSync(target)) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('The renderer is not built. Run `npm run build:web` first.');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(target)] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' });
    fs.createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    appUrl: `${base}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
