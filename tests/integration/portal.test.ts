import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { NO_DEFAULT_CONFIGURATION_MESSAGE, portalRequests, seedPortalConfiguration } from '../stripe-server/routes/billing-portal';
import { testServices, type TestServices } from '../helpers/services';
import { ingestObject } from '../../electron/services/stripe/ingest';
import type { CallName } from '../../shared/contract';
import type { PortalConfigurationView, PortalLinkRecord } from '../../shared/contract/portal';

// The real stripe SDK against the loopback Stripe-compatible server: every portal flow sends
// exactly the parameters Stripe expects (deep link, subscription, return URL, after_expiration)
// with the click's idempotency key; Stripe's refusals come back in words.

const RETURN_URL = 'https://shop.example.com/account';
const ALL_ON = {
  customer_update: { enabled: true, allowed_updates: ['email', 'address'] },
  invoice_history: { enabled: true },
  payment_method_update: { enabled: true },
  subscription_cancel: { enabled: true },
  subscription_pause: { enabled: true },
  subscription_update: { enabled: true, default_allowed_updates: ['price'] },
};

let server: StripeServer;
let s: TestServices;
let customer: string;
let subscription: string;
let item: string;
let price2: string;

const call = (name: CallName, input: unknown) => s.table.dispatch(name, input, { actor: 'ana' });
async function ok<T>(name: CallName, input: unknown): Promise<T> {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
const sessionRequests = () => portalRequests(server.store).filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions');

beforeEach(async () => {
  server = await startStripeServer();
  const store = server.store;
  customer = store.createCustomer({ name: 'Ada Lovelace', email: 'ada@example.com', paymentMethod: 'pm_card_visa' }).id;
  const product = store.createProduct({ name: 'Pro' });
  const price = store.createPrice({ product: product.id, unitAmount: 2000, currency: 'usd', interval: 'month' });
  price2 = store.createPrice({ product: product.id, unitAmount: 20000, currency: 'usd', interval: 'year' }).id;
  const sub = store.createSubscription({ customer, items: [{ price: price.id }] });
  subscription = sub.id;
  item = sub.items.data[0].id;
  s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_portalIntegration1' }, stripeApiBase: server.url, skipDemoSeed: true });
  await ok('portal.settings.set', { returnUrl: RETURN_URL });
});
afterEach(async () => {
  await s?.dispose();
  await server?.close();
});

describe('portal links against the Stripe test server', () => {
  beforeEach(() => {
    seedPortalConfiguration(server.store, { isDefault: true, features: ALL_ON });
  });

  const redirect = { type: 'redirect', redirect: { return_url: RETURN_URL } };
  const cases: Array<{ flow: string; input?: Record<string, unknown>; flowData: () => Record<string, unknown> | undefined }> = [
    { flow: 'home', flowData: () => undefined },
    { flow: 'payment_method_update', flowData: () => ({ type: 'payment_method_update', after_completion: redirect }) },
    { flow: 'customer_update', flowData: () => ({ type: 'customer_update', after_completion: redirect }) },
    { flow: 'subscription_cancel', flowData: () => ({ type: 'subscription_cancel', subscription_cancel: { subscription }, after_completion: redirect }) },
    { flow: 'subscription_update', flowData: () => ({ type: 'subscription_update', subscription_update: { subscription }, after_completion: redirect }) },
    { flow: 'subscription_pause', flowData: () => ({ type: 'subscription_pause', subscription_pause: { subscription }, after_completion: redirect }) },
    {
      flow: 'subscription_update_confirm',
      input: { items: [{ id: 'ITEM', price: 'PRICE2', quantity: 2 }] },
      flowData: () => ({ type: 'subscription_update_confirm', subscription_update_confirm: { subscription, items: [{ id: item, price: price2, quantity: '2' }] }, after_completion: redirect }),
    },
  ];

  for (const c of cases) {
    it(`${c.flow}: sends exactly the deep link, subscription, return URL, after_expiration and the click's idempotency key`, async () => {
      const input = JSON.parse(JSON.stringify(c.input ?? {}).replace('ITEM', item).replace('PRICE2', price2));
      const subscriptionFlow = c.flow.startsWith('subscription_');
      const link = await ok<PortalLinkRecord>('portal.createLink', { customerId: customer, flow: c.flow, ...(subscriptionFlow ? { subscriptionId: subscription } : {}), idempotencyKey: `click-${c.flow}-1`, ...input });

      const sent = sessionRequests();
      expect(sent).toHaveLength(1);
      const expected: Record<string, unknown> = { customer, return_url: RETURN_URL, after_expiration: { type: 'customer_login' } };
      const flowData = c.flowData();
      if (flowData) expected.flow_data = flowData;
      expect(sent[0]!.params).toEqual(expected);
      expect(sent[0]!.idempotencyKey).toBe(`click-${c.flow}-1`);

      const session = server.store.all('billing_portal.session')[0]!;
      expect(link).toMatchObject({ url: session.url, sessionId: session.id, flow: c.flow, simulated: false, recoversAfterExpiry: true, customerId: customer, returnUrl: RETURN_URL, createdBy: 'ana' });
      expect(link.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/test_/);
      expect(link.subscriptionId).toBe(subscriptionFlow ? subscription : null);
      const audit = s.ctx.db.prepare("SELECT result, idempotency_key, params_json FROM audit_log WHERE action = 'portal.create_link'").all() as Array<{ result: string; idempotency_key: string; params_json: string }>;
      expect(audit.map((a) => [a.result, a.idempotency_key])).toEqual([['ok', `click-${c.flow}-1`]]);
      expect(JSON.parse(audit[0]!.params_json)).toMatchObject({ flow: c.flow, session: session.id, return_url: RETURN_URL });
    });
  }

  it('picks the only subscription from Stripe when the cache has none and the agent named none', async () => {
    await ok('portal.createLink', { customerId: customer, flow: 'subscription_cancel' });
    expect(sessionRequests()[0]!.params.flow_data).toMatchObject({ subscription_cancel: { subscription } });
  });

  it('a given return URL and configuration win over the settings', async () => {
    const other = seedPortalConfiguration(server.store, { features: ALL_ON });
    await ok('portal.createLink', { customerId: customer, flow: 'payment_method_update', returnUrl: 'https://other.example.com/back', configurationId: other.id });
    expect(sessionRequests()[0]!.params).toMatchObject({ configuration: other.id, return_url: 'https://other.example.com/back', flow_data: { after_completion: { redirect: { return_url: 'https://other.example.com/back' } } } });
  });

  it('the console default configuration is sent with every link', async () => {
    const chosen = seedPortalConfiguration(server.store, { features: ALL_ON, name: 'Support' });
    await ok('portal.settings.set', { defaultConfigurationId: chosen.id });
    await ok('portal.createLink', { customerId: customer });
    expect(sessionRequests()[0]!.params.configuration).toBe(chosen.id);
  });

  it('a repeated click returns the same link without a second session', async () => {
    const a = await ok<PortalLinkRecord>('portal.createLink', { customerId: customer, idempotencyKey: 'click-repeat-1' });
    const b = await ok<PortalLinkRecord>('portal.createLink', { customerId: customer, idempotencyKey: 'click-repeat-1' });
    expect(b).toEqual(a);
    expect(sessionRequests()).toHaveLength(1);
    expect(server.store.all('billing_portal.session')).toHaveLength(1);
    // Answered from the cache: not even a replayed request (it works offline and spends no rate budget).
    expect(server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions')).toHaveLength(1);
  });

  it('refuses a canceled subscription in words before asking Stripe', async () => {
    server.store.cancelSubscription(subscription);
    const r = await call('portal.createLink', { customerId: customer, flow: 'subscription_update', subscriptionId: subscription });
    expect(!r.ok && r.error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`Subscription ${subscription} is canceled`) });
    expect(sessionRequests()).toHaveLength(0);
    expect(s.ctx.db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 0 });
  });

  it('when the cache is stale (it says active, Stripe canceled it), Stripe refuses and the words say why', async () => {
    ingestObject(s.ctx.db, server.store.accountObject.id, server.store.subscriptionById(subscription) as never, 1);
    server.store.cancelSubscription(subscription);
    const r = await call('portal.createLink', { customerId: customer, flow: 'subscription_cancel', subscriptionId: subscription });
    expect(!r.ok && r.error).toMatchObject({ code: 'stripe_error', message: expect.stringMatching(/Stripe refused the request while creating the "Cancel subscription" portal link: .*status `canceled`/) });
    const audit = s.ctx.db.prepare("SELECT result, error_message FROM audit_log WHERE action = 'portal.create_link'").get() as { result: string; error_message: string };
    expect(audit.result).toBe('error');
    expect(audit.error_message).toContain('canceled');
  });

  it('explains a subscription flow for a customer without that subscription', async () => {
    const lonely = server.store.createCustomer({ name: 'No Plan' }).id;
    const none = await call('portal.createLink', { customerId: lonely, flow: 'subscription_pause' });
    expect(!none.ok && none.error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`Customer ${lonely} has no subscription`) });
    const foreign = await call('portal.createLink', { customerId: lonely, flow: 'subscription_cancel', subscriptionId: subscription });
    expect(!foreign.ok && foreign.error).toMatchObject({ code: 'conflict', message: expect.stringContaining(`belongs to another customer (${customer})`) });
    const missing = await call('portal.createLink', { customerId: customer, flow: 'subscription_cancel', subscriptionId: 'sub_doesNotExist1' });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'not_found', message: `Customer ${customer} has no subscription sub_doesNotExist1. Pick one of the customer's subscriptions.` });
    expect(sessionRequests()).toHaveLength(0);
  });

  it('explains a missing return URL without calling Stripe', async () => {
    await ok('portal.settings.set', { returnUrl: null });
    const r = await call('portal.createLink', { customerId: customer });
    expect(!r.ok && r.error).toMatchObject({ code: 'not_configured', message: expect.stringContaining('No return URL is set') });
    expect(sessionRequests()).toHaveLength(0);
  });

  it('an unknown customer is Stripe\'s "No such customer", as not_found', async () => {
    const r = await call('portal.createLink', { customerId: 'cus_nobodyHere1' });
    expect(!r.ok && r.error).toMatchObject({ code: 'not_found', message: expect.stringContaining("No such customer: 'cus_nobodyHere1'") });
  });

  it('a flow the configuration does not offer is refused by Stripe, in its words', async () => {
    const limited = seedPortalConfiguration(server.store, { features: { invoice_history: { enabled: true } } });
    const r = await call('portal.createLink', { customerId: customer, flow: 'subscription_pause', subscriptionId: subscription, configurationId: limited.id });
    expect(!r.ok && r.error.message).toContain('requires the `subscription_pause` feature to be enabled');
  });
});

