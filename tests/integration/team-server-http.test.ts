import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type TeamServer } from '../../electron/team-server/app';
import { PlainHttpRefusedError } from '../../electron/team-server/http/server';
import { silentLogger } from '../../electron/services/core/log';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, TEAM_ACCOUNT } from '../helpers/team-server';
import { openSse, type SseReader } from '../helpers/sse';

// The team server over HTTP: health, sign-in on every request, limits, team writes through the
// contract with the authenticated agent as author, the feed (pages, live stream across instances,
// snapshot), and revocation closing open streams.

let pgs: TestPostgres;
const running: TeamServer[] = [];
const streams: SseReader[] = [];
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  for (const s of running.splice(0)) await s.stop();
});
afterAll(() => pgs?.close());

async function server(opts: Parameters<typeof startTestTeamServer>[1] = {}, url?: string): Promise<TeamServer> {
  const s = await startTestTeamServer(url ?? (await pgs.newDatabase()), opts);
  running.push(s);
  return s;
}

async function sse(s: TeamServer, token: string, query = 'after=0'): Promise<SseReader> {
  const r = await openSse(`${s.url}/v1/feed/stream?${query}`, { authorization: `Bearer ${token}` });
  streams.push(r);
  return r;
}

describe('team server: health and sign-in', () => {
  it('answers /healthz with the accounts from the health source, without a token', async () => {
    const s = await server();
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ ok: true, accounts: [{ id: TEAM_ACCOUNT, backfill_complete: true, leader: true }] });
  });

  it('refuses /v1 without a token or with a wrong one, in words; /v1/me names the agent', async () => {
    const s = await server();
    const none = await fetch(`${s.url}/v1/me`);
    expect(none.status).toBe(401);
    expect((await jsonOf(none)).error.message).toMatch(/send the agent token as "Authorization: Bearer <token>"/);
    const wrong = await fetch(`${s.url}/v1/me`, { headers: { authorization: 'Bearer bsct_' + 'x'.repeat(43) } });
    expect(wrong.status).toBe(401);
    expect((await jsonOf(wrong)).error).toEqual({ code: 'forbidden', message: 'This agent token is not valid (unknown or revoked). Ask a team admin for a new one.' });
    const ana = await addAgent(s, 'Ana', 'agent');
    expect(await jsonOf(await ana.get('/v1/me'))).toEqual({ id: ana.id, name: 'Ana', role: 'agent' });
  });

  it('serves plain http on loopback only unless a TLS proxy is declared', async () => {
    const url = await pgs.newDatabase();
    await expect(startTeamServer({ env: { BSC_TEAM_LISTEN: '0.0.0.0:0' }, databaseUrl: url, log: silentLogger })).rejects.toThrow(PlainHttpRefusedError);
    await expect(startTeamServer({ env: { BSC_TEAM_LISTEN: '0.0.0.0:0' }, databaseUrl: url, log: silentLogger })).rejects.toThrow(/--behind-tls-proxy/);
    const behind = await startTeamServer({ env: { BSC_TEAM_LISTEN: '0.0.0.0:0' }, databaseUrl: url, log: silentLogger, behindTlsProxy: true });
    running.push(behind);
    expect((await fetch(`http://127.0.0.1:${behind.http.port}/healthz`)).status).toBe(200);
  });

  it('limits body size (413 in words) and requests per agent (429 with Retry-After), other agents unaffected', async () => {
    const s = await server({ maxBodyBytes: 2_000, rateLimit: { perSecond: 0.01, burst: 3 } });
    const ana = await addAgent(s, 'Ana', 'agent');
    const bo = await addAgent(s, 'Bo', 'agent');
    const big = await fetch(`${s.url}/v1/call/notes.add`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ customerId: 'cus_1', body: 'x'.repeat(5_000) }) });
    expect(big.status).toBe(413);
    expect((await jsonOf(big)).error.message).toBe('The request body is larger than this endpoint accepts (2,000 bytes).');
    expect((await ana.get('/v1/me')).status).toBe(200);
    expect((await ana.get('/v1/me')).status).toBe(200);
    const limited = await ana.get('/v1/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await jsonOf(limited)).error.message).toMatch(/^Too many requests from this agent; try again in \d+ s\.$/);
    expect((await bo.get('/v1/me')).status).toBe(200);
    const notes = await s.pool.query('SELECT count(*)::int AS n FROM team_notes');
    expect(notes.rows[0].n).toBe(0);
  });
});

