import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { startTeamServer } from '../../electron/team-server/app';
import { staticAccounts } from '../../electron/team-server/stores/account-health';
import { inTransaction } from '../../electron/team-server/db';
import { stripeChange } from '../../electron/team-server/stores/feed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, startTestTeamServer, TEAM_ACCOUNT } from '../helpers/team-server';
import { openSse } from '../helpers/sse';
import { startStripeServer, type StripeServer } from '../stripe-server';

// What must hold when things go wrong: the live feed survives losing its LISTEN connection, and
// no secret the server was given appears in any response or log line, failures included.

let pgs: TestPostgres;
// The env key is adopted at start (the server asks Stripe whose it is): a loopback stand-in answers.
let stripe: StripeServer;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: TEAM_ACCOUNT });
});
afterAll(async () => {
  await stripe?.close();
  await pgs?.close();
});

describe('team server resilience', () => {
  it('a live stream keeps receiving changes after the LISTEN connection is killed', async () => {
    const s = await startTestTeamServer(await pgs.newDatabase(), { feedPollMs: 60_000 });
    try {
      const ana = await addAgent(s, 'Ana', 'agent');
      const stream = await openSse(`${s.url}/v1/feed/stream?after=0`, { authorization: `Bearer ${ana.token}` });
      await ana.call('notes.add', { customerId: 'cus_A', body: 'before' });
      await stream.waitFor((e) => e.id === '1');
      const killed = await s.pool.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'");
      expect(killed.rows.length).toBeGreaterThan(0);
      // Written until one arrives: the reconnect takes about a second, and a write during it is
      // caught by the read that follows the reconnect.
      let n = 1;
      const got = stream.waitFor((e) => e.event === 'change' && JSON.parse(e.data).data.body.startsWith('after'));
      let done = false;
      void got.then(() => (done = true));
      while (!done) {
        await ana.call('notes.add', { customerId: 'cus_A', body: `after ${n++}` });
        await Promise.race([got, new Promise((r) => setTimeout(r, 200))]);
      }
      const seqs = stream.events.filter((e) => e.event === 'change').map((e) => Number(e.id));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      stream.close();
    } finally {
      await s.stop();
    }
  });

  it('a revocation whose notification never came still closes the stream (the re-check of open streams)', async () => {
    const s = await startTestTeamServer(await pgs.newDatabase(), { feedPollMs: 300 });
    try {
      const bo = await addAgent(s, 'Bo', 'agent');
      const stream = await openSse(`${s.url}/v1/feed/stream?after=0`, { authorization: `Bearer ${bo.token}` });
      expect(stream.status).toBe(200);
      // Revoked behind the server's back: no NOTIFY is sent.
      await s.pool.query('UPDATE agents SET revoked_at = now() WHERE id = $1', [bo.id]);
      await stream.ended;
      expect(stream.events.at(-1)).toMatchObject({ event: 'closed' });
    } finally {
      await s.stop();
    }
  });

  it('a desk that stops reading its live stream is cut off (bounded memory) and told to resume from its seq', async () => {
    const s = await startTestTeamServer(await pgs.newDatabase(), { feedPollMs: 60_000, streamBufferBytes: 100_000 });
    try {
      const bo = await addAgent(s, 'Bo', 'agent');
      const http = await import('node:http');
      const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => http.get(`${s.url}/v1/feed/stream?after=0`, { headers: { authorization: `Bearer ${bo.token}` } }, resolve).on('error', reject));
      res.pause();
      while (s.hub.openStreams < 1) await new Promise((r) => setTimeout(r, 5));
      // Far more than the socket buffers hold, while the desk reads nothing.
      const big = 'x'.repeat(50_000);
      for (let i = 0; i < 8 && s.hub.openStreams > 0; i++) {
        await inTransaction(s.pool, (tx) => s.feed.append(tx, Array.from({ length: 40 }, (_, k) => stripeChange(TEAM_ACCOUNT, { id: `cus_${i}_${k}`, object: 'customer', pad: big } as { id: string; object: string }))));
        await new Promise((r) => setTimeout(r, 50));
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.resume();
      await new Promise((r) => res.on('end', r));
      expect(text).toMatch(/event: closed\ndata: \{"reason":"This desk read the live feed too slowly; reconnect from its last seq \(Last-Event-ID\)\."\}/);
      expect(s.hub.openStreams).toBe(0);
    } finally {
      await s.stop();
    }
  });

  it('an instance whose live position falls behind the pruned point closes its streams with "take a new snapshot"', async () => {
    const s = await startTestTeamServer(await pgs.newDatabase(), { feedPollMs: 60_000 });
    try {
      const bo = await addAgent(s, 'Bo', 'agent');
      const stream = await openSse(`${s.url}/v1/feed/stream?after=0`, { authorization: `Bearer ${bo.token}` });
      while (s.hub.openStreams < 1) await new Promise((r) => setTimeout(r, 5));
      // Entries appended and pruned in one commit: the instance wakes to a feed that no longer has them.
      await inTransaction(s.pool, async (tx) => {
        await s.feed.append(tx, [stripeChange(TEAM_ACCOUNT, { id: 'cus_gone', object: 'customer' })]);
        await tx.query('DELETE FROM feed_entries');
        await tx.query('UPDATE feed_horizon SET pruned_through = (SELECT max(seq) FROM feed_latest)');
      });
      await stream.ended;
      expect(JSON.parse(stream.events.at(-1)!.data).reason).toMatch(/take a new snapshot \(GET \/v1\/snapshot\)/);
      // The instance carries on from the head: a new stream gets the next change.
      const again = await openSse(`${s.url}/v1/feed/stream?after=${await s.feed.head()}`, { authorization: `Bearer ${bo.token}` });
      await bo.call('notes.add', { customerId: 'cus_A', body: 'after the gap' });
      await again.waitFor((e) => e.event === 'change');
      again.close();
    } finally {
      await s.stop();
    }
  });

  it('no secret reaches a response or a log line, failures included', async () => {
    const secrets = { STRIPE_SECRET_KEY: 'sk_test_SecretStripe0123456789', OPENAI_API_KEY: 'sk-proj-SecretModelKey0123456789abcdef', BSC_TEAM_SECRET: 'team secret value 0123456789', STRIPE_WEBHOOK_SECRET: 'whsec_SecretWebhook0123456789' };
    const lines: string[] = [];
    const redactor = new Redactor();
    for (const v of Object.values(secrets)) redactor.remember(v);
    const url = await pgs.newDatabase();
    const s = await startTeamServer({
      env: { BSC_TEAM_LISTEN: '127.0.0.1:0', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', STRIPE_API_BASE: stripe.url, ...secrets },
      databaseUrl: url,
      health: staticAccounts([{ id: TEAM_ACCOUNT, backfill_complete: false, leader: true }]),
      redactor,
      log: createLogger(redactor, (l) => lines.push(l), 'debug'),
      stripe: async () => {
        throw new Error(`connection refused using ${secrets.STRIPE_SECRET_KEY}`);
      },
    });
    try {
      const ana = await addAgent(s, 'Ana', 'admin');
      const bodies: string[] = [];
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        bodies.push(await res.text());
      };
      await post('/v1/call/portal.createLink', { customerId: 'cus_1', flow: 'home', returnUrl: 'https://example.com' });
      await post('/v1/call/notes.add', { customerId: secrets.STRIPE_SECRET_KEY, body: secrets.OPENAI_API_KEY });
      await post('/v1/openai/chat/completions', { model: 'm', messages: [] });
      await post('/v1/call/no.such', {});
      for (const path of ['/healthz', '/v1/me', '/v1/feed?after=0', '/v1/snapshot', '/v1/openai/models']) bodies.push(await (await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${ana.token}` } })).text());
      const everything = [...bodies, ...lines].join('\n');
      expect(bodies.length).toBe(9);
      expect(lines.length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(secrets)) expect(everything.includes(value), name).toBe(false);
    } finally {
      await s.stop();
    }
  });
});
