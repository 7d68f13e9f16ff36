import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { createStripeClient } from '../../electron/services/stripe/client';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedPortalConfiguration } from '../stripe-server/routes/billing-portal';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, jsonOf, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Portal links through the team server, against the loopback Stripe server through the real SDK:
// one click = one session request (a forwarded repeat is answered from the record), the audit row
// names the authenticated agent, the link reaches desks through the feed, settings by admins only.

const KEY = 'sk_test_teamPortal0000001';
let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let ana: TestAgent;
let ada: TestAgent;
let customerId: string;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: TEAM_ACCOUNT });
  seedPortalConfiguration(stripeServer.store, { isDefault: true, features: { payment_method_update: { enabled: true } } });
  customerId = stripeServer.store.createCustomer({ name: 'Grace Hopper', email: 'grace@example.com' }).id as string;
  const stripe = createStripeClient(KEY, { apiBase: stripeServer.url, maxNetworkRetries: 0 });
  server = await startTestTeamServer(await pgs.newDatabase(), { stripe: async () => stripe });
  ana = await addAgent(server, 'Ana', 'agent');
  ada = await addAgent(server, 'Ada', 'admin');
});
afterAll(async () => {
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

const sessionRequests = () => stripeServer.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');

describe('team server: portal links', () => {
  it('says in words that a return URL is needed, and only an admin may set it', async () => {
    const r = await ana.call('portal.createLink', { customerId, flow: 'payment_method_update' });
    expect(r.status).toBe(503);
    expect(!r.body.ok && r.body.error.message).toMatch(/^No return URL is set for this team's account/);
    expect(sessionRequests()).toHaveLength(0);
    const refused = await ana.call('portal.settings.set', { returnUrl: 'https://example.com/account' });
    expect(refused.status).toBe(403);
    const set = await ada.call('portal.settings.set', { returnUrl: 'https://example.com/account' });
    expect(set.body).toMatchObject({ ok: true, value: { accountId: TEAM_ACCOUNT, returnUrl: 'https://example.com/account', defaultConfigurationId: null } });
    expect((await ana.call('portal.settings.get', {})).body).toMatchObject({ ok: true, value: { returnUrl: 'https://example.com/account' } });
  });

  it('one click → one Stripe session, even when the desk forwards it twice; audit names the agent; the feed carries the link', async () => {
    const before = sessionRequests().length;
    const click = { customerId, flow: 'payment_method_update', idempotencyKey: 'click-0000000001' };
    const [first, second] = await Promise.all([ana.call<{ id: number; url: string; createdBy: string }>('portal.createLink', click), ana.call<{ id: number }>('portal.createLink', click)]);
    const third = await ana.call<{ id: number }>('portal.createLink', click);
    expect(first.body).toMatchObject({ ok: true, value: { createdBy: 'Ana', customerId, flow: 'payment_method_update', recoversAfterExpiry: true, returnUrl: 'https://example.com/account' } });
    const id = first.body.ok ? first.body.value.id : -1;
    expect(second.body.ok && second.body.value.id).toBe(id);
    expect(third.body.ok && third.body.value.id).toBe(id);
    // Two concurrent forwards may both reach Stripe with the same key (Stripe replays it); the retry after it never does.
    const made = sessionRequests().slice(before);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.filter((r) => !r.idempotentReplay)).toHaveLength(1);
    expect((await server.pool.query('SELECT count(*)::int AS n FROM portal_links')).rows[0].n).toBe(1);
    const audit = (await server.pool.query("SELECT agent_id, actor, result, params FROM audit_log WHERE action = 'portal.create_link'")).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ agent_id: ana.id, actor: 'Ana', result: 'ok', params: { idempotency_key: 'click-0000000001' } });
    expect(JSON.stringify(audit[0].params)).not.toContain(first.body.ok ? first.body.value.url : 'x');
    const feed = await jsonOf(await ana.get('/v1/feed?after=0'));
    const links = feed.entries.filter((e: { entity: string }) => e.entity === 'portal_link');
    expect(links).toHaveLength(1);
    expect(links[0].data).toMatchObject({ id, createdBy: 'Ana', url: first.body.ok ? first.body.value.url : '' });
  });

  it("passes Stripe's refusal on in words and audits it as an error", async () => {
    const r = await ana.call('portal.createLink', { customerId: 'cus_DoesNotExist1', flow: 'home' });
    expect(r.body.ok).toBe(false);
    expect(!r.body.ok && r.body.error.message).toMatch(/cus_DoesNotExist1/);
    const rows = (await server.pool.query("SELECT actor, result, error_message FROM audit_log WHERE action = 'portal.create_link' AND result = 'error'")).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0].actor).toBe('Ana');
  });

  it('asks which subscription a subscription flow is for', async () => {
    const r = await ana.call('portal.createLink', { customerId, flow: 'subscription_cancel' });
    expect(r.status).toBe(400);
    expect(!r.body.ok && r.body.error.message).toBe('"Cancel subscription" acts on one subscription: choose which one.');
  });

  it('bulk send (a lead): one link per customer, history on each case, an unknown case reported in words; an agent may send for one case only', async () => {
    const lee = await addAgent(server, 'Lee', 'lead');
    const open = (cus: string) => inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId: cus, invoiceId: null, subscriptionId: null, amountAtRisk: 100, currency: 'usd', failureMark: 1, declineCode: null, category: 'soft', openedAt: 1 }));
    const other = stripeServer.store.createCustomer({ name: 'Alan Turing' }).id as string;
    const a = await open(customerId);
    const b = await open(customerId);
    const c = await open(other);
    const before = sessionRequests().length;
    const refused = await ana.call('dunning.sendPortalLinks', { caseIds: [a.id, c.id] });
    expect(refused.status).toBe(403);
    const r = await lee.call<{ sent: Array<{ caseId: number; customerId: string; url: string }>; failed: Array<{ caseId: number; message: string }> }>('dunning.sendPortalLinks', { caseIds: [a.id, b.id, c.id, 999_999] });
    expect(r.body.ok).toBe(true);
    const v = r.body.ok ? r.body.value : { sent: [], failed: [] };
    expect(v.sent.map((x) => x.caseId)).toEqual([a.id, b.id, c.id]);
    expect(v.sent[0].url).toBe(v.sent[1].url);
    expect(v.failed).toEqual([{ caseId: 999_999, message: 'No dunning case 999999 in this account.' }]);
    expect(sessionRequests().length - before).toBe(2);
    const history = (await server.pool.query("SELECT case_id, actor, detail FROM dunning_history WHERE kind = 'portal_link' ORDER BY case_id")).rows;
    expect(history).toEqual([a.id, b.id, c.id].map((id) => ({ case_id: id, actor: 'Lee', detail: 'payment_method_update' })));
    expect((await ana.call('dunning.sendPortalLinks', { caseIds: [c.id] })).body.ok).toBe(true);
  });

  it('a bulk send repeated with its Idempotency-Key (its answer was lost) gets the same summary and sends nothing again', async () => {
    const open = () => inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId, invoiceId: null, subscriptionId: null, amountAtRisk: 100, currency: 'usd', failureMark: 1, declineCode: null, category: 'soft', openedAt: 1 }));
    const c = await open();
    const send = () =>
      fetch(`${server.url}/v1/call/dunning.sendPortalLinks`, { method: 'POST', headers: { authorization: `Bearer ${ana.token}`, 'content-type': 'application/json', 'idempotency-key': `lost-bulk-${c.id}` }, body: JSON.stringify({ caseIds: [c.id] }) }).then((r) => r.json());
    const before = sessionRequests().length;
    const first = await send();
    expect(first).toMatchObject({ ok: true, value: { sent: [{ caseId: c.id, customerId }], failed: [] } });
    expect(await send()).toEqual(first);
    expect(sessionRequests().length - before).toBe(1);
  });
});
