import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { applyObject } from '../../electron/team-server/mirror/apply';
import type { StripeObjectLike } from '../../electron/team-server/mirror/rules';
import { PgMirrorTx } from '../../electron/team-server/stores/stripe-mirror';
import { queueCsv } from '../../electron/services/dunning/csv';
import { allDunningCases } from '../../electron/services/dunning/queue-query';
import type { DunningFilters, DunningSort } from '../../shared/contract/dunning';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { startTestDesk, type TestDesk } from '../helpers/team-desk';
import { addAgent, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// The team queue's CSV export (leads): from the server's cases and mirror, the same file a desk
// builds from its replica of that state with the same filter (the solo desk's CSV builder and
// queue filter), and refused to agents in words.

const START_MS = Date.now();
let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let desk: TestDesk;
let ana: TestAgent;
let lee: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: TEAM_ACCOUNT });
  server = await startTestTeamServer(await pgs.newDatabase());
  await server.pool.query('INSERT INTO stripe_accounts (id, name) VALUES ($1, $2)', [TEAM_ACCOUNT, 'Team test']);
  ana = await addAgent(server, 'Ana', 'agent');
  lee = await addAgent(server, 'Lee', 'lead');
  // Customers (one whose name a spreadsheet would run as a formula), their invoices, and cases in several stages.
  const client = await server.pool.connect();
  const cases: number[] = [];
  try {
    await client.query('BEGIN');
    const m = new PgMirrorTx(client, TEAM_ACCOUNT, server.feed);
    const people = [
      ['Grace Hopper', 'grace@example.com', 12_000, 'usd', 'insufficient_funds', 'insufficient_funds'],
      ['=HYPERLINK("x")', 'evil@example.com', 500_000, 'jpy', 'stolen_card', 'hard'],
      ['Alan, "the" Turing', 'alan@example.com', 3_300, 'eur', 'expired_card', 'expired_card'],
    ] as const;
    for (const [name, email, amount, currency, declineCode, category] of people) {
      const cus = stripeServer.store.createCustomer({ name, email });
      const inv = stripeServer.store.createInvoice({ customer: cus.id as string, amount, currency });
      await applyObject(m, cus as unknown as StripeObjectLike, 1, 'latest');
      await applyObject(m, stripeServer.store.invoiceById(inv.id as string) as unknown as StripeObjectLike, 1, 'latest');
      const c = await openDunningCase(client, server.feed, { accountId: TEAM_ACCOUNT, customerId: cus.id as string, invoiceId: inv.id as string, subscriptionId: null, amountAtRisk: amount, currency, failureMark: 1, declineCode, category, openedAt: Math.floor(START_MS / 1000) - cases.length * 5 * 86_400 });
      cases.push(c.id);
    }
    await m.flush();
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await lee.call('dunning.assign', { caseIds: [cases[0]], assignee: 'Ana' });
  await lee.call('dunning.setStage', { caseIds: [cases[2]], stage: 'lost' });
  desk = await startTestDesk(server.url, lee.token, { follow: false });
  await desk.desk.replica.pull();
});
afterAll(async () => {
  await desk?.dispose();
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

/** What a desk exports from its replica with this filter: the solo desk's code over the same state. */
function deskCsv(filters: DunningFilters, sort: Required<DunningSort>): string {
  return queueCsv(allDunningCases(desk.ctx.db, desk.ctx.registries.queueSnapshots, TEAM_ACCOUNT, { filters, sort }, Math.floor(Date.now() / 1000)), Date.now()).csv;
}

describe('team server: dunning.exportCsv', () => {
  const queries: Array<[string, DunningFilters, Required<DunningSort>]> = [
    ['the open queue by amount', {}, { by: 'amount', dir: 'desc' }],
    ['every stage, oldest first', { stages: ['new', 'contacted', 'awaiting_customer', 'recovered', 'lost'] }, { by: 'age', dir: 'desc' }],
    ["one agent's cases", { assignee: 'ana' }, { by: 'amount', dir: 'asc' }],
    ['a text search', { query: 'HYPERLINK' }, { by: 'amount', dir: 'desc' }],
    ['written off only', { stages: ['lost'] }, { by: 'amount', dir: 'desc' }],
  ];
  for (const [what, filters, sort] of queries) {
    it(`${what}: the same CSV as the desk's export of the same state`, async () => {
      const r = await lee.call<{ filename: string; csv: string; rows: number }>('dunning.exportCsv', { filters, sort });
      expect(r.body.ok).toBe(true);
      if (!r.body.ok) return;
      expect(r.body.value.csv).toBe(deskCsv(filters, sort));
      expect(r.body.value.filename).toMatch(/^dunning-\d{12}\.csv$/);
      expect(r.body.value.rows).toBe(r.body.value.csv.trimEnd().split('\r\n').length - 1);
    });
  }

  it('holds what a lead reads: the filtered cases, customer names spreadsheet-safe', async () => {
    const r = await lee.call<{ csv: string; rows: number }>('dunning.exportCsv', {});
    expect(r.body).toMatchObject({ ok: true, value: { rows: 2 } });
    const csv = r.body.ok ? r.body.value.csv : '';
    expect(csv).toContain(`'=HYPERLINK(""x"")`);
    expect(csv).toContain('grace@example.com');
    expect(csv).not.toContain('alan@example.com');
  });

  it('an agent is refused in words; a team desk forwards the call (an agent cannot export from the replica)', async () => {
    const r = await ana.call('dunning.exportCsv', {});
    expect(r.status).toBe(403);
    expect(!r.body.ok && r.body.error.message).toBe('Refused: exporting the queue as CSV needs a team lead (or higher); you are an agent.');
    const agentDesk = await startTestDesk(server.url, ana.token, { follow: false });
    try {
      await expect(agentDesk.call('dunning.exportCsv', {})).rejects.toThrow('Refused: exporting the queue as CSV needs a team lead (or higher); you are an agent.');
    } finally {
      await agentDesk.dispose();
    }
    expect(await desk.call<{ rows: number }>('dunning.exportCsv', {})).toMatchObject({ rows: 2 });
  });
});
