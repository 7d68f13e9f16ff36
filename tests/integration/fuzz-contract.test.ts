import fc from 'fast-check';
import { z } from 'zod';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, calls, isCallName } from '../../shared/contract';
import { ERROR_CODES } from '../../shared/contract/errors';
import { startHarness, type Harness } from '../../electron/harness/server';
import { startLoopbackProviders, type LoopbackProviders } from '../helpers/loopback-providers';
import { arbitraryFromSchema, type JsonSchema } from '../helpers/schema-arbitrary';
import { mutationsOf, validInputs, type FuzzWorld } from '../helpers/fuzz-valid-inputs';
import { recordNetwork, type NetworkRecorder } from '../helpers/network-recorder';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';
import { tempDir, testServices, type TestServices } from '../helpers/services';

// ≥ 10,000 random and hostile payloads through the harness transport (HTTP, the same handler table
// the IPC adapter serves) to every contract call. The contract's own zod schema is the oracle:
// a payload it refuses must come back as {ok:false, error:{code:'bad_input'}}; any other answer
// must still be a well-formed CallResult with a known error code. Afterwards the server must still
// answer, and no prototype may have been polluted.
//
// Before the hostile payloads, every call is driven to success at least once with valid inputs
// (schema-derived, with ids taken from the cache: tests/helpers/fuzz-valid-inputs.ts), and then
// those valid inputs are broken one field at a time. Every contract call must have a handler.
// Stripe and the model provider are a loopback stand-in, and what left the process is recorded at
// the network layer (tests/helpers/network-recorder.ts): only loopback connections are allowed.
// The seed varies per run and is printed; FUZZ_SEED=<n> repeats a run.

const MAX_BODY = 1_000_000;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

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

/** What the schema says about a body sent to a call (every contract call has a handler: checked first). */
function oracle(name: string, body: string | Buffer): Expectation {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_BODY) return { okAllowed: false, codes: ['bad_input'], tooLarge: true };
  let value: unknown;
  try {
    value = text.length ? JSON.parse(text) : {};
  } catch {
    return { okAllowed: false, codes: isCallName(name) ? ['bad_input'] : ['bad_input', 'unknown_call'] };
  }
  if (!isCallName(name)) return { okAllowed: false, codes: ['unknown_call'] };
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

