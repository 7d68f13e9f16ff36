import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A deliberately small stand-in for Stripe and an OpenAI-compatible provider on 127.0.0.1, for
// tests that must make sure no request leaves the machine (fuzzing) or that a rejected key is not
// echoed (no-secrets). It is harsher than the real services: its error messages repeat the key
// that was sent, in full, so any missing redaction shows up.

export interface LoopbackProviders {
  url: string;
  /** Every request seen: method, path and the Authorization header (to prove keys were sent here). */
  requests: Array<{ method: string; path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** `stripeAccounts`: accepted Stripe key → the account id GET /v1/account answers for it. */
export async function startLoopbackProviders(opts: { stripeAccounts?: Record<string, string> } = {}): Promise<LoopbackProviders> {
  const accounts = new Map(Object.entries(opts.stripeAccounts ?? {}));
  const requests: LoopbackProviders['requests'] = [];
  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', authorization });
    req.resume();
    req.on('end', () => {
      const key = authorization?.replace(/^Bearer\s+/i, '') ?? '';
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_loopback' });
        res.end(JSON.stringify(body));
      };
      const url = req.url ?? '/';
      if (url.startsWith('/v1/chat') || url.startsWith('/v1/responses') || url.startsWith('/v1/embeddings') || url.startsWith('/v1/models')) {
        send(401, { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
        return;
      }
      const accountId = accounts.get(key);
      if (!accountId) {
        send(401, { error: { type: 'invalid_request_error', code: 'api_key_invalid', message: `Invalid API Key provided: ${key}` } });
        return;
      }
      if (req.method === 'GET' && url.split('?')[0] === '/v1/account') {
        send(200, { id: accountId, object: 'account', email: 'owner@example.com', settings: { dashboard: { display_name: `Loopback ${accountId}` } }, business_profile: { name: 'Loopback Ltd' } });
        return;
      }
      // Any list endpoint: empty. Anything else: a Stripe-shaped 404 that names the key.
      if (req.method === 'GET') {
        send(200, { object: 'list', data: [], has_more: false, url: url.split('?')[0] });
        return;
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${url}) for key ${key}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
