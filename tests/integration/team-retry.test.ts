import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { createStripeClient } from '../../electron/services/stripe/client';
import type { RetryOutcome } from '../../shared/contract/dunning';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Payment retries through the team server against the loopback Stripe server (real SDK): one
// charge per attempt however often the desk forwards it, the desk's policy on hard declines, the
// agent's role, audit and history naming the authenticated agent, the outcome in the feed.

let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let ana: TestAgent;
let lee: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: TEAM_ACCOUNT });
  const stripe = createStripeClient('sk_test_teamRetry00000001', { apiBase: stripeServer.url, maxNetworkRetries: 0 });
  server = await startTestTeamServer(await pgs.newDatabase(), { stripe: async () => stripe });
  ana = await addAgent(server, 'Ana', 'agent');
  lee = await addAgent(server, 'Lee', 'lead');
});
afterAll(async () => {
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

/** An open invoice whose first attempt was declined this way, and the team's case for it. */
async function failingCase(declineCode: string, category: string, amount = 5_000): Promise<{ caseId: number; invoiceId: string; customerId: string }> {
  const cus = stripeServer.store.createCustomer({ email: `c${Math.random().toString(36).slice(2, 8)}@example.com`, paymentMethod: 'pm_card_visa' });
  const inv = stripeServer.store.createInvoice({ customer: cus.id, amount });
  stripeServer.store.finalizeInvoice(inv.id);
  stripeServer.store.setNextPayOutcome(inv.id, { declineCode });
  expect(() => stripeServer.store.payInvoice(inv.id)).toThrow();
  const c = await inTransaction(server.pool, (tx) =>
    openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId: cus.id as string, invoiceId: inv.id as string, subscriptionId: null, amountAtRisk: amount, currency: 'usd', failureMark: 1, declineCode, category, openedAt: 1_700_000_000 }),
  );
  return { caseId: c.id, invoiceId: inv.id as string, customerId: cus.id as string };
}

const payRequests = (invoiceId: string) => stripeServer.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${invoiceId}/pay`);
const charges = (customerId: string) => stripeServer.store.collection('charge').all().filter((c) => c.customer === customerId && c.status === 'succeeded').length;

describe('team server: payment retry', () => {
  it('an agent retries a soft decline: paid, case recovered, one charge even when the click is forwarded three times', async () => {
    const { caseId, invoiceId, customerId } = await failingCase('insufficient_funds', 'insufficient_funds', 7_500);
    const results = await Promise.all([1, 2, 3].map(() => ana.call<RetryOutcome>('dunning.retry', { caseId })));
    // A forward that overlaps the first shares its answer; one that arrives after it finished finds the case closed.
    const succeeded = results.filter((r) => r.body.ok);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    for (const r of succeeded) expect(r.body).toMatchObject({ ok: true, value: { result: 'succeeded', amountPaid: 7_500, currency: 'usd' } });
    for (const r of results.filter((x) => !x.body.ok)) expect(!r.body.ok && r.body.error.message).toBe('The case is closed (recovered); there is nothing to retry.');
    expect(charges(customerId)).toBe(1);
    expect(payRequests(invoiceId).filter((r) => !r.idempotentReplay)).toHaveLength(1);
    const c = (await server.pool.query('SELECT stage, closed_reason, recovered_amount FROM dunning_cases WHERE id = $1', [caseId])).rows[0];
    expect(c).toEqual({ stage: 'recovered', closed_reason: 'paid', recovered_amount: 7_500 });
    const audit = (await server.pool.query("SELECT agent_id, actor, result, params->>'idempotency_key' AS key FROM audit_log WHERE action = 'dunning.retry' AND target_id = $1", [invoiceId])).rows;
    expect(audit).toEqual([{ agent_id: ana.id, actor: 'Ana', result: 'ok', key: succeeded[0].body.ok ? succeeded[0].body.value.idempotencyKey : '' }]);
    expect((await server.pool.query("SELECT count(*)::int AS n FROM dunning_history WHERE case_id = $1 AND kind = 'retry'", [caseId])).rows[0].n).toBe(1);
    const feed = await jsonOf(await ana.get('/v1/feed?after=0&limit=1000'));
    expect(feed.entries.some((e: { entity: string; data: { id?: number; stage?: string } }) => e.entity === 'dunning_case' && e.data.id === caseId && e.data.stage === 'recovered')).toBe(true);
    // Closed now: a further retry is a conflict in words, and Stripe is not asked.
    const again = await ana.call('dunning.retry', { caseId });
    expect(again.status).toBe(409);
    expect(payRequests(invoiceId).filter((r) => !r.idempotentReplay)).toHaveLength(1);
  });

  it('a forward repeated with its Idempotency-Key (its answer was lost) gets the same outcome, not a step of it', async () => {
    const { caseId, invoiceId } = await failingCase('insufficient_funds', 'insufficient_funds', 3_100);
    const send = () =>
      fetch(`${server.url}/v1/call/dunning.retry`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json', 'idempotency-key': `lost-answer-${caseId}` }, body: JSON.stringify({ caseId }) }).then((r) => r.json());
    const first = await send();
    expect(first).toMatchObject({ ok: true, value: { result: 'succeeded', amountPaid: 3_100 } });
    expect(await send()).toEqual(first);
    expect(payRequests(invoiceId).filter((r) => !r.idempotentReplay)).toHaveLength(1);
  });

  it('a new decline comes back in words; the next retry is a new attempt', async () => {
    const { caseId, invoiceId } = await failingCase('insufficient_funds', 'insufficient_funds');
    stripeServer.store.setNextPayOutcome(invoiceId, { declineCode: 'do_not_honor' });
    const r = await ana.call<RetryOutcome>('dunning.retry', { caseId });
    expect(r.body).toMatchObject({ ok: true, value: { result: 'declined', declineCode: 'do_not_honor' } });
    const second = await ana.call<RetryOutcome>('dunning.retry', { caseId });
    expect(second.body.ok && r.body.ok && second.body.value.idempotencyKey).not.toBe(r.body.ok && r.body.value.idempotencyKey);
    expect(payRequests(invoiceId).filter((x) => !x.idempotentReplay)).toHaveLength(2);
  });

  it('a hard decline: an agent is refused by role, a lead by the policy, and Stripe is never asked', async () => {
    const { caseId, invoiceId } = await failingCase('stolen_card', 'hard');
    const byAgent = await ana.call('dunning.retry', { caseId });
    expect(byAgent.status).toBe(403);
    expect(!byAgent.body.ok && byAgent.body.error.message).toBe('Refused: retrying a payment after a decline Stripe would not retry needs a team lead (or higher); you are an agent.');
    const byLead = await lee.call('dunning.retry', { caseId });
    expect(byLead.status).toBe(422);
    expect(!byLead.body.ok && byLead.body.error.message).toMatch(/^Retry refused: the card was declined with "stolen_card"/);
    expect(payRequests(invoiceId)).toHaveLength(0);
    const refused = (await server.pool.query("SELECT actor, result FROM audit_log WHERE action = 'dunning.retry' AND target_id = $1", [invoiceId])).rows;
    expect(refused).toEqual([{ actor: 'Lee', result: 'refused' }]);
  });
});
