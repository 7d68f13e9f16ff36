import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import type { TeamPresenceEntry } from '../../shared/contract';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, startTestTeamServer, type TestAgent } from '../helpers/team-server';
import { startCuttableProxy, type CuttableProxy } from '../helpers/cuttable-proxy';
import { startTestDesk, until, type TestDesk } from '../helpers/team-desk';

// Presence between desks (services under Node, one team server on real PostgreSQL): what desk A
// has open is listed on desk B with A's agent's name, never on A itself; closing it, or A
// stopping, ends it on B; B forgets what it heard when it loses the live stream.

let pgs: TestPostgres;
let server: TeamServer;
let ana: TestAgent;
let ben: TestAgent;
let a: TestDesk;
let b: TestDesk;
let bProxy: CuttableProxy;
let aStopped = false;

beforeAll(async () => {
  pgs = await startTestPostgres();
  // A TTL far longer than any wait here: a presence ends only because a desk said so.
  // A small request budget per agent (30 at once): an agent moving down the queue must not spend it.
  server = await startTestTeamServer(await pgs.newDatabase(), { presenceTtlMs: 600_000, rateLimit: { perSecond: 1, burst: 30 } });
  ana = await addAgent(server, 'Ana Lima', 'agent');
  ben = await addAgent(server, 'Ben Ode', 'agent');
  bProxy = await startCuttableProxy(server.url);
  a = await startTestDesk(server.url, ana.token);
  b = await startTestDesk(bProxy.url, ben.token);
  for (const d of [a, b]) await until('desk online', () => d.desk.replica.status === 'online');
}, 60_000);

afterAll(async () => {
  if (!aStopped) await a?.dispose();
  await b?.dispose();
  await bProxy?.close();
  await server?.stop();
  await pgs?.close();
});

const listOn = (d: TestDesk) => d.call<TeamPresenceEntry[]>('team.presence.list');

describe('presence between two desks', () => {
  it("a case open on desk A is listed on desk B with Ana's name, not on A; closing it ends it on B", async () => {
    const open = { customerId: 'cus_PresenceDesk1', caseId: 41 };
    expect(await a.call('team.presence.report', { open })).toEqual({ reported: true });
    expect(await until('presence on B', async () => (await listOn(b)).length > 0 && listOn(b))).toEqual([{ agentId: ana.id, agentName: 'Ana Lima', customerId: 'cus_PresenceDesk1', caseId: 41 }]);
    expect(await listOn(a)).toEqual([]);
    // A close of something else (a screen that closed after the next one opened) ends nothing.
    expect(await a.call('team.presence.report', { closed: { customerId: 'cus_PresenceDesk1', caseId: null } })).toEqual({ reported: false });
    expect(await a.call('team.presence.report', { closed: open })).toEqual({ reported: true });
    await until('presence gone on B', async () => (await listOn(b)).length === 0);
  });

  it('an agent moving down the queue (40 cases opened and closed in a row) is heard where it stops, within its request budget', async () => {
    const moves: Array<Promise<unknown>> = [];
    for (let caseId = 100; caseId < 140; caseId++) {
      if (caseId > 100) moves.push(a.call('team.presence.report', { closed: { customerId: 'cus_PresenceDesk3', caseId: caseId - 1 } }));
      moves.push(a.call('team.presence.report', { open: { customerId: 'cus_PresenceDesk3', caseId } }));
    }
    await Promise.all(moves);
    await until('B hears the last case', async () => (await listOn(b)).some((p) => p.caseId === 139));
    expect(await listOn(b)).toEqual([{ agentId: ana.id, agentName: 'Ana Lima', customerId: 'cus_PresenceDesk3', caseId: 139 }]);
    await a.call('team.presence.report', { closed: { customerId: 'cus_PresenceDesk3', caseId: 139 } });
    await until('presence gone on B', async () => (await listOn(b)).length === 0);
  });

  it('desk B forgets who is looking when it loses the live stream, and hears it again once back', async () => {
    await a.call('team.presence.report', { open: { customerId: 'cus_PresenceDesk2', caseId: null } });
    await until('presence on B', async () => (await listOn(b)).length === 1);
    await bProxy.cut();
    await until('B offline', () => b.desk.replica.status === 'offline');
    expect(await listOn(b)).toEqual([]);
    await bProxy.restore();
    await until('presence on B again', async () => (await listOn(b)).length === 1, 30_000);
  });

  it("desk A stopping ends its presence on B (it says so rather than wait for the server's TTL)", async () => {
    await until('presence on B', async () => (await listOn(b)).some((p) => p.customerId === 'cus_PresenceDesk2'));
    aStopped = true;
    await a.dispose();
    await until('presence gone on B', async () => (await listOn(b)).length === 0);
  });
});
