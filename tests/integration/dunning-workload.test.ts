import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices, type TestServices } from '../helpers/services';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { DunningMetrics } from '../../shared/contract/dunning';

// The lead's per-agent view (dunning.metrics → byAssignee), computed from the desk's own cases:
// each agent's open cases, amount at risk per currency and recoveries of the last 90 days, one
// row per team agent id even after a rename, unassigned as its own row, last.

describe('dunning workload per assignee', () => {
  let s: TestServices;
  const nowS = Math.floor(Date.now() / 1000);
  const caseOf = (invoice: string) => (s.ctx.db.prepare('SELECT id FROM dunning_cases WHERE invoice_id = ?').get(invoice) as { id: number }).id;
  const assign = (invoice: string, name: string | null, agentId: string | null) =>
    s.ctx.db.prepare('UPDATE dunning_cases SET assignee = ?, assignee_agent_id = ? WHERE id = ?').run(name, agentId, caseOf(invoice));

  beforeAll(async () => {
    s = await testServices({ skipDemoSeed: true });
    const rows = new StripeRows(s.ctx.db, 'demo', nowS);
    const spec: Array<[string, string, number, string]> = [
      ['in_w1', 'cus_w1', 120_00, 'usd'],
      ['in_w2', 'cus_w2', 30_00, 'usd'],
      ['in_w3', 'cus_w3', 15_000, 'jpy'],
      ['in_w4', 'cus_w4', 80_00, 'eur'],
      ['in_w5', 'cus_w5', 5_00, 'usd'],
      ['in_w6', 'cus_w6', 60_00, 'usd'],
      ['in_old', 'cus_w6', 70_00, 'usd'],
    ];
    for (const [inv, cus, amount, currency] of spec) {
      rows.customer(cus);
      rows.invoice(inv, { customer: cus, amountDue: amount, currency, failures: [{ declineCode: 'insufficient_funds', created: nowS - (inv === 'in_old' ? 200 : 3) * DAY }] });
    }
    reconcileDunning(s.ctx, 'demo');
    // Ana (agt_ana) holds two USD cases and a JPY one; renamed since her first assignment.
    assign('in_w1', 'Ana Lima', 'agt_ana');
    assign('in_w2', 'Ana L.', 'agt_ana');
    assign('in_w3', 'Ana Lima', 'agt_ana');
    assign('in_w4', 'Ben Ode', 'agt_ben');
    // Ben recovered one lately and one long ago (outside the 90 days).
    assign('in_w6', 'Ben Ode', 'agt_ben');
    assign('in_old', 'Ben Ode', 'agt_ben');
    rows.invoice('in_w6', { customer: 'cus_w6', amountDue: 60_00, status: 'paid', paidAt: nowS - DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - 3 * DAY }] });
    rows.invoice('in_old', { customer: 'cus_w6', amountDue: 70_00, status: 'paid', paidAt: nowS - 150 * DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - 200 * DAY }] });
    reconcileDunning(s.ctx, 'demo');
    s.ctx.db.prepare("UPDATE dunning_cases SET closed_at = ? WHERE invoice_id = 'in_old'").run(nowS - 150 * DAY);
  });
  const workload = async () => {
    const r = await s.table.dispatch('dunning.metrics', {}, { actor: 'lead' });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as DunningMetrics).byAssignee;
  };
  afterAll(async () => {
    await s.dispose();
  });

  it("shows each agent's open cases, amount at risk per currency and recoveries in the period; unassigned last", async () => {
    const byAssignee = await workload();
    expect(byAssignee).toEqual([
      {
        agentId: 'agt_ana',
        assignee: 'Ana Lima',
        openCases: 3,
        atRisk: [
          { currency: 'jpy', amount: 15_000, count: 1 },
          { currency: 'usd', amount: 150_00, count: 2 },
        ],
        recovered90: [],
      },
      {
        agentId: 'agt_ben',
        assignee: 'Ben Ode',
        openCases: 1,
        atRisk: [{ currency: 'eur', amount: 80_00, count: 1 }],
        recovered90: [{ currency: 'usd', amount: 60_00, count: 1 }],
      },
      { agentId: null, assignee: null, openCases: 1, atRisk: [{ currency: 'usd', amount: 5_00, count: 1 }], recovered90: [] },
    ]);
  });

  it('a solo desk groups by the free-text name', async () => {
    assign('in_w4', 'Cleo', null);
    const byAssignee = await workload();
    expect(byAssignee.map((w) => [w.assignee, w.agentId, w.openCases])).toEqual([
      ['Ana Lima', 'agt_ana', 3],
      ['Cleo', null, 1],
      ['Ben Ode', 'agt_ben', 0],
      [null, null, 1],
    ]);
  });
});
