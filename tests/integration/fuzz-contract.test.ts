import fc from 'fast-check';
import { z } from 'zod';
import fs from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, calls, isCallName } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/contract/errors';
import { startHarness, type Harness } from '../../electron/harness/server';
import { startLoopbackProviders, type LoopbackProviders } from '../helpers/loopback-providers';
import { arbitraryFromSchema, type JsonSchema } from '../helpers/schema-arbitrary';
import { tempDir, testServices, type TestServices } from '../helpers/services';

// ≥ 10,000 random and hostile payloads through the harness transport (HTTP, the same handler table
// the IPC adapter serves) to every contract call. The contract's own zod schema is the oracle:
// a payload it refuses must come back as {ok:false, error:{code:'bad_input'}}; any other answer
// must still be a well-formed CallResult with a known error code. Afterwards the server must still
// answer, and no prototype may have been polluted. Stripe and the model provider are a loopback
// stand-in, so nothing leaves the machine whatever the payload says.

const MAX_BODY = 1_000_000;
const SEED = 20_260_101;

/** What a correct server may answer: ok (only when the schema accepts), or one of these codes. */
interface Expectation {
  okAllowed: boolean;
  /** Error codes allowed; null means any known code except `internal`. */
  codes: string[] | null;
  /** Over the body limit: the server may also cut the upload short after answering 413. */
  tooLarge?: boolean;
}
interface Case {
  kind: string;
  name: string;
  body: string | Buffer;
  method?: 'POST' | 'GET';
  expect: Expectation;
}

/**
 * What the schema says about a body sent to a call. A call the contract declares but no domain has
 * registered yet (work in progress elsewhere) answers unknown_call, like a name that is not a call;
 * a body that is not JSON may be refused as bad_input before the name is looked at.
 */
function oracle(name: string, body: string | Buffer, registered: (name: string) => boolean): Expectation {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_BODY) return { okAllowed: false, codes: ['bad_input'], tooLarge: true };
  let value: unknown;
  try {
    value = text.length ? JSON.parse(text) : {};
  } catch {
    return { okAllowed: false, codes: registered(name) ? ['bad_input'] : ['bad_input', 'unknown_call'] };
  }
  if (!isCallName(name) || !registered(name)) return { okAllowed: false, codes: ['unknown_call'] };
  return calls[name].input.safeParse(value).success ? { okAllowed: true, codes: null } : { okAllowed: false, codes: ['bad_input'] };
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202eevil',
    '\ud800',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE customers; --",
    '" OR 1=1 --',
    '%s%s%n',
    '${7*7}',
    'cus_',
    'cus_DOESNOTEXIST',
    'in_1',
    'acct_1',
    'demo',
    'sk_test_abcdefghijklmnopqrstuvwx',
    'pk_test_abcdefghijklmnopqrstuvwx',
    'NaN',
    '-1',
    '1e309',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'https://example.com',
    'http://127.0.0.1:1/',
    'payment_method_update',
    'subscription_cancel',
  ),
  fc.string({ minLength: 500, maxLength: 3000 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 2 ** 53, -(2 ** 31), 1e308, 0.5, -0),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** Objects built from the call's real field names (so the schema is probed field by field). */
function keyedObject(name: string): fc.Arbitrary<Record<string, unknown>> {
  const schema = calls[name as keyof typeof calls].input as unknown as { shape?: Record<string, unknown> };
  const keys = Object.keys(schema.shape ?? {});
  const extra = fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'extra', 'x'.repeat(200), ''), hostileValue), { nil: undefined });
  return fc.tuple(fc.subarray(keys), extra).chain(([chosen, more]) =>
    fc.tuple(...chosen.map(() => hostileValue)).map((values) => {
      const obj: Record<string, unknown> = {};
      chosen.forEach((k, i) => (obj[k] = values[i]));
      if (more) Object.defineProperty(obj, more[0], { value: more[1], enumerable: true, writable: true, configurable: true });
      return obj;
    }),
  );
}

const POLLUTION_BODIES = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"__proto__":{"toString":"x","valueOf":1}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"a":{"__proto__":{"polluted":"yes"}}}',
  '[{"__proto__":{"polluted":"yes"}}]',
  '{"__proto__":null}',
  '{"hasOwnProperty":"x","toJSON":"y"}',
];