describe('team server: which account a call is for', () => {
  it('the only account by default; BSC-Account names one of several; unknown or missing in words', async () => {
    const { staticAccounts } = await import('../../electron/team-server/stores/account-health');
    const none = await server({ health: staticAccounts([]) });
    const a0 = await addAgent(none, 'Ana', 'agent');
    const r0 = await a0.call('notes.add', { customerId: 'cus_A', body: 'x' });
    expect(r0.status).toBe(503);
    expect(!r0.body.ok && r0.body.error.message).toMatch(/^The team server has no Stripe account configured yet/);
    const two = await server({ health: staticAccounts([{ id: 'acct_1One', backfill_complete: true, leader: true }, { id: 'acct_2Two', backfill_complete: false, leader: false }]) });
    const a = await addAgent(two, 'Ana', 'agent');
    const ambiguous = await a.call('notes.add', { customerId: 'cus_A', body: 'x' });
    expect(ambiguous.status).toBe(400);
    expect(!ambiguous.body.ok && ambiguous.body.error.message).toBe('This team server serves several accounts: name one with the BSC-Account header.');
    const post = (account: string) => fetch(`${two.url}/v1/call/notes.add`, { method: 'POST', headers: { authorization: `Bearer ${a.token}`, 'content-type': 'application/json', 'bsc-account': account }, body: JSON.stringify({ customerId: 'cus_A', body: 'for two' }) });
    expect((await post('acct_2Two')).status).toBe(200);
    expect((await two.pool.query('SELECT account_id FROM team_notes')).rows).toEqual([{ account_id: 'acct_2Two' }]);
    const unknown = await post('acct_3Three');
    expect(unknown.status).toBe(404);
    expect((await jsonOf(unknown)).error.message).toBe('This team server does not serve account acct_3Three.');
  });
});

describe('team server: writes through the contract', () => {
  it('notes.add: the author is the authenticated agent; audit and feed entry in the same commit', async () => {
    const s = await server();
    const ana = await addAgent(s, 'Ana Lima', 'agent');
    const r = await ana.call('notes.add', { customerId: 'cus_A', body: '  Called, will update card.  ' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, value: { body: 'Called, will update card.', author: 'Ana Lima' } });
    const audit = await s.pool.query('SELECT agent_id, actor, action, target_id, result FROM audit_log');
    expect(audit.rows).toEqual([{ agent_id: ana.id, actor: 'Ana Lima', action: 'note.add', target_id: 'cus_A', result: 'ok' }]);
    const page = await jsonOf(await ana.get('/v1/feed?after=0'));
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({ seq: 1, account: TEAM_ACCOUNT, entity: 'note', op: 'upsert', data: { customerId: 'cus_A', author: 'Ana Lima', authorAgentId: ana.id } });
    expect(page).toMatchObject({ next: 1, head: 1, more: false });
  });

  it('refuses bad input in words (nothing written) and unknown calls', async () => {
    const s = await server();
    const ana = await addAgent(s, 'Ana', 'agent');
    const bad = await ana.call('notes.add', { customerId: 'cus_A', body: 'x'.repeat(10_001) });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!bad.body.ok && bad.body.error.message).toMatch(/10,000 characters/);
    const unknown = await ana.call('notes.explode', {});
    expect(unknown.status).toBe(404);
    const read = await ana.call('customers.search', { query: 'ana' });
    expect(!read.body.ok && read.body.error.message).toBe("customers.search is a read: the desk answers it from its own replica.");
    expect((await s.pool.query('SELECT count(*)::int AS n FROM feed_entries')).rows[0].n).toBe(0);
  });

  it('an agent edits only their own notes; a lead may correct anyone\'s', async () => {
    const s = await server();
    const ana = await addAgent(s, 'Ana', 'agent');
    const bo = await addAgent(s, 'Bo', 'agent');
    const lee = await addAgent(s, 'Lee', 'lead');
    const note = await ana.call<{ id: number }>('notes.add', { customerId: 'cus_A', body: 'first' });
    const id = note.body.ok ? note.body.value.id : 0;
    const byBo = await bo.call('notes.update', { noteId: id, body: 'hijack' });
    expect(byBo.status).toBe(403);
    expect(!byBo.body.ok && byBo.body.error.message).toBe("Refused: this note is Ana's; an agent edits only their own notes (a team lead can correct it).");
    expect((await lee.call('notes.update', { noteId: id, body: 'fixed typo' })).body).toMatchObject({ ok: true, value: { body: 'fixed typo', author: 'Ana' } });
    expect((await ana.call('notes.update', { noteId: id, body: 'mine again' })).status).toBe(200);
  });
});