function buildCases(realCustomerIds: string[], emptyFolder: string): Case[] {
  const cases: Case[] = [];
  const add = (kind: string, name: string, body: string | Buffer, method: 'POST' | 'GET' = 'POST') => cases.push({ kind, name, body, method, expect: method === 'GET' ? { okAllowed: false, codes: ['unknown_call'] } : oracle(name, body) });
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

/** Per call: answers that were ok, and answers that refused (any error code). */
class CallReport {
  readonly rows = new Map<string, { validOk: number; validRefused: number; mutatedOk: number; mutatedRefused: number; hostileOk: number; hostileRefused: number }>();
  count(name: string, phase: 'valid' | 'mutated' | 'hostile', ok: boolean): void {
    if (!isCallName(name)) return;
    const row = this.rows.get(name) ?? { validOk: 0, validRefused: 0, mutatedOk: 0, mutatedRefused: 0, hostileOk: 0, hostileRefused: 0 };
    row[`${phase}${ok ? 'Ok' : 'Refused'}` as keyof typeof row]++;
    this.rows.set(name, row);
  }
  table(): string {
    const lines = ['call                              valid ok/refused   mutated ok/refused   hostile ok/refused'];
    for (const name of CALL_NAMES) {
      const r = this.rows.get(name);
      const cell = (ok = 0, refused = 0) => `${ok}/${refused}`.padEnd(21);
      lines.push(`${name.padEnd(34)}${cell(r?.validOk, r?.validRefused)}${cell(r?.mutatedOk, r?.mutatedRefused)}${cell(r?.hostileOk, r?.hostileRefused)}`);
    }
    return lines.join('\n');
  }
}

const STRIPE_KEY = 'sk_test_51FuzzAccountKeyAcceptedByStandIn0';
const STRIPE_ACCOUNT = 'acct_1FuzzAccount';
/** Calls that cannot succeed over the harness by design, with the answer they must give instead. */
const REFUSED_ON_THE_HARNESS: Record<string, string> = { 'team.join': 'not_configured' };
/** Rounds over every call with valid inputs: later rounds use what earlier ones created. */
const VALID_ROUNDS = 3;
const VALID_PER_CALL = 5;
const MUTATIONS_PER_VALID = 4;

describe(`fuzzing the contract through the harness transport (seed ${SEED}; FUZZ_SEED=${SEED} repeats it)`, () => {
  let services: TestServices;
  let harness: Harness;
  let providers: LoopbackProviders;
  let network: NetworkRecorder;
  let model: OpenAIServer;
  const staticDir = tempDir('bsc-fuzz-static-');
  const kbDir = tempDir('bsc-fuzz-kb-');
  const report = new CallReport();
  const problems: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  beforeAll(async () => {
    network = recordNetwork();
    fs.writeFileSync(`${staticDir.dir}/index.html`, '<!doctype html><title>fuzz</title>');
    fs.cpSync(path.resolve(__dirname, '../../resources/kb'), kbDir.dir, { recursive: true });
    providers = await startLoopbackProviders({ stripeAccounts: { [STRIPE_KEY]: STRIPE_ACCOUNT } });
    // A model that answers (the providers' stand-in only refuses keys), so model calls can succeed.
    model = await startOpenAIServer();
    services = await testServices({
      demoCustomers: 40,
      stripeApiBase: providers.url,
      env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'sk-proj-fuzzfuzzfuzzfuzzfuzzfuzz' },
    });
    harness = await startHarness(services, { staticDir: staticDir.dir, maxBodyBytes: MAX_BODY });
  });

  afterAll(async () => {
    agent.destroy();
    await harness?.close();
    await services?.dispose();
    await providers?.close();
    await model?.close();
    network?.stop();
    staticDir.cleanup();
    kbDir.cleanup();
  });

  /** One call over HTTP, judged; returns the parsed answer (null when it was not JSON). */
  async function call(kind: string, phase: 'valid' | 'mutated' | 'hostile', name: string, body: string | Buffer, method: 'POST' | 'GET' = 'POST'): Promise<{ ok: boolean; value?: unknown; error?: { code: string } } | null> {
    const c: Case = { kind, name, body, method, expect: method === 'GET' ? { okAllowed: false, codes: ['unknown_call'] } : oracle(name, body) };
    const answer = await send(harness.port, harness.token, agent, c);
    const problem = judge(c, answer);
    if (problem) problems.push(`${kind} ${name} ${Buffer.isBuffer(body) ? '<binary>' : body.slice(0, 160)} → ${problem}`);
    try {
      const parsed = JSON.parse(answer.text) as { ok: boolean; value?: unknown; error?: { code: string } };
      report.count(name, phase, parsed.ok === true);
      return parsed;
    } catch {
      report.count(name, phase, false);
      return null;
    }
  }

  it('has a handler for every call of the contract', () => {
    const missing = CALL_NAMES.filter((name) => !services.table.has(name));
    expect(missing, 'contract calls without a handler (a domain not registered?)').toEqual([]);
  });

  it('drives every call to success with valid inputs, then answers their mutations with typed results', async () => {
    const world: FuzzWorld = {
      db: services.ctx.db,
      accountId: () => services.ctx.workspace.current().id,
      folders: [kbDir.dir, staticDir.dir, `${staticDir.dir}/missing`],
      modelBaseUrl: model.baseUrl,
      stripeKey: STRIPE_KEY,
      stripeAccountId: STRIPE_ACCOUNT,
      streamIds: [],
      configIds: [],
    };
    // A failing customer's analysis proposes actions: fresh proposals for confirm / dismiss to act on.
    const failing = services.ctx.db.prepare("SELECT DISTINCT customer_id AS id FROM dunning_cases WHERE account_id = 'demo' LIMIT 8").all() as Array<{ id: string }>;
    expect(failing.length).toBeGreaterThan(0);
    const propose = async () => {
      for (const { id } of failing) await call('setup', 'valid', 'copilot.analyze', JSON.stringify({ customerId: id, message: 'My card failed, can you send me a link to update it and retry?', rulesOnly: true }));
    };
    const valid: Array<{ name: string; input: Record<string, unknown> }> = [];
    for (let round = 0; round < VALID_ROUNDS; round++) {
      for (const [i, name] of CALL_NAMES.entries()) {
        if (name === 'copilot.confirmAction' || name === 'copilot.dismissAction') await propose();
        const inputs = fc.sample(validInputs(world, name), { numRuns: VALID_PER_CALL, seed: SEED + round * 1_000 + i });
        for (const input of inputs) {
          const answer = await call('valid', 'valid', name, JSON.stringify(input));
          if (answer?.ok && name === 'copilot.chat') world.streamIds.push((answer.value as { streamId: string }).streamId);
          if (answer?.ok) world.configIds.push(...new Set(JSON.stringify(answer.value ?? null).match(/\bbpc_[A-Za-z0-9]+/g) ?? []));
          if (answer?.ok) valid.push({ name, input: input as Record<string, unknown> });
          // The calls below change which account is current; the rest of the run stays in the demo.
          if (name === 'workspace.setStripeKey' || name === 'workspace.switchAccount') {
            if (answer?.ok && world.accountId() === STRIPE_ACCOUNT) {
              for (const inAccount of ['sync.start', 'sync.status', 'workspace.status'] as const) await call('valid', 'valid', inAccount, '{}');
            }
            await services.table.dispatch('workspace.switchAccount', { accountId: 'demo' }, { actor: 'fuzz' });
          }
        }
      }
    }
    // Then every valid input, broken: dropped fields, wrong types, unknown keys, the wrong shape.
    for (const [i, v] of valid.entries()) {
      for (const broken of fc.sample(mutationsOf(v.input), { numRuns: MUTATIONS_PER_VALID, seed: SEED + 50_000 + i })) {
        await call('mutated', 'mutated', v.name, JSON.stringify(broken));
      }
      if (world.accountId() !== 'demo') await services.table.dispatch('workspace.switchAccount', { accountId: 'demo' }, { actor: 'fuzz' });
    }
    // Joining a team keeps the agent token in the OS keychain, which the harness does not have: there
    // it must refuse in words, every time (tests/integration/team-desk.test.ts drives the same handler
    // to success with a keychain against a real team server).
    for (const [name, code] of Object.entries(REFUSED_ON_THE_HARNESS)) {
      const answer = await call('valid', 'valid', name, JSON.stringify({ url: 'https://team.example.com', token: 'team-token-0123456789abcdef' }));
      expect({ name, answer: answer?.ok ? 'ok' : answer?.error?.code }).toEqual({ name, answer: code });
    }
    const never = CALL_NAMES.filter((name) => !(report.rows.get(name)?.validOk ?? 0) && !(name in REFUSED_ON_THE_HARNESS));
    expect({ seed: SEED, neverSucceeded: never }).toEqual({ seed: SEED, neverSucceeded: [] });
    expect({ seed: SEED, problems: problems.slice(0, 20) }).toEqual({ seed: SEED, problems: [] });
  }, 300_000);

  it('answers ≥ 10,000 random and hostile payloads to every call with a typed result, and keeps running', async () => {
    const customerIds = (services.ctx.db.prepare('SELECT id FROM customers LIMIT 20').all() as Array<{ id: string }>).map((r) => r.id);
    const cases = buildCases(customerIds, staticDir.dir);
    expect(cases.length).toBeGreaterThanOrEqual(10_000);
    // Every contract call is exercised, with payloads its schema refuses.
    for (const name of CALL_NAMES) expect(cases.some((c) => c.name === name && !c.expect.okAllowed && c.expect.codes?.includes('bad_input'))).toBe(true);

    const before = problems.length;
    const codes = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const parsed = await call(c.kind, 'hostile', c.name, c.body, c.method);
        const key = parsed ? (parsed.ok ? 'ok' : (parsed.error?.code ?? 'no-code')) : 'no-json';
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    expect({ seed: SEED, problems: problems.slice(before, before + 20) }).toEqual({ seed: SEED, problems: [] });
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
    console.log(`fuzz (seed ${SEED}): ${cases.length} hostile payloads over ${CALL_NAMES.length} calls; answers by code: ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
  }, 300_000);

  it('sent nothing anywhere but the loopback stand-ins and the harness (recorded at the network layer), and reports every call', () => {
    const allowed = new Set([`127.0.0.1:${new URL(providers.url).port}`, `127.0.0.1:${new URL(model.baseUrl).port}`, `127.0.0.1:${harness.port}`]);
    const elsewhere = network.attempts.filter((a) => (a.kind === 'connect' ? !allowed.has(a.target) : !['localhost', '127.0.0.1'].includes(a.target)));
    // The recorder saw both stand-ins (node:http for Stripe, fetch for the model): it is not blind.
    for (const url of [providers.url, model.baseUrl]) expect(network.attempts.filter((a) => a.target === `127.0.0.1:${new URL(url).port}`).length, url).toBeGreaterThan(0);
    expect({ seed: SEED, elsewhere: elsewhere.slice(0, 20) }).toEqual({ seed: SEED, elsewhere: [] });
    // Every provider request the stand-ins saw is one of their API paths.
    expect(providers.requests.every((r) => r.path.startsWith('/v1/'))).toBe(true);
    expect(model.requests.length).toBeGreaterThan(0);
    expect(model.requests.every((r) => r.path.startsWith('/v1/'))).toBe(true);
    console.log(`fuzz report (seed ${SEED}), answers per call:\n${report.table()}`);
    for (const name of CALL_NAMES.filter((n) => !(n in REFUSED_ON_THE_HARNESS))) expect(report.rows.get(name)?.validOk ?? 0, `${name}: successes with valid inputs`).toBeGreaterThanOrEqual(1);
  });
});