const NON_JSON_FIXED = ['{', '}', '{"a":', 'undefined', 'NaN', "{'a':1}", '{"a":1,}', '\ufeff{}', '{}garbage', '<xml/>', 'null null', '--', '\u0000'];

function buildCases(registered: (name: string) => boolean, realCustomerIds: string[], emptyFolder: string): Case[] {
  const cases: Case[] = [];
  const add = (kind: string, name: string, body: string | Buffer, method: 'POST' | 'GET' = 'POST') => cases.push({ kind, name, body, method, expect: method === 'GET' ? { okAllowed: false, codes: ['unknown_call'] } : oracle(name, body, registered) });
  // Enough random payloads per call that the total stays above 10,000 however many calls exist.
  const randomPerCall = Math.ceil(8_200 / CALL_NAMES.length);
  CALL_NAMES.forEach((name, i) => {
    const seed = SEED + i;
    for (const v of fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: Math.floor(randomPerCall * 0.35), seed })) add('random-json', name, JSON.stringify(v));
    for (const v of fc.sample(keyedObject(name), { numRuns: Math.ceil(randomPerCall * 0.65), seed: seed + 1 })) add('keyed-hostile', name, JSON.stringify(v));
    for (const body of POLLUTION_BODIES) add('prototype-pollution', name, body);
    add('deep-array', name, '['.repeat(20_000) + ']'.repeat(20_000));
    add('deep-object', name, '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000));
    add('deep-in-field', name, `{"query":${'['.repeat(3_000)}${']'.repeat(3_000)}}`);
    add('empty-body', name, '');
    for (const body of NON_JSON_FIXED) add('non-json', name, body);
    for (const s of fc.sample(fc.string({ minLength: 1, maxLength: 60 }), { numRuns: 4, seed: seed + 2 })) add('non-json-text', name, s);
    for (const b of fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 3, seed: seed + 3 })) add('binary', name, Buffer.from(b));
    add('wrong-method', name, '{}', 'GET');
    // Inputs the schema accepts (mostly): edge values, real and unknown ids, unicode text. These reach
    // the handlers. kb.import only ever gets an empty folder or a missing one: never the disk at large.
    const schema = z.toJSONSchema(calls[name].input, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
    const hints = (pattern: string) => (pattern.startsWith('^cus_') && realCustomerIds.length ? fc.constantFrom(...realCustomerIds) : null);
    const overrides = { folder: fc.constantFrom(emptyFolder, `${emptyFolder}/missing`) };
    for (const v of fc.sample(arbitraryFromSchema(schema, hints, overrides), { numRuns: 40, seed: seed + 4 })) add('schema-shaped', name, JSON.stringify(v));
  });
  // Huge strings under the body limit, and bodies over it.
  for (const name of CALL_NAMES.slice(0, 10)) add('huge-string', name, JSON.stringify({ query: 'x'.repeat(900_000), body: 'y', key: 'z' }));
  for (const name of CALL_NAMES.slice(0, 3)) add('over-limit', name, JSON.stringify({ s: 'x'.repeat(MAX_BODY + 10) }));
  // Names that are not calls: near misses, random, and prototype keys.
  const nearMisses = CALL_NAMES.flatMap((n) => [n.toUpperCase(), `${n}.`, `.${n}`, n.replace('.', '_'), `${n}x`]);
  for (const n of [...nearMisses, '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf']) add('unknown-name', n, '{}');
  for (const n of fc.sample(fc.stringMatching(/^[A-Za-z0-9_.]{1,80}$/), { numRuns: 300, seed: SEED - 1 })) if (!isCallName(n)) add('unknown-name', n, '{}');
  for (const n of ['..', '%2e%2e', 'a/b', 'a%2Fb', 'x'.repeat(81), 'a%20b', '%C3%A9', '%00', 'workspace.status%00']) add('unroutable-name', n, '{}');
  return cases;
}

interface Answer {
  status: number;
  text: string;
  networkError?: string;
}

function send(port: number, token: string, agent: http.Agent, c: Case): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, agent, method: c.method ?? 'POST', path: `/api/call/${c.name}`, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, text: '', networkError: err.message }));
      },
    );
    req.on('error', (err) => resolve({ status: 0, text: '', networkError: err.message }));
    req.end(c.method === 'GET' ? undefined : c.body);
  });
}

