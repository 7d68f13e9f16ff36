import { afterEach, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { testServices, type TestServices } from '../helpers/services';
import { cachedMirror, expectedMirror } from '../helpers/stripe-mirror';

// Issue 10 item 14: a restricted key (rk_) is the least-privilege choice for a support tool. With
// one that lacks a permission the sync carries on with what the key may read and says in words
// which permission is missing, instead of failing the whole sync. The loopback server answers
// what the key may not do with Stripe's own 403 ("Having the 'rak_product_read' permission would
// allow this request to continue.").

const ACCOUNT = 'acct_1RestrictedKey0001';
const KEY = 'rk_test_restrictedKey01';

let server: StripeServer;
let s: TestServices;

async function syncWith(denied: string[]) {
  server = await startStripeServer({ accountId: ACCOUNT, restrictedKeys: { [KEY]: denied } });
  seedAccount(server.store, { customers: 30, seed: 4 });
  s = await testServices({ env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
  s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 2_000, maxConcurrent: 8, retryBaseMs: 5 });
  const manager = s.ctx.registries.sync;
  const engine = manager.engine(ACCOUNT);
  const result = await engine.syncOnce();
  return { result, status: manager.status(ACCOUNT), mirror: cachedMirror(s.ctx.db, ACCOUNT), expected: expectedMirror(server.store, new Set()) };
}

afterEach(async () => {
  await s?.dispose();
  await server?.close();
});

describe('sync with a restricted key', () => {
  it('without Products: Read: syncs everything else, leaves plan names empty and says which permission is missing', async () => {
    const { result, status, mirror, expected } = await syncWith(['rak_product_read']);
    expect(result.missingPermissions).toEqual(['rak_product_read']);
    expect(Object.keys(mirror.customers).sort()).toEqual(Object.keys(expected.customers).sort());
    expect(Object.keys(mirror.subscriptions).sort()).toEqual(Object.keys(expected.subscriptions).sort());
    expect(Object.keys(mirror.invoices).sort()).toEqual(Object.keys(expected.invoices).sort());
    expect(Object.keys(mirror.items).length).toBeGreaterThan(0);
    expect(Object.values(mirror.items).every((i) => i.product_name === null)).toBe(true);
    expect(status.backfillComplete).toBe(true);
    expect(status.lastSyncedAt).not.toBeNull();
    expect(status.lastError).toMatch(/lacks a permission - Products: Read \(rak_product_read\): plan names are not shown/);
    expect(status.lastError).toMatch(/Grant it to the key in the Stripe Dashboard/);
    // The next pass (events only) still says so.
    await s.ctx.registries.sync.engine(ACCOUNT).syncOnce();
    expect(s.ctx.registries.sync.status(ACCOUNT).lastError).toMatch(/Products: Read/);
  });

  it('without Invoices: Read: customers and subscriptions arrive, invoices are left out, and the words say so', async () => {
    const { result, status, mirror, expected } = await syncWith(['rak_invoice_read']);
    expect(result.missingPermissions).toEqual(['rak_invoice_read']);
    expect(Object.keys(mirror.customers).sort()).toEqual(Object.keys(expected.customers).sort());
    expect(Object.keys(mirror.subscriptions).sort()).toEqual(Object.keys(expected.subscriptions).sort());
    expect(Object.keys(mirror.invoices)).toEqual([]);
    expect(Object.keys(mirror.attempts)).toEqual([]);
    expect(status.backfillComplete).toBe(true);
    expect(status.lastError).toMatch(/Invoices: Read \(rak_invoice_read\): invoices and payment attempts are not synced/);
  });

  it('without PaymentMethods: Read: each customer keeps the default payment method that comes with them', async () => {
    const { result, status, mirror, expected } = await syncWith(['rak_payment_method_read']);
    expect(result.missingPermissions).toEqual(['rak_payment_method_read']);
    expect(Object.keys(mirror.customers).sort()).toEqual(Object.keys(expected.customers).sort());
    expect(Object.keys(mirror.paymentMethods).length).toBeGreaterThan(0);
    expect(status.lastError).toMatch(/PaymentMethods: Read/);
  });

  it('a subscription on a new product arriving through events says so too (the backfill had none)', async () => {
    server = await startStripeServer({ accountId: ACCOUNT, restrictedKeys: { [KEY]: ['rak_product_read'] } });
    const customer = server.store.createCustomer({ name: 'Ada Lovelace' });
    s = await testServices({ env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 2_000, maxConcurrent: 8, retryBaseMs: 5 });
    const engine = s.ctx.registries.sync.engine(ACCOUNT);
    expect((await engine.syncOnce()).missingPermissions).toEqual([]);
    const product = server.store.createProduct({ name: 'Team plan' });
    const price = server.store.createPrice({ product: product.id as string, unitAmount: 4900, currency: 'usd', interval: 'month' });
    const sub = server.store.createSubscription({ customer: customer.id as string, items: [{ price: price.id as string }] });
    const pass = await engine.syncOnce();
    expect(pass.missingPermissions).toEqual(['rak_product_read']);
    expect(cachedMirror(s.ctx.db, ACCOUNT).subscriptions[sub.id as string]).toBeDefined();
    expect(s.ctx.registries.sync.status(ACCOUNT).lastError).toMatch(/Products: Read \(rak_product_read\)/);
  });

  it('a full secret key has nothing missing and no words', async () => {
    const { result, status } = await syncWith([]);
    expect(result.missingPermissions).toEqual([]);
    expect(status.lastError).toBeNull();
  });
});
