import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Dunning writes on a team: assignment names a real agent of the team (by name or id), stage moves
// follow the desk's stage machine with refusals in words, and history names who did it.

let pgs: TestPostgres;
let server: TeamServer;
let ana: TestAgent;
let lee: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  server = await startTestTeamServer(await pgs.newDatabase());
  ana = await addAgent(server, 'Ana Lima', 'agent');
  lee = await addAgent(server, 'Lee', 'lead');
});
afterAll(async () => {
  await server?.stop();
  await pgs?.close();
});

const newCase = async () => (await inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId: 'cus_D', invoiceId: 'in_D', subscriptionId: null, amountAtRisk: 900, currency: 'eur', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: 1_700_000_000 }))).id;
const caseRow = async (id: number) => (await server.pool.query('SELECT stage, assignee, assignee_agent_id, closed_reason FROM dunning_cases WHERE id = $1', [id])).rows[0];

describe('team dunning writes', () => {
  it('assigns to an agent by name (any case) or by id; an unknown name is refused and nothing changes', async () => {
    const a = await newCase();
    const b = await newCase();
    expect((await lee.call('dunning.assign', { caseIds: [a], assignee: 'ana lima' })).body).toEqual({ ok: true, value: { updated: [a] } });
    expect(await caseRow(a)).toMatchObject({ assignee: 'Ana Lima', assignee_agent_id: ana.id });
    expect((await lee.call('dunning.assign', { caseIds: [b], assignee: ana.id })).body).toEqual({ ok: true, value: { updated: [b] } });
    expect(await caseRow(b)).toMatchObject({ assignee: 'Ana Lima', assignee_agent_id: ana.id });
    const unknown = await lee.call('dunning.assign', { caseIds: [a, b], assignee: 'Nobody' });
    expect(unknown.status).toBe(404);
    expect(!unknown.body.ok && unknown.body.error.message).toBe('No active agent called "Nobody" on this team (a name or an agt_… id). Nothing was assigned.');
    expect((await lee.call('dunning.assign', { caseIds: [a], assignee: null })).body).toEqual({ ok: true, value: { updated: [a] } });
    expect(await caseRow(a)).toMatchObject({ assignee: null, assignee_agent_id: null });
    const history = (await server.pool.query("SELECT actor, detail FROM dunning_history WHERE case_id = $1 AND kind = 'assigned' ORDER BY id", [a])).rows;
    expect(history).toEqual([{ actor: 'Lee', detail: 'Ana Lima' }, { actor: 'Lee', detail: 'unassigned' }]);
  });

  it('moves stages with the desk\'s rules: the same stage and a closed case are refused in words, per case', async () => {
    const a = await newCase();
    const moved = await ana.call('dunning.setStage', { caseIds: [a], stage: 'contacted' });
    expect(moved.body).toEqual({ ok: true, value: { moved: [a], refused: [] } });
    const same = await ana.call('dunning.setStage', { caseIds: [a], stage: 'contacted' });
    expect(same.body).toEqual({ ok: true, value: { moved: [], refused: [{ caseId: a, reason: 'The case is already contacted.' }] } });
    expect((await lee.call('dunning.setStage', { caseIds: [a], stage: 'lost' })).body).toMatchObject({ ok: true, value: { moved: [a] } });
    expect(await caseRow(a)).toMatchObject({ stage: 'lost', closed_reason: 'manual' });
    const closed = await lee.call('dunning.setStage', { caseIds: [a, 424242], stage: 'new' });
    expect(closed.body).toEqual({ ok: true, value: { moved: [], refused: [{ caseId: a, reason: 'The case is closed (lost); a new failure opens a new case.' }, { caseId: 424242, reason: 'There is no such case.' }] } });
    const audit = (await server.pool.query("SELECT actor, result FROM audit_log WHERE action = 'dunning.stage' AND target_id = $1 ORDER BY id", [String(a)])).rows;
    expect(audit).toEqual([{ actor: 'Ana Lima', result: 'ok' }, { actor: 'Ana Lima', result: 'refused' }, { actor: 'Lee', result: 'ok' }, { actor: 'Lee', result: 'refused' }]);
  });
});