describe('an account without a default portal configuration', () => {
  it('says so in words, with Stripe\'s own message, and audits the failure', async () => {
    const r = await call('portal.createLink', { customerId: customer, flow: 'payment_method_update' });
    expect(!r.ok && r.error.code).toBe('not_configured');
    const message = !r.ok ? r.error.message : '';
    expect(message).toContain('This Stripe account has no default Customer Portal configuration yet');
    expect(message).toContain('Settings → Customer portal');
    expect(message).toContain(NO_DEFAULT_CONFIGURATION_MESSAGE);
    expect(s.ctx.db.prepare("SELECT result FROM audit_log WHERE action = 'portal.create_link'").all()).toEqual([{ result: 'error' }]);
    expect(s.ctx.db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 0 });
  });

  it('creating a configuration and making it the console default makes links work', async () => {
    const created = await ok<PortalConfigurationView>('portal.configurations.create', {
      name: 'Console',
      features: { paymentMethodUpdate: { enabled: true }, invoiceHistory: { enabled: true } },
      makeConsoleDefault: true,
    });
    const link = await ok<PortalLinkRecord>('portal.createLink', { customerId: customer, flow: 'payment_method_update' });
    expect(link.configurationId).toBe(created.id);
    expect(sessionRequests()[0]!.params.configuration).toBe(created.id);
  });
});

