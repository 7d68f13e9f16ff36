import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceWire } from '../../shared/contract/team-presence';
import type { TeamServer } from '../../electron/team-server/app';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, type TestAgent } from '../helpers/team-server';
import { openSse, type SseEvent, type SseReader } from '../helpers/sse';

// Presence on the team server: what a desk has open, reported to one instance, reaches the live
// streams of every instance on the database; it ends when the desk says so, when its heartbeats
// stop (the TTL) and when its agent is revoked. Ids and the agent's name only.

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

/** Two instances on one database. */
async function twoInstances(presenceTtlMs?: number): Promise<[TeamServer, TeamServer]> {
  const url = await pgs.newDatabase();
  const one = await startTestTeamServer(url, { presenceTtlMs });
  running.push(one);
  const two = await startTestTeamServer(url, { presenceTtlMs });
  running.push(two);
  return [one, two];
}

async function stream(s: TeamServer, agent: TestAgent): Promise<SseReader> {
  const r = await openSse(`${s.url}/v1/feed/stream?after=0`, { authorization: `Bearer ${agent.token}` });
  streams.push(r);
  return r;
}

function report(s: TeamServer, agent: TestAgent, body: unknown): Promise<Response> {
  return fetch(`${s.url}/v1/presence`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const presences = (r: SseReader) => r.events.filter((e) => e.event === 'presence').map((e) => JSON.parse(e.data) as PresenceWire);
const presenceOf = (agentId: string, open: 'open' | 'gone') => (e: SseEvent) => {
  if (e.event !== 'presence') return false;
  const p = JSON.parse(e.data) as PresenceWire;
  return p.agentId === agentId && (open === 'open' ? p.open !== null : p.open === null);
};

describe('team server: presence', () => {
  it('a case opened on a desk of instance 1 reaches a stream on instance 2 with the agent’s name and ids only; closing it ends it there', async () => {
    const [one, two] = await twoInstances();
    const ana = await addAgent(one, 'Ana Lima', 'agent');
    const ben = await addAgent(one, 'Ben Ode', 'agent');
    const onTwo = await stream(two, ben);
    const res = await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: 7 } });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ ok: true, ttlMs: 30_000 });
    const seen = JSON.parse((await onTwo.waitFor(presenceOf(ana.id, 'open'))).data);
    expect(seen).toEqual({ key: `${ana.id}/desk-ana-0001`, agentId: ana.id, agentName: 'Ana Lima', open: { customerId: 'cus_Presence01', caseId: 7 } });

    // A desk that connects later hears who is already there, on either instance.
    const late = await stream(one, ben);
    await late.waitFor(presenceOf(ana.id, 'open'));

    await report(two, ana, { desk: 'desk-ana-0001', open: null });
    await onTwo.waitFor(presenceOf(ana.id, 'gone'));
    await late.waitFor(presenceOf(ana.id, 'gone'));
  });

  it('a heartbeat of the same subject is not repeated to the desks; a new subject is', async () => {
    const [one, two] = await twoInstances();
    const ana = await addAgent(one, 'Ana Lima', 'agent');
    const ben = await addAgent(one, 'Ben Ode', 'agent');
    const onTwo = await stream(two, ben);
    await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: null } });
    await onTwo.waitFor(presenceOf(ana.id, 'open'));
    await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: null } });
    await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence02', caseId: null } });
    await onTwo.waitFor((e) => e.event === 'presence' && e.data.includes('cus_Presence02'));
    expect(presences(onTwo).map((p) => p.open?.customerId)).toEqual(['cus_Presence01', 'cus_Presence02']);
  });

  it('a presence whose heartbeats stop expires on every instance', async () => {
    const [one, two] = await twoInstances(400);
    const ana = await addAgent(one, 'Ana Lima', 'agent');
    const ben = await addAgent(one, 'Ben Ode', 'agent');
    const onOne = await stream(one, ben);
    const onTwo = await stream(two, ben);
    await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: 3 } });
    await onTwo.waitFor(presenceOf(ana.id, 'open'));
    // No heartbeat follows: both instances end it by themselves.
    await onOne.waitFor(presenceOf(ana.id, 'gone'));
    await onTwo.waitFor(presenceOf(ana.id, 'gone'));
    expect(one.presence.size).toBe(0);
    expect(two.presence.size).toBe(0);
  });

  it('a revoked agent’s presence goes with it on every instance', async () => {
    const [one, two] = await twoInstances();
    const ana = await addAgent(one, 'Ana Lima', 'agent');
    const ben = await addAgent(one, 'Ben Ode', 'agent');
    const onTwo = await stream(two, ben);
    await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: null } });
    await onTwo.waitFor(presenceOf(ana.id, 'open'));
    await one.agents.revoke(ana.id);
    await onTwo.waitFor(presenceOf(ana.id, 'gone'));
    const again = await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: null } });
    expect(again.status).toBe(401);
  });

  it('refuses a report that is not ids (a name, a note) in words and publishes nothing', async () => {
    const [one] = await twoInstances();
    const ana = await addAgent(one, 'Ana Lima', 'agent');
    const bad = await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'Jane Doe <jane@example.com>', caseId: null } });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error.message).toMatch(/^A presence report is \{desk, open: \{customerId, caseId\} \| null\}: open\.customerId: A customer id looks like cus_…\.$/);
    const extra = await report(one, ana, { desk: 'desk-ana-0001', open: { customerId: 'cus_Presence01', caseId: null, note: 'will pay Friday' } });
    expect(extra.status).toBe(400);
    const anon = await fetch(`${one.url}/v1/presence`, { method: 'POST', body: '{}' });
    expect(anon.status).toBe(401);
    expect(one.presence.size).toBe(0);
  });
});
