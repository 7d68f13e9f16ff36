import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServices, type TestServices } from '../helpers/services';
import { seedCustomer, seedSubscription } from '../helpers/portal-fixtures';
import type { CallName } from '../../shared/contract';
import type { PortalLinkRecord } from '../../shared/contract/portal';

// The demo workspace: every portal link is simulated (no Stripe account), stored and audited as such.

let s: TestServices;
const call = (name: CallName, input: unknown, actor = 'ana') => s.table.dispatch(name, input, { actor });
const ok = async <T>(name: CallName, input: unknown, actor?: string): Promise<T> => {
  const r = await call(name, input, actor);
  if (!r.ok) throw new Error(`${name} failed: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

beforeEach(async () => {
  s = await testServices({ skipDemoSeed: true });
  const db = s.ctx.db;
  seedCustomer(db, 'demo', 'cus_one', 'One Sub', 'one@example.com');
  seedSubscription(db, 'demo', 'sub_one', 'cus_one', 'active');
  seedCustomer(db, 'demo', 'cus_none', 'No Subs', 'none@example.com');
  seedCustomer(db, 'demo', 'cus_gone', 'Canceled Only', 'gone@example.com');
  seedSubscription(db, 'demo', 'sub_gone', 'cus_gone', 'canceled');
  seedCustomer(db, 'demo', 'cus_two', 'Two Subs', 'two@example.com');
  seedSubscription(db, 'demo', 'sub_twoA', 'cus_two', 'active');
  seedSubscription(db, 'demo', 'sub_twoB', 'cus_two', 'trialing');
});
afterEach(async () => {
  await s.dispose();
});

describe('portal links in the demo workspace', () => {
  it('simulates the link with an obviously fake URL, stores it as simulated and audits "simulated"', async () => {
    const link = await ok<PortalLinkRecord>('portal.createLink', { customerId: 'cus_one', flow: 'subscription_cancel', subscriptionId: 'sub_one' });
    expect(link.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/demo_[0-9a-f]{24}$/);
    expect(link).toMatchObject({ simulated: true, flow: 'subscription_cancel', subscriptionId: 'sub_one', customerId: 'cus_one', customerName: 'One Sub', createdBy: 'ana', returnUrl: 'https://example.com/billing', recoversAfterExpiry: true });
    expect(link.sessionId).toMatch(/^demo_/);
    const audit = s.ctx.db.prepare("SELECT actor, action, target_id, result, params_json, idempotency_key FROM audit_log WHERE action = 'portal.create_link'").all() as Array<Record<string, string>>;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'ana', target_id: 'cus_one', result: 'simulated' });
    expect(JSON.parse(audit[0]!.params_json)).toMatchObject({ flow: 'subscription_cancel', subscription: 'sub_one', after_expiration: 'customer_login' });
    // The session URL opens the customer's portal: it is kept in the link row, not in the audit log.
    expect(audit[0]!.params_json).not.toContain(link.url);
    expect(audit[0]!.idempotency_key).toBeTruthy();
  });

  it('tells the renderer the links changed', async () => {
    const seen: unknown[] = [];
    s.ctx.hub.subscribe((channel, payload) => seen.push({ channel, payload }));
    await ok('portal.createLink', { customerId: 'cus_one' });
    expect(seen).toContainEqual({ channel: 'data.changed', payload: { accountId: 'demo', kinds: ['portal_links', 'audit'], customerIds: ['cus_one'] } });
  });

  it('defaults to the portal home page and picks the only fitting subscription for a subscription flow', async () => {
    const home = await ok<PortalLinkRecord>('portal.createLink', { customerId: 'cus_one' });
    expect(home.flow).toBe('home');
    expect(home.subscriptionId).toBeNull();
    const update = await ok<PortalLinkRecord>('portal.createLink', { customerId: 'cus_one', flow: 'subscription_update' });
    expect(update.subscriptionId).toBe('sub_one');
  });

  it('asks which subscription when several fit, naming them', async () => {
    const r = await call('portal.createLink', { customerId: 'cus_two', flow: 'subscription_cancel' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!r.ok && r.error.message).toMatch(/2 subscriptions that fit "Cancel subscription": sub_twoA \(active\), sub_twoB \(trialing\)\. Choose one\./);
  });

  it('explains a subscription flow for a customer without a subscription', async () => {
    const r = await call('portal.createLink', { customerId: 'cus_none', flow: 'subscription_pause' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!r.ok && r.error.message).toContain('Customer cus_none has no subscription, so "Pause subscription" has nothing to act on.');
  });

  it('explains a subscription that is not the customer\'s, and one that does not exist', async () => {
    const other = await call('portal.createLink', { customerId: 'cus_one', flow: 'subscription_cancel', subscriptionId: 'sub_twoA' });
    expect(!other.ok && other.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('belongs to another customer (cus_two), not cus_one') });
    const missing = await call('portal.createLink', { customerId: 'cus_one', flow: 'subscription_cancel', subscriptionId: 'sub_nope' });
    expect(!missing.ok && missing.error).toMatchObject({ code: 'not_found', message: 'Customer cus_one has no subscription sub_nope. Pick one of the customer\'s subscriptions.' });
  });

  it('refuses a canceled subscription in words, whether named or the only one', async () => {
    for (const input of [{ subscriptionId: 'sub_gone' }, {}]) {
      const r = await call('portal.createLink', { customerId: 'cus_gone', flow: 'subscription_update', ...input });
      expect(!r.ok && r.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('Subscription sub_gone is canceled, so the portal cannot change plan on it.') });
    }
    expect(s.ctx.db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 0 });
  });

  it('explains a missing return URL and an unusable one; nothing is stored', async () => {
    await ok('portal.settings.set', { returnUrl: null });
    const r = await call('portal.createLink', { customerId: 'cus_one' });
    expect(!r.ok && r.error).toMatchObject({ code: 'not_configured', message: expect.stringContaining('No return URL is set for this account') });
    const bad = await call('portal.createLink', { customerId: 'cus_one', returnUrl: 'javascript:alert(1)' });
    expect(!bad.ok && bad.error.code).toBe('bad_input');
    const settingBad = await call('portal.settings.set', { returnUrl: 'ftp://example.com' });
    expect(!settingBad.ok && settingBad.error.code).toBe('bad_input');
    expect(s.ctx.db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 0 });
    // A return URL given for one link is used without touching the setting.
    const link = await ok<PortalLinkRecord>('portal.createLink', { customerId: 'cus_one', returnUrl: 'https://shop.example.org/me' });
    expect(link.returnUrl).toBe('https://shop.example.org/me');
    expect(await ok('portal.settings.get', {})).toMatchObject({ returnUrl: null });
  });

  it('refuses an unknown customer and a deleted one', async () => {
    const r = await call('portal.createLink', { customerId: 'cus_unknown' });
    expect(!r.ok && r.error.code).toBe('not_found');
    s.ctx.db.prepare("UPDATE customers SET deleted = 1 WHERE id = 'cus_one'").run();
    const d = await call('portal.createLink', { customerId: 'cus_one' });
    expect(!d.ok && d.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('was deleted') });
  });

  it('a repeated click (same idempotency key) returns the same link, once', async () => {
    const input = { customerId: 'cus_one', flow: 'payment_method_update', idempotencyKey: 'click-abcdef12' };
    const [a, b] = await Promise.all([ok<PortalLinkRecord>('portal.createLink', input), ok<PortalLinkRecord>('portal.createLink', input)]);
    expect(b).toEqual(a);
    expect(s.ctx.db.prepare('SELECT COUNT(*) AS n FROM portal_links').get()).toEqual({ n: 1 });
    const other = await ok<PortalLinkRecord>('portal.createLink', { ...input, idempotencyKey: 'click-99999999' });
    expect(other.id).not.toBe(a.id);
  });

  it('history: newest first, per customer or across customers, with who sent which flow', async () => {
    let t = 1_000;
    s.ctx.now = () => (t += 1000);
    await ok('portal.createLink', { customerId: 'cus_one', flow: 'payment_method_update' }, 'ana');
    await ok('portal.createLink', { customerId: 'cus_two', flow: 'subscription_cancel', subscriptionId: 'sub_twoB' }, 'bo');
    await ok('portal.createLink', { customerId: 'cus_one', flow: 'customer_update' }, 'cy');
    const all = await ok<PortalLinkRecord[]>('portal.history', {});
    expect(all.map((l) => [l.customerId, l.flow, l.createdBy])).toEqual([
      ['cus_one', 'customer_update', 'cy'],
      ['cus_two', 'subscription_cancel', 'bo'],
      ['cus_one', 'payment_method_update', 'ana'],
    ]);
    expect(all[1]).toMatchObject({ customerName: 'Two Subs', customerEmail: 'two@example.com', subscriptionId: 'sub_twoB' });
    const one = await ok<PortalLinkRecord[]>('portal.history', { customerId: 'cus_one', limit: 1 });
    expect(one.map((l) => l.flow)).toEqual(['customer_update']);
  });

  it('refuses malformed input at the boundary', async () => {
    for (const input of [{ customerId: 'sub_x' }, { customerId: 'cus_one', flow: 'delete_everything' }, { customerId: 'cus_one', subscriptionId: 'cus_x' }, { customerId: 'cus_one', idempotencyKey: 'short' }, { customerId: 'cus_one', extra: 1 }]) {
      const r = await call('portal.createLink', input);
      expect(!r.ok && r.error.code).toBe('bad_input');
    }
  });
});

describe('portal configurations in the demo workspace', () => {
  it('lists a simulated default with a login page, creates and edits configurations, and mirrors the console default', async () => {
    const list = await ok<Array<{ id: string; isDefault: boolean; simulated: boolean; loginPage: { enabled: boolean; url: string | null } }>>('portal.configurations.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ isDefault: true, simulated: true, loginPage: { enabled: true, url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/login\/demo_/) } });

    const created = await ok<{ id: string; isConsoleDefault: boolean; features: { subscriptionCancel: { mode: string; cancellationReason: { options: string[] } } }; loginPage: { url: string | null } }>('portal.configurations.create', {
      name: 'Support links',
      businessProfile: { headline: 'Acme billing', privacyPolicyUrl: 'https://acme.test/privacy' },
      features: {
        invoiceHistory: { enabled: true },
        subscriptionCancel: { enabled: true, mode: 'immediately', cancellationReason: { enabled: true, options: ['too_expensive', 'unused'] } },
      },
      makeConsoleDefault: true,
    });
    expect(created).toMatchObject({ isConsoleDefault: true, loginPage: { url: null }, features: { subscriptionCancel: { mode: 'immediately', cancellationReason: { options: ['too_expensive', 'unused'] } } } });
    expect(await ok('portal.settings.get', {})).toMatchObject({ defaultConfigurationId: created.id });

    const edited = await ok<{ name: string | null; loginPage: { enabled: boolean; url: string | null }; businessProfile: { headline: string | null; privacyPolicyUrl: string | null } }>('portal.configurations.update', { id: created.id, name: null, loginPageEnabled: true, businessProfile: { headline: null } });
    expect(edited.name).toBeNull();
    expect(edited.loginPage.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/login\/demo_/);
    expect(edited.businessProfile).toMatchObject({ headline: null, privacyPolicyUrl: 'https://acme.test/privacy' });

    const after = await ok<Array<{ id: string; isConsoleDefault: boolean }>>('portal.configurations.list', {});
    expect(after.map((c) => [c.id, c.isConsoleDefault])).toEqual([[list[0]!.id, false], [created.id, true]]);
    const audits = s.ctx.db.prepare("SELECT action, result FROM audit_log WHERE action LIKE 'portal.configuration.%' ORDER BY id").all();
    expect(audits).toEqual([{ action: 'portal.configuration.create', result: 'simulated' }, { action: 'portal.configuration.update', result: 'simulated' }]);
  });

  it('links made after choosing a console default carry that configuration', async () => {
    const list = await ok<Array<{ id: string }>>('portal.configurations.list', {});
    await ok('portal.settings.set', { defaultConfigurationId: list[0]!.id });
    const link = await ok<PortalLinkRecord>('portal.createLink', { customerId: 'cus_one' });
    expect(link.configurationId).toBe(list[0]!.id);
  });

  it('refuses a feature switched on with nothing to offer, and an unknown configuration', async () => {
    const noReasons = await call('portal.configurations.create', { features: { subscriptionCancel: { enabled: true, cancellationReason: { enabled: true, options: [] } } } });
    expect(!noReasons.ok && noReasons.error).toMatchObject({ code: 'bad_input', message: expect.stringContaining('no reason is offered') });
    const noFields = await call('portal.configurations.create', { features: { customerUpdate: { enabled: true, allowedUpdates: [] } } });
    expect(!noFields.ok && noFields.error.message).toContain('choose at least one');
    const missing = await call('portal.configurations.update', { id: 'bpc_nothere', name: 'x' });
    expect(!missing.ok && missing.error.code).toBe('not_found');
    const badUrl = await call('portal.configurations.update', { id: 'bpc_demoDefault', businessProfile: { termsOfServiceUrl: 'not a url' } });
    expect(!badUrl.ok && badUrl.error.code).toBe('bad_input');
  });
});