describe('team server: the feed', () => {
  it('a live stream on instance B receives a note written through instance A (LISTEN/NOTIFY)', async () => {
    const url = await pgs.newDatabase();
    const a = await server({ feedPollMs: 60_000 }, url);
    const b = await server({ feedPollMs: 60_000 }, url);
    const ana = await addAgent(a, 'Ana', 'agent');
    const bo = await addAgent(a, 'Bo', 'agent');
    const stream = await sse(b, bo.token);
    expect(stream.status).toBe(200);
    await ana.call('notes.add', { customerId: 'cus_A', body: 'through A' });
    const e = await stream.waitFor((x) => x.event === 'change');
    expect(e.id).toBe('1');
    expect(JSON.parse(e.data)).toMatchObject({ seq: 1, entity: 'note', data: { body: 'through A', author: 'Ana' } });
  });

  it('a stream that starts behind gets the missed entries first, then live ones, each once and in order', async () => {
    const s = await server({ feedPollMs: 60_000 });
    const ana = await addAgent(s, 'Ana', 'agent');
    for (let i = 1; i <= 5; i++) await ana.call('notes.add', { customerId: 'cus_A', body: `n${i}` });
    const stream = await sse(s, ana.token, 'after=2');
    for (let i = 6; i <= 8; i++) await ana.call('notes.add', { customerId: 'cus_A', body: `n${i}` });
    await stream.waitFor((x) => x.id === '8');
    expect(stream.events.filter((x) => x.event === 'change').map((x) => Number(x.id))).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('revoking an agent refuses its next request and closes its open stream (woken by NOTIFY, not the poll)', async () => {
    const s = await server({ feedPollMs: 60_000 });
    const bo = await addAgent(s, 'Bo', 'agent');
    const stream = await sse(s, bo.token);
    expect(stream.status).toBe(200);
    await s.agents.revoke(bo.id);
    await stream.ended;
    expect(stream.events.at(-1)).toMatchObject({ event: 'closed' });
    expect(JSON.parse(stream.events.at(-1)!.data)).toEqual({ reason: 'This agent was revoked by the team.' });
    expect((await bo.get('/v1/me')).status).toBe(401);
    expect((await bo.call('notes.add', { customerId: 'cus_A', body: 'late' })).status).toBe(401);
  });

  it('snapshot: gzip NDJSON of the live state at seq S; pruned feed → 410 snapshot_required', async () => {
    const s = await server();
    const lee = await addAgent(s, 'Lee', 'lead');
    await lee.call('notes.add', { customerId: 'cus_A', body: 'a' });
    const view = await lee.call<{ id: number }>('dunning.views.save', { name: 'Big', filters: { amountMin: 100 }, sort: { by: 'amount' } });
    await lee.call('dunning.views.delete', { id: view.body.ok ? view.body.value.id : 0 });
    await lee.call('notes.add', { customerId: 'cus_B', body: 'b' });
    const res = await lee.get('/v1/snapshot');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('x-bsc-snapshot-seq')).toBe('4');
    // fetch decompresses; the raw read at the end proves the bytes on the wire are gzip.
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ format: 'bsc-team-snapshot/1', seq: 4, pruned_through: 0 });
    expect(lines.at(-1)).toEqual({ end: true, seq: 4, count: 2 });
    expect(lines.slice(1, -1).map((l) => [l.entity, l.data.body])).toEqual([['note', 'a'], ['note', 'b']]);
    await s.feed.prune(3);
    const behind = await lee.get('/v1/feed?after=1');
    expect(behind.status).toBe(410);
    const body = await jsonOf(behind);
    expect(body.error.details).toMatchObject({ snapshot_required: true, pruned_through: 3 });
    expect(body.error.message).toMatch(/take a new snapshot \(GET \/v1\/snapshot\)/);
    expect((await lee.get('/v1/feed?after=3')).status).toBe(200);
    const ahead = await lee.get('/v1/feed?after=99');
    expect(ahead.status).toBe(410);
    expect((await jsonOf(ahead)).error.message).toMatch(/restored or replaced/);
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then((http) =>
        http.get(`${s.url}/v1/snapshot`, { headers: { authorization: `Bearer ${lee.token}` } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c) => chunks.push(c));
          r.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      ).catch(reject);
    });
    expect(zlib.gunzipSync(raw).toString('utf8').split('\n')[0]).toContain('"seq":4');
  });
});

