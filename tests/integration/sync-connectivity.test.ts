import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityChange } from '../../shared/contract/streams';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { testServices, type TestServices } from '../helpers/services';

// Connectivity comes from what the sync actually sees. With the watch running, the Stripe server
// going away mid-session turns workspace.status offline (and says so on the 'connectivity'
// stream, once), the cache keeps answering, and when the server is back the state recovers by
// itself and the sync picks up a change made meanwhile - nobody presses Retry.

const ACCOUNT = 'acct_1ConnectivityTst01';

describe('connectivity from the sync', () => {
  let server: StripeServer;
  let s: TestServices;
  const changes: ConnectivityChange[] = [];
  const online = async () => {
    const r = await s.table.dispatch('workspace.status', {}, { actor: 'test' });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { online: boolean }).online;
  };

  beforeAll(async () => {
    server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Connectivity Co' });
    seedAccount(server.store, { customers: 8, seed: 3 });
    s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_connectivity001', BSC_SYNC_AUTOSTART: '1' }, stripeApiBase: server.url, skipDemoSeed: true });
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 100, maxRetries: 2, retryBaseMs: 50, timeoutMs: 3_000 });
    s.ctx.hub.subscribe((channel, payload) => {
      if (channel === 'connectivity') changes.push(payload as ConnectivityChange);
    });
  }, 60_000);
  afterAll(async () => {
    await s?.dispose();
    await server?.close();
  });

  it('is online while the sync reaches Stripe', async () => {
    await expect.poll(() => (s.ctx.db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(ACCOUNT) as { n: number }).n, { timeout: 30_000 }).toBe(8);
    expect(await online()).toBe(true);
    expect(changes).toEqual([]);
  });

  it('turns offline when the server goes away mid-session, and the cache keeps answering', async () => {
    const port = server.port;
    const store = server.store;
    await server.close();
    await expect.poll(online, { timeout: 20_000 }).toBe(false);
    expect(changes).toEqual([{ accountId: ACCOUNT, online: false, message: expect.stringMatching(/could not be reached/) }]);
    const list = await s.table.dispatch('customers.list', {}, { actor: 'test' });
    expect(list.ok).toBe(true);

    // Back: nobody presses anything.
    server = await startStripeServer({ port, store });
    const added = server.store.createCustomer({ email: 'while.offline@example.com', name: 'While Offline' });
    await expect.poll(online, { timeout: 60_000 }).toBe(true);
    expect(changes.map((c) => c.online)).toEqual([false, true]);
    await expect.poll(() => s.ctx.db.prepare('SELECT email FROM customers WHERE id = ?').get(added.id), { timeout: 60_000 }).toEqual({ email: 'while.offline@example.com' });
  }, 150_000);
});
