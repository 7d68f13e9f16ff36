import type http from 'node:http';
import type { CallError, ErrorCode } from '../../../shared/contract/errors';

// Small helpers every route shares: JSON answers that are never cached, errors in the contract's
// shape, and request bodies read with a hard size limit.

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_input: 400,
  unknown_call: 404,
  not_found: 404,
  conflict: 409,
  refused: 422,
  not_configured: 503,
  unauthorized: 502,
  card_declined: 402,
  rate_limited: 429,
  offline: 503,
  stripe_error: 502,
  model_error: 502,
  cancelled: 409,
  forbidden: 403,
  internal: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function sendError(res: http.ServerResponse, status: number, error: CallError, headers: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error }, headers);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than this endpoint accepts (${limit.toLocaleString('en-US')} bytes).`);
    this.name = 'BodyTooLargeError';
  }
}

/** The whole body, refused past `limit` bytes (the connection is not read further). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
