import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { createStripeClient } from '../../electron/services/stripe/client';
import type { PortalConfigurationView, PortalLinkRecord } from '../../shared/contract/portal';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { startTestDesk } from '../helpers/team-desk';
import { addAgent, jsonOf, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Portal configurations on a team, against the loopback Stripe server through the real SDK: an
// admin creates and updates them (one Stripe write per forwarded click, audited with the agent),
// others are refused in words, and desks (which hold no key) list them through the server.

let pgs: TestPostgres;
let stripeServer: StripeServer;
let server: TeamServer;
let ana: TestAgent;
let ada: TestAgent;
beforeAll(async () => {
  pgs = await startTestPostgres();
  stripeServer = await startStripeServer({ accountId: TEAM_ACCOUNT });
  const stripe = createStripeClient('sk_test_teamPortalConfig001', { apiBase: stripeServer.url, maxNetworkRetries: 0 });
  server = await startTestTeamServer(await pgs.newDatabase(), { stripe: async () => stripe });
  ana = await addAgent(server, 'Ana', 'agent');
  ada = await addAgent(server, 'Ada', 'admin');
  await ada.call('portal.settings.set', { returnUrl: 'https://example.com/account' });
});
afterAll(async () => {
  await server?.stop();
  await stripeServer?.close();
  await pgs?.close();
});

const writes = () => stripeServer.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/billing_portal/configurations') && !r.idempotentReplay);
const post = (who: TestAgent, name: string, input: unknown, key: string) =>
  fetch(`${server.url}/v1/call/${name}`, { method: 'POST', headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(input) }).then(jsonOf);

describe('team server: portal configurations', () => {
  it("an admin's create, forwarded twice at once with one key, is one configuration in Stripe; it becomes the team's default and new links use it", async () => {
    const before = writes().length;
    const input = { name: 'Team links', features: { paymentMethodUpdate: { enabled: true }, invoiceHistory: { enabled: true } }, makeConsoleDefault: true };
    const [a, b] = await Promise.all([post(ada, 'portal.configurations.create', input, 'click-config-0001'), post(ada, 'portal.configurations.create', input, 'click-config-0001')]);
    expect(a).toMatchObject({ ok: true, value: { name: 'Team links', isConsoleDefault: true, features: { paymentMethodUpdate: { enabled: true } } } });
    expect(b.value.id).toBe(a.value.id);
    expect(writes()).toHaveLength(before + 1);
    expect(stripeServer.store.collection('billing_portal.configuration').all().filter((c) => c.id === a.value.id)).toHaveLength(1);
    const audit = (await server.pool.query("SELECT agent_id, actor, result, target_id FROM audit_log WHERE action = 'portal.configuration.create'")).rows;
    expect(audit).toEqual([{ agent_id: ada.id, actor: 'Ada', result: 'ok', target_id: a.value.id }]);
    // The team default reaches desks through the feed (portal_settings), and a link made by an agent uses it.
    const feed = await jsonOf(await ana.get('/v1/feed?after=0&limit=1000'));
    expect(feed.entries.filter((e: { entity: string }) => e.entity === 'portal_settings').at(-1).data).toMatchObject({ defaultConfigurationId: a.value.id });
    const cus = stripeServer.store.createCustomer({ email: 'pc@example.com' }).id as string;
    const link = await ana.call<PortalLinkRecord>('portal.createLink', { customerId: cus, flow: 'payment_method_update' });
    expect(link.body).toMatchObject({ ok: true, value: { configurationId: a.value.id } });
  });

  it('an update changes Stripe and is audited; an agent is refused in words and Stripe is not asked', async () => {
    const created = await ada.call<PortalConfigurationView>('portal.configurations.create', { name: 'Old name', features: { invoiceHistory: { enabled: true } } });
    const id = created.body.ok ? created.body.value.id : '';
    const before = writes().length;
    const refused = await ana.call('portal.configurations.update', { id, name: 'Agent name' });
    expect(refused.status).toBe(403);
    expect(!refused.body.ok && refused.body.error.message).toBe('Refused: changing a portal configuration needs an admin (or higher); you are an agent.');
    expect((await ana.call('portal.configurations.create', { features: {} })).status).toBe(403);
    expect(writes()).toHaveLength(before);
    const updated = await ada.call<PortalConfigurationView>('portal.configurations.update', { id, name: 'New name', loginPageEnabled: true });
    expect(updated.body).toMatchObject({ ok: true, value: { id, name: 'New name', isConsoleDefault: false } });
    expect(stripeServer.store.collection('billing_portal.configuration').all().find((c) => c.id === id)).toMatchObject({ metadata: expect.anything(), login_page: { enabled: true } });
    const missing = await ada.call('portal.configurations.update', { id: 'bpc_NoSuchConfig1', active: false });
    expect(missing.status).toBe(404);
    expect(!missing.body.ok && missing.body.error.message).toMatch(/^Stripe has no such portal configuration in this account/);
    const audit = (await server.pool.query("SELECT actor, result, target_id FROM audit_log WHERE action = 'portal.configuration.update' ORDER BY id")).rows;
    expect(audit).toEqual([
      { actor: 'Ada', result: 'ok', target_id: id },
      { actor: 'Ada', result: 'error', target_id: 'bpc_NoSuchConfig1' },
    ]);
  });

  it("a team desk lists the account's configurations through the server and forwards an admin's create", async () => {
    const desk = await startTestDesk(server.url, ada.token, { follow: false });
    try {
      const made = await desk.call<PortalConfigurationView>('portal.configurations.create', { name: 'From a desk', features: { paymentMethodUpdate: { enabled: true } } });
      const list = await desk.call<PortalConfigurationView[]>('portal.configurations.list', {});
      expect(list.map((c) => c.name)).toContain('From a desk');
      expect(list.find((c) => c.id === made.id)).toMatchObject({ isConsoleDefault: false });
      expect(list.filter((c) => c.isConsoleDefault)).toHaveLength(1);
    } finally {
      await desk.dispose();
    }
  });
});
