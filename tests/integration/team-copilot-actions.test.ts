import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { applyObject } from '../../electron/team-server/mirror/apply';
import type { StripeObjectLike } from '../../electron/team-server/mirror/rules';
import { PgMirrorTx } from '../../electron/team-server/stores/stripe-mirror';
import { createStripeClient } from '../../electron/services/stripe/client';
import { recordProposal } from '../../electron/services/copilot/actions/proposals';
import type { CopilotActionType, CopilotConfirmResult } from '../../shared/contract/copilot';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedPortalConfiguration } from '../stripe-server/routes/billing-portal';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { startTestDesk } from '../helpers/team-desk';
import { addAgent, jsonOf, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Confirmed copilot actions on a team, over real PostgreSQL and the loopback Stripe server: the
// desk brings the proposal its copilot showed, the server runs it through the button's call with
// that call's role rule, once however often it is confirmed, audited with the agent, and the
// outcome reaches desks through the feed.

let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let ana: TestAgent;
let lee: TestAgent;
let ada: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: TEAM_ACCOUNT });
  seedPortalConfiguration(stripeServer.store, { isDefault: true, features: { payment_method_update: { enabled: true } } });
  const stripe = createStripeClient('sk_test_teamCopilot0000001', { apiBase: stripeServer.url, maxNetworkRetries: 0 });
  server = await startTestTeamServer(await pgs.newDatabase(), { stripe: async () => stripe, rateLimit: { perSecond: 1000, burst: 1000 } });
  ana = await addAgent(server, 'Ana', 'agent');
  lee = await addAgent(server, 'Lee', 'lead');
  ada = await addAgent(server, 'Ada', 'admin');
  await ada.call('portal.settings.set', { returnUrl: 'https://example.com/account' });
  await server.pool.query('INSERT INTO stripe_accounts (id, name) VALUES ($1, $2)', [TEAM_ACCOUNT, 'Team test']);
});
afterAll(async () => {
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

let n = 0;
const args = (a: Partial<{ invoiceId: string; subscriptionId: string; flow: string }> = {}) => ({ invoiceId: null, subscriptionId: null, flow: null, retryAt: null, ...a });

/** The proposal as a desk's copilot recorded it, brought to the server by `who`. */
async function bring(who: TestAgent, customerId: string, type: CopilotActionType, a: ReturnType<typeof args>): Promise<string> {
  const proposalId = `prop_test${String(++n).padStart(8, '0')}`;
  const res = await fetch(`${server.url}/v1/copilot/proposals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ proposalId, customerId, type, args: a, title: 'Do it', reason: 'Because the data says so.', source: 'state' }),
  });
  expect(res.status).toBe(200);
  return proposalId;
}

/** Puts Stripe objects into the server's mirror, as its sync would. */
async function mirror(...objs: unknown[]): Promise<void> {
  const client = await server.pool.connect();
  try {
    await client.query('BEGIN');
    const m = new PgMirrorTx(client, TEAM_ACCOUNT, server.feed);
    for (const o of objs) await applyObject(m, o as StripeObjectLike, stripeServer.clock.now(), 'latest');
    await m.flush();
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

const newCustomer = () => stripeServer.store.createCustomer({ email: `c${++n}@example.com`, paymentMethod: 'pm_card_visa' });
const requests = (method: string, path: string) => stripeServer.requests.filter((r) => r.method === method && r.path === path && !r.idempotentReplay);
const audit = async (action: string, customerId: string) => (await server.pool.query('SELECT agent_id, actor, result FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id', [action, customerId])).rows;
const feedAfter = async (seq: number) => (await jsonOf(await ana.get(`/v1/feed?after=${seq}&limit=1000`))).entries as Array<{ entity: string; data: Record<string, unknown> }>;
const head = async () => Number((await server.pool.query('SELECT coalesce(max(seq), 0) AS s FROM feed_entries')).rows[0].s);

describe('team server: confirmed copilot actions', () => {
  it('a portal link confirmed three times (two at once) makes one Stripe session, one audit row, and reaches desks through the feed', async () => {
    const cus = newCustomer().id as string;
    const id = await bring(ana, cus, 'send_portal_link', args({ flow: 'payment_method_update' }));
    const before = await head();
    const sessionsBefore = requests('POST', '/v1/billing_portal/sessions').length;
    const [a, b] = await Promise.all([ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: cus, proposalId: id }), ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: cus, proposalId: id })]);
    const c = await ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: cus, proposalId: id });
    expect(a.body).toMatchObject({ ok: true, value: { proposalId: id, type: 'send_portal_link', status: 'confirmed', portalLink: { flow: 'payment_method_update', simulated: false } } });
    const url = a.body.ok && a.body.value.portalLink?.url;
    expect(b.body.ok && b.body.value.portalLink?.url).toBe(url);
    expect(c.body).toMatchObject({ ok: true, value: { alreadyDone: true, portalLink: { url } } });
    expect(requests('POST', '/v1/billing_portal/sessions')).toHaveLength(sessionsBefore + 1);
    expect(await audit('copilot.confirm', cus)).toEqual([{ agent_id: ana.id, actor: 'Ana', result: 'ok' }]);
    expect(await audit('portal.create_link', cus)).toEqual([{ agent_id: ana.id, actor: 'Ana', result: 'ok' }]);
    const links = (await feedAfter(before)).filter((e) => e.entity === 'portal_link' && e.data.customerId === cus);
    expect(links).toHaveLength(1);
    expect(links[0].data).toMatchObject({ createdBy: 'Ana', url });
  });

  it('a retry follows dunning.retry: an agent is refused a hard decline (Stripe not asked), a soft one is paid and the case recovered', async () => {
    const failing = async (declineCode: string, category: string) => {
      const cus = newCustomer();
      const inv = stripeServer.store.createInvoice({ customer: cus.id as string, amount: 4_200 });
      stripeServer.store.finalizeInvoice(inv.id as string);
      stripeServer.store.setNextPayOutcome(inv.id as string, { declineCode });
      expect(() => stripeServer.store.payInvoice(inv.id as string)).toThrow();
      const kase = await inTransaction(server.pool, (tx) =>
        openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId: cus.id as string, invoiceId: inv.id as string, subscriptionId: null, amountAtRisk: 4_200, currency: 'usd', failureMark: 1, declineCode, category, openedAt: 1_700_000_000 }),
      );
      return { cus: cus.id as string, inv: inv.id as string, caseId: kase.id };
    };
    const hard = await failing('stolen_card', 'hard');
    const hardId = await bring(ana, hard.cus, 'retry_payment', args({ invoiceId: hard.inv }));
    const refused = await ana.call('copilot.confirmAction', { customerId: hard.cus, proposalId: hardId });
    expect(refused.status).toBe(403);
    expect(!refused.body.ok && refused.body.error.message).toBe('Refused: retrying a payment after a decline Stripe would not retry needs a team lead (or higher); you are an agent.');
    expect(requests('POST', `/v1/invoices/${hard.inv}/pay`)).toHaveLength(0);
    expect((await server.pool.query('SELECT status FROM copilot_proposals WHERE id = $1', [hardId])).rows[0].status).toBe('proposed');

    const soft = await failing('insufficient_funds', 'insufficient_funds');
    const softId = await bring(ana, soft.cus, 'retry_payment', args({ invoiceId: soft.inv }));
    const before = await head();
    const ok = await ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: soft.cus, proposalId: softId });
    expect(ok.body).toMatchObject({ ok: true, value: { status: 'confirmed', message: 'The payment succeeded: the invoice is paid and the case is recovered.' } });
    expect(stripeServer.store.invoiceById(soft.inv).status).toBe('paid');
    expect((await feedAfter(before)).some((e) => e.entity === 'dunning_case' && e.data.id === soft.caseId && e.data.stage === 'recovered')).toBe(true);
    const again = await ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: soft.cus, proposalId: softId });
    expect(again.body).toMatchObject({ ok: true, value: { alreadyDone: true } });
    expect(requests('POST', `/v1/invoices/${soft.inv}/pay`)).toHaveLength(1);
  });

  it("cancelling a subscription needs a lead; it must be this customer's in the mirror; the lead's confirm asks Stripe once", async () => {
    const product = stripeServer.store.createProduct({ name: 'Pro' });
    const price = stripeServer.store.createPrice({ product: product.id as string, unitAmount: 1_000, currency: 'usd', interval: 'month' });
    const cus = newCustomer();
    const other = newCustomer();
    const sub = stripeServer.store.createSubscription({ customer: cus.id as string, items: [{ price: price.id as string }] });
    const otherSub = stripeServer.store.createSubscription({ customer: other.id as string, items: [{ price: price.id as string }] });
    await mirror(cus, other, stripeServer.store.subscriptionById(sub.id as string), stripeServer.store.subscriptionById(otherSub.id as string));
    const byAgent = await ana.call('copilot.confirmAction', { customerId: cus.id, proposalId: await bring(ana, cus.id as string, 'cancel_subscription', args({ subscriptionId: sub.id as string })) });
    expect(byAgent.status).toBe(403);
    expect(!byAgent.body.ok && byAgent.body.error.message).toBe("Refused: cancelling a customer's subscription needs a team lead (or higher); you are an agent.");
    const notTheirs = await lee.call('copilot.confirmAction', { customerId: cus.id, proposalId: await bring(lee, cus.id as string, 'cancel_subscription', args({ subscriptionId: otherSub.id as string })) });
    expect(notTheirs.status).toBe(404);
    expect(!notTheirs.body.ok && notTheirs.body.error.message).toBe(`Subscription ${otherSub.id} is not one of this customer's on the team server. Nothing was done.`);
    const id = await bring(lee, cus.id as string, 'cancel_subscription', args({ subscriptionId: sub.id as string }));
    const ok = await lee.call('copilot.confirmAction', { customerId: cus.id, proposalId: id });
    expect(ok.body).toMatchObject({ ok: true, value: { status: 'confirmed', message: 'The subscription will cancel at the end of the current period.' } });
    await lee.call('copilot.confirmAction', { customerId: cus.id, proposalId: id });
    expect(stripeServer.store.subscriptionById(sub.id as string).cancel_at_period_end).toBe(true);
    expect(stripeServer.store.subscriptionById(otherSub.id as string).cancel_at_period_end).toBe(false);
    expect(requests('POST', `/v1/subscriptions/${sub.id}`)).toHaveLength(1);
    expect(requests('POST', `/v1/subscriptions/${otherSub.id}`)).toHaveLength(0);
  });

  it('a refund escalation confirmed twice at once adds one note, in the feed', async () => {
    const cus = newCustomer();
    const inv = stripeServer.store.createInvoice({ customer: cus.id as string, amount: 900 });
    await mirror(cus, stripeServer.store.invoiceById(inv.id as string));
    const id = await bring(ana, cus.id as string, 'escalate_refund', args({ invoiceId: inv.id as string }));
    const before = await head();
    const results = await Promise.all([1, 2].map(() => ana.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: cus.id, proposalId: id })));
    for (const r of results) expect(r.body).toMatchObject({ ok: true, value: { status: 'confirmed' } });
    const notes = (await server.pool.query('SELECT body, author FROM team_notes WHERE customer_id = $1', [cus.id])).rows;
    expect(notes).toEqual([{ body: `Refund escalated to the billing team for ${inv.id}. Because the data says so.`, author: 'Ana' }]);
    expect((await feedAfter(before)).filter((e) => e.entity === 'note' && e.data.customerId === cus.id)).toHaveLength(1);
  });

  it("dismissed is final; another agent's proposal, a made-up action and a changed proposal are refused in words", async () => {
    const cus = newCustomer().id as string;
    const id = await bring(ana, cus, 'send_portal_link', args());
    expect((await lee.call('copilot.confirmAction', { customerId: cus, proposalId: id })).body).toMatchObject({ ok: false, error: { code: 'forbidden', message: "Refused: this proposal was made on another agent's desk; ask your own copilot." } });
    expect((await ana.call('copilot.dismissAction', { customerId: cus, proposalId: id })).body).toEqual({ ok: true, value: { proposalId: id, status: 'dismissed' } });
    const late = await ana.call('copilot.confirmAction', { customerId: cus, proposalId: id });
    expect(late.status).toBe(409);
    expect(!late.body.ok && late.body.error.message).toBe('This proposal was dismissed. Ask the copilot again if it is needed after all.');
    expect(await audit('copilot.dismiss', cus)).toEqual([{ agent_id: ana.id, actor: 'Ana', result: 'ok' }]);
    const post = (body: unknown) => fetch(`${server.url}/v1/copilot/proposals`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const madeUp = await post({ proposalId: 'prop_madeUp0001', customerId: cus, type: 'refund_everything', args: args(), title: 't', reason: 'r', source: 'model' });
    expect(madeUp.status).toBe(400);
    expect((await jsonOf(madeUp)).error.message).toMatch(/^This proposal cannot be kept: type: /);
    const changed = await post({ proposalId: id, customerId: cus, type: 'send_portal_link', args: args({ flow: 'subscription_cancel' }), title: 't', reason: 'r', source: 'model' });
    expect(changed.status).toBe(409);
    expect((await server.pool.query('SELECT count(*)::int AS n FROM copilot_proposals WHERE id = $1', ['prop_madeUp0001'])).rows[0].n).toBe(0);
  });

  it('a team desk forwards confirm unchanged after bringing its proposal; its own copy shows the decision', async () => {
    const cus = newCustomer().id as string;
    const desk = await startTestDesk(server.url, ana.token, { follow: false });
    try {
      const proposal = recordProposal(desk.ctx.db, TEAM_ACCOUNT, cus, { proposalId: null, type: 'send_portal_link', args: args({ flow: 'payment_method_update' }) as never, title: 'Send a link', reason: 'The card failed.', source: 'state', requiresConfirmation: true, citations: [], status: 'proposed' }, Date.now());
      const r = await desk.call<CopilotConfirmResult>('copilot.confirmAction', { customerId: cus, proposalId: proposal.proposalId });
      expect(r).toMatchObject({ status: 'confirmed', portalLink: { flow: 'payment_method_update' } });
      expect((await server.pool.query('SELECT status, agent_id FROM copilot_proposals WHERE id = $1', [proposal.proposalId])).rows).toEqual([{ status: 'confirmed', agent_id: ana.id }]);
      expect((desk.ctx.db.prepare('SELECT status FROM copilot_proposals WHERE id = ?').get(proposal.proposalId) as { status: string }).status).toBe('confirmed');
      expect((desk.ctx.db.prepare('SELECT count(*) AS n FROM portal_links WHERE customer_id = ?').get(cus) as { n: number }).n).toBe(1);
    } finally {
      await desk.dispose();
    }
  });
});