describe('portal configurations against the Stripe test server', () => {
  it('create sends Stripe exactly the business profile, features and login page; the login URL comes back', async () => {
    const created = await ok<PortalConfigurationView>('portal.configurations.create', {
      name: 'Support links',
      businessProfile: { headline: 'Acme partners with Stripe', privacyPolicyUrl: 'https://acme.test/privacy', termsOfServiceUrl: 'https://acme.test/terms' },
      features: {
        customerUpdate: { enabled: true, allowedUpdates: ['email', 'tax_id'] },
        invoiceHistory: { enabled: true },
        paymentMethodUpdate: { enabled: true },
        subscriptionCancel: { enabled: true, mode: 'at_period_end', prorationBehavior: 'none', cancellationReason: { enabled: true, options: ['too_expensive', 'unused'] } },
        subscriptionPause: { enabled: false },
        subscriptionUpdate: { enabled: true, defaultAllowedUpdates: ['price', 'quantity'], prorationBehavior: 'create_prorations', products: [{ product: 'prod_Pro', prices: ['price_A', 'price_B'] }] },
      },
      loginPageEnabled: true,
    });
    const post = portalRequests(server.store).find((r) => r.method === 'POST' && r.path === '/v1/billing_portal/configurations')!;
    expect(post.params).toEqual({
      name: 'Support links',
      business_profile: { headline: 'Acme partners with Stripe', privacy_policy_url: 'https://acme.test/privacy', terms_of_service_url: 'https://acme.test/terms' },
      features: {
        customer_update: { enabled: 'true', allowed_updates: ['email', 'tax_id'] },
        invoice_history: { enabled: 'true' },
        payment_method_update: { enabled: 'true' },
        subscription_cancel: { enabled: 'true', mode: 'at_period_end', proration_behavior: 'none', cancellation_reason: { enabled: 'true', options: ['too_expensive', 'unused'] } },
        subscription_pause: { enabled: 'false' },
        subscription_update: { enabled: 'true', default_allowed_updates: ['price', 'quantity'], proration_behavior: 'create_prorations', products: [{ product: 'prod_Pro', prices: ['price_A', 'price_B'] }] },
      },
      login_page: { enabled: 'true' },
    });
    expect(post.idempotencyKey).toMatch(/^portal-config-/);
    expect(created).toMatchObject({
      name: 'Support links',
      isDefault: false,
      simulated: false,
      loginPage: { enabled: true, url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/login\/test_/) },
      features: { subscriptionUpdate: { products: [{ product: 'prod_Pro', prices: ['price_A', 'price_B'] }] }, customerUpdate: { allowedUpdates: ['email', 'tax_id'] } },
    });
  });

  it('update clears a value with null (Stripe\'s empty string) and switches the login page off', async () => {
    const c = seedPortalConfiguration(server.store, { name: 'Old', features: ALL_ON });
    await ok('portal.configurations.update', { id: c.id, loginPageEnabled: true });
    const updated = await ok<PortalConfigurationView>('portal.configurations.update', { id: c.id, name: null, businessProfile: { headline: null }, loginPageEnabled: false, features: { subscriptionPause: { enabled: false } } });
    const last = portalRequests(server.store).filter((r) => r.path === `/v1/billing_portal/configurations/${c.id}`).at(-1)!;
    expect(last.params).toEqual({ name: '', business_profile: { headline: '' }, login_page: { enabled: 'false' }, features: { subscription_pause: { enabled: 'false' } } });
    expect(updated).toMatchObject({ name: null, loginPage: { enabled: false, url: null }, features: { subscriptionPause: { enabled: false }, subscriptionCancel: { enabled: true } } });
  });

  it('lists every configuration across pages, Stripe default first, marking the console default', async () => {
    const def = seedPortalConfiguration(server.store, { isDefault: true, features: ALL_ON });
    const ids = [def.id];
    for (let i = 0; i < 104; i++) ids.push(seedPortalConfiguration(server.store, { name: `C${i}` }).id);
    await ok('portal.settings.set', { defaultConfigurationId: ids[50] });
    const list = await ok<PortalConfigurationView[]>('portal.configurations.list', {});
    expect(list).toHaveLength(105);
    expect(new Set(list.map((c) => c.id))).toEqual(new Set(ids));
    expect(list[0]).toMatchObject({ id: def.id, isDefault: true });
    expect(list.filter((c) => c.isConsoleDefault).map((c) => c.id)).toEqual([ids[50]]);
    expect(portalRequests(server.store).filter((r) => r.method === 'GET').length).toBe(2);
  });

  it('Stripe refuses to deactivate its default; the error is words and is audited', async () => {
    const def = seedPortalConfiguration(server.store, { isDefault: true, features: ALL_ON });
    const r = await call('portal.configurations.update', { id: def.id, active: false });
    expect(!r.ok && r.error).toMatchObject({ code: 'stripe_error', message: expect.stringContaining('You cannot deactivate the default configuration.') });
    expect(s.ctx.db.prepare("SELECT result FROM audit_log WHERE action = 'portal.configuration.update'").all()).toEqual([{ result: 'error' }]);
  });

  it('the SDK sees Stripe-shaped objects (a session and a configuration from the server parse as the SDK types)', async () => {
    seedPortalConfiguration(server.store, { isDefault: true, features: ALL_ON });
    const stripe = new Stripe('sk_test_shape', { host: '127.0.0.1', port: server.port, protocol: 'http' });
    const session = await stripe.billingPortal.sessions.create({ customer, return_url: RETURN_URL, after_expiration: { type: 'customer_login' }, flow_data: { type: 'subscription_cancel', subscription_cancel: { subscription } } });
    expect(session).toMatchObject({ object: 'billing_portal.session', customer, return_url: RETURN_URL, after_expiration: { type: 'customer_login', customer_login: { expires_at: null } }, flow: { type: 'subscription_cancel', subscription_cancel: { subscription }, after_completion: { type: 'portal_homepage' } } });
    const configs = await stripe.billingPortal.configurations.list({ is_default: true });
    expect(configs.data).toHaveLength(1);
  });
});
