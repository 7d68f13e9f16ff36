import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerClock } from './clock';
import { StripeApiError, type StripeErrorBody } from './errors';
import { applyExpansions, expandPaths } from './expand';
import { FaultController, type ActiveFault, type FaultRule } from './faults';
import { FormError, parseForm, type FormObject } from './form';
import { requestId } from './ids';
import { checkPermission } from './permissions';
import { seededRandom } from '../helpers/seeded-random';
import { Router, type RouteModule } from './router';
import { ROUTE_MODULES } from './routes';
import { API_VERSION } from './shapes';
import { StripeStore } from './store';

export { StripeStore } from './store';
export { StripeApiError } from './errors';
export type { FaultRule, FaultKind } from './faults';
export type { RouteModule, Route, RouteRequest } from './router';
export { API_VERSION } from './shapes';

/** One line of the request log: what the server saw and answered (status 0: never answered). */
export interface RequestLogEntry {
  /** Arrival time, ms since the epoch (wall clock, not the simulated server clock). */
  t: number;
  method: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  injected: FaultRule['kind'] | null;
  idempotentReplay: boolean;
  stripeVersion: string | null;
}

export interface StripeServerOptions {
  port?: number;
  host?: string;
  /** Reuse a store (e.g. to "restart" the server after simulating an outage). */
  store?: StripeStore;
  clock?: ServerClock;
  accountId?: string;
  accountName?: string;
  /** Only these API keys are accepted (default: any sk_test_/sk_live_/rk_ key). */
  apiKeys?: string[];
  /** Seed of the fault-injection draws. */
  faultSeed?: number;
  /** Extra route modules (tests may add endpoints without touching routes/index.ts). */
  extraRoutes?: RouteModule[];
  /**
   * Every answer takes about this long, like the real API seen from a desk: `ms` (the mean) and
   * `jitter` (the spread as a share of it, uniform: 0.3 = 300 ms +-30%). Half of the delay passes
   * before the request is handled, half after, as on a network. Seeded by `faultSeed`.
   */
  latency?: { ms: number; jitter?: number };
  /** Restricted keys: key -> permissions it lacks (`rak_product_read`); such requests get Stripe's 403. */
  restrictedKeys?: Record<string, string[]>;
}

export interface StripeServer {
  url: string;
  port: number;
  store: StripeStore;
  /** Alias of store (the brief's `state`). */
  state: StripeStore;
  clock: ServerClock;
  requests: RequestLogEntry[];
  inject(rule: FaultRule): ActiveFault;
  clearFaults(): void;
  /** Changes the latency of answers from now on (see StripeServerOptions.latency). */
  setLatency(latency: { ms: number; jitter?: number } | null): void;
  close(): Promise<void>;
}

interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

const KEY_SHAPE = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

function errorJson(body: StripeErrorBody): string {
  return JSON.stringify({ error: { request_log_url: undefined, ...body } });
}