/** The problem with one answer, or null when it is what the contract promises. */
function judge(c: Case, a: Answer): string | null {
  if (c.expect.tooLarge && a.networkError) return null;
  if (a.networkError) return `no answer: ${a.networkError}`;
  let body: { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(a.text);
  } catch {
    return `answer is not JSON (status ${a.status}): ${a.text.slice(0, 80)}`;
  }
  if (body.ok === true) return c.expect.okAllowed ? null : `accepted a payload it must refuse (allowed: ${c.expect.codes?.join('|')})`;
  if (body.ok !== false || typeof body.error !== 'object' || body.error === null) return 'not a CallResult';
  const { code, message } = body.error;
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code)) return `unknown error code ${String(code)}`;
  if (typeof message !== 'string' || !message.trim()) return 'error without a message';
  if (/\n\s+at .+:\d+:\d+/.test(message)) return 'stack trace in the message';
  if (c.expect.codes && !c.expect.codes.includes(code)) return `expected ${c.expect.codes.join('|')}, got ${code}: ${message.slice(0, 80)}`;
  if (!c.expect.codes && code === 'internal') return `internal error for a valid payload: ${message}`;
  return null;
}

describe('fuzzing the contract through the harness transport', () => {
  let services: TestServices;
  let harness: Harness;
  let providers: LoopbackProviders;
  const staticDir = tempDir('bsc-fuzz-static-');

  beforeAll(async () => {
    fs.writeFileSync(`${staticDir.dir}/index.html`, '<!doctype html><title>fuzz</title>');
    providers = await startLoopbackProviders();
    services = await testServices({
      demoCustomers: 40,
      stripeApiBase: providers.url,
      env: { OPENAI_BASE_URL: `${providers.url}/v1`, OPENAI_API_KEY: 'sk-proj-fuzzfuzzfuzzfuzzfuzzfuzz' },
    });
    harness = await startHarness(services, { staticDir: staticDir.dir, maxBodyBytes: MAX_BODY });
  });

  afterAll(async () => {
    await harness?.close();
    await services?.dispose();
    await providers?.close();
    staticDir.cleanup();
  });

  it('answers ≥ 10,000 random and hostile payloads to every call with a typed result, and keeps running', async () => {
    const registered = (name: string) => services.table.has(name);
    const customerIds = (services.ctx.db.prepare('SELECT id FROM customers LIMIT 20').all() as Array<{ id: string }>).map((r) => r.id);
    const cases = buildCases(registered, customerIds, staticDir.dir);
    expect(cases.length).toBeGreaterThanOrEqual(10_000);
    // Every registered contract call is exercised, with payloads its schema refuses.
    for (const name of CALL_NAMES.filter(registered)) expect(cases.some((c) => c.name === name && !c.expect.okAllowed && c.expect.codes?.includes('bad_input'))).toBe(true);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const problems: string[] = [];
    const codes = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const answer = await send(harness.port, harness.token, agent, c);
        const problem = judge(c, answer);
        if (problem) problems.push(`${c.kind} ${c.name} ${Buffer.isBuffer(c.body) ? '<binary>' : c.body.slice(0, 100)} → ${problem}`);
        try {
          const parsed = JSON.parse(answer.text) as { ok: boolean; error?: { code: string } };
          const key = parsed.ok ? 'ok' : parsed.error!.code;
          codes.set(key, (codes.get(key) ?? 0) + 1);
        } catch {
          codes.set('no-json', (codes.get('no-json') ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    agent.destroy();

    expect(problems.slice(0, 20)).toEqual([]);
    // The schema-shaped payloads really reached the handlers.
    expect(codes.get('ok') ?? 0).toBeGreaterThan(500);
    // Still alive and still serving real answers.
    const after = await services.table.dispatch('workspace.status', {}, { actor: 'fuzz' });
    expect(after).toMatchObject({ ok: true, value: { mode: 'demo' } });
    const overHttp = await send(harness.port, harness.token, new http.Agent(), { kind: 'probe', name: 'workspace.status', body: '{}', expect: { okAllowed: true, codes: null } });
    expect(JSON.parse(overHttp.text)).toMatchObject({ ok: true });
    // Nothing was polluted.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    // Nothing tried to leave the machine except to the loopback stand-in.
    expect(providers.requests.every((r) => r.path.startsWith('/v1/'))).toBe(true);
    console.log(`fuzz: ${cases.length} payloads over ${CALL_NAMES.length} calls (${CALL_NAMES.filter(registered).length} registered); answers by code: ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
  });
});