export async function startStripeServer(opts: StripeServerOptions = {}): Promise<StripeServer> {
  const clock = opts.clock ?? opts.store?.clock ?? new ServerClock();
  const store = opts.store ?? new StripeStore({ clock, accountId: opts.accountId, accountName: opts.accountName });
  const router = new Router([...ROUTE_MODULES, ...(opts.extraRoutes ?? [])]);
  const faults = new FaultController(opts.faultSeed ?? 1);
  const requests: RequestLogEntry[] = [];
  const idempotency = new Map<string, StoredResponse>();
  const pending = new Set<NodeJS.Timeout>();
  let latencyMs = 0;
  let jitter = 0;
  const setLatency = (l: { ms: number; jitter?: number } | null | undefined) => {
    const ms = l?.ms ?? 0;
    const j = l?.jitter ?? 0;
    if (!(ms >= 0) || !(j >= 0 && j <= 1)) throw new Error(`latency: ms must be >= 0 and jitter within 0..1, got ${JSON.stringify(l)}`);
    latencyMs = ms;
    jitter = j;
  };
  setLatency(opts.latency);
  const latencyRandom = seededRandom((opts.faultSeed ?? 1) + 7_919);
  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      pending.delete(t);
      fn();
    }, ms);
    pending.add(t);
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = {
      t: started,
      method,
      path: url.pathname,
      query: url.search,
      status: 0,
      durationMs: 0,
      injected: null,
      idempotentReplay: false,
      stripeVersion: (req.headers['stripe-version'] as string | undefined) ?? null,
    };
    requests.push(entry);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const reqId = requestId();
      const delay = latencyMs > 0 ? latencyMs * (1 + jitter * (2 * latencyRandom() - 1)) : 0;
      const send = (status: number, body: string, headers: Record<string, string> = {}) => later(delay / 2, () => sendNow(status, body, headers));
      const sendNow = (status: number, body: string, headers: Record<string, string>) => {
        if (res.writableEnded || res.destroyed) return;
        entry.status = status;
        entry.durationMs = Date.now() - started;
        res.writeHead(status, {
          'Content-Type': 'application/json',
          'Request-Id': reqId,
          'Stripe-Version': entry.stripeVersion ?? API_VERSION,
          // The simulated clock: clients may read "now" from it, as from Stripe's Date header.
          Date: new Date(clock.nowMs()).toUTCString(),
          ...headers,
        });
        res.end(body);
      };
      const handle = () => {
        // Authentication first, as Stripe does.
        const auth = req.headers.authorization ?? '';
        const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
        if (!key || !KEY_SHAPE.test(key) || (opts.apiKeys && !opts.apiKeys.includes(key))) {
          return send(401, errorJson({ type: 'invalid_request_error', message: key ? `Invalid API Key provided: ${key.slice(0, 8)}****` : 'You did not provide an API key.' }));
        }
        try {
          checkPermission(key, opts.restrictedKeys?.[key], store.accountObject.id as string, method, url.pathname);
        } catch (err) {
          const e = err as StripeApiError;
          return send(e.status, errorJson(e.body));
        }
        const matched = router.match(method, url.pathname);
        if (!matched) {
          return send(404, errorJson({ type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` }));
        }
        const idemKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
        const fingerprint = `${method} ${url.pathname} ${method === 'GET' ? url.search : rawBody}`;
        const idemSlot = idemKey && method === 'POST' ? `${key}:${idemKey}` : null;
        if (idemSlot) {
          const prior = idempotency.get(idemSlot);
          if (prior) {
            if (prior.fingerprint !== fingerprint) {
              return send(400, errorJson({ type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.` }));
            }
            entry.idempotentReplay = true;
            return send(prior.status, prior.body, { 'Idempotent-Replayed': 'true', 'Idempotency-Key': idemKey! });
          }
        }
        let status = 200;
        let body: string;
        let extraHeaders: Record<string, string> = {};
        try {
          const params: FormObject = method === 'POST' ? { ...parseForm(url.search.slice(1)), ...parseForm(rawBody) } : parseForm(url.search.slice(1));
          const expand = expandPaths(params.expand);
          delete params.expand;
          store.request = { id: reqId, idempotencyKey: idemKey };
          const result = matched.route.handle({ store, method, path: url.pathname, pathParams: matched.pathParams, params, faults, idempotencyKey: idemKey });
          body = JSON.stringify(applyExpansions(store, result, expand));
        } catch (err) {
          if (err instanceof StripeApiError) {
            status = err.status;
            body = errorJson(err.body);
            extraHeaders = err.headers;
          } else if (err instanceof FormError) {
            status = 400;
            body = errorJson({ type: 'invalid_request_error', message: err.message });
          } else {
            status = 500;
            body = errorJson({ type: 'api_error', message: `The test server failed: ${err instanceof Error ? err.message : String(err)}` });
            process.stderr.write(`stripe-server: ${method} ${url.pathname} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
          }
        } finally {
          store.request = { id: null, idempotencyKey: null };
        }
        // Stripe replays 2xx and 4xx results for the same key; 5xx are not saved.
        if (idemSlot && status < 500) idempotency.set(idemSlot, { fingerprint, status, body });
        send(status, body, { ...extraHeaders, ...(idemKey ? { 'Idempotency-Key': idemKey } : {}) });
      };

      const fault = faults.takeTransportFault(method, url.pathname);
      if (!fault) return later(delay / 2, handle);
      entry.injected = fault.kind;
      switch (fault.kind) {
        case '429':
          return send(429, errorJson({ type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.' }));
        case 'lock_timeout':
          // Another request holds the object; Stripe says the request may be tried again.
          return send(429, errorJson({ type: 'invalid_request_error', code: 'lock_timeout', message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request.' }), { 'Stripe-Should-Retry': 'true' });
        case '500':
          return send(500, errorJson({ type: 'api_error', message: 'An unknown error occurred (injected by the test server).' }));
        case 'reset':
          entry.durationMs = Date.now() - started;
          req.socket.destroy();
          return;
        case 'timeout': {
          // Never answered: the client's own timeout fires. Dropped after delayMs when given.
          if (fault.delayMs !== undefined) {
            const t = setTimeout(() => {
              pending.delete(t);
              req.socket.destroy();
            }, fault.delayMs);
            pending.add(t);
          }
          return;
        }
        case 'slow': {
          const t = setTimeout(() => {
            pending.delete(t);
            handle();
          }, fault.delayMs ?? 500);
          pending.add(t);
          return;
        }
        default:
          return later(delay / 2, handle);
      }
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    store,
    state: store,
    clock,
    requests,
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    setLatency,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of pending) clearTimeout(t);
        pending.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A random idempotency key (tests that drive the server with raw HTTP). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
