import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { testServices } from '../helpers/services';

// The long-lived objects of a set of services (the sync, the paced Stripe clients, the queue
// snapshot, ...) live on its context and go when it closes: quitting the app mid-backfill stops
// the sync and refuses the Stripe requests still queued behind the rate limit, instead of letting
// them run on against a closed cache. Two sets in one process (the team server builds one per
// account) share none of them.

const ACCOUNT = 'acct_1RegistriesTest001';

describe('registries held on the service context', () => {
  let server: StripeServer;

  beforeAll(async () => {
    server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Registries Co' });
    seedAccount(server.store, { customers: 30, seed: 5 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('closing the services stops a running backfill and refuses the requests waiting for a permit', async () => {
    const s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_registries001' }, stripeApiBase: server.url, skipDemoSeed: true });
    // Two requests a second: the backfill's parallel lists queue behind the limiter.
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 2, maxConcurrent: 2, maxRetries: 0 });
    const engine = s.ctx.registries.sync.engine(ACCOUNT);
    const { client } = s.ctx.registries.stripeClients.forAccount(ACCOUNT);
    // However the pass ends (stopped between pages, or failed on a refused request), it ends.
    const pass = engine.syncOnce({ full: true }).then(
      () => undefined,
      () => undefined,
    );
    await expect.poll(() => engine.running).toBe(true);
    // More than the shutdown's grace for the running pass (2 s) lets through at this rate.
    const queued = Array.from({ length: 20 }, () =>
      client.customers.list({ limit: 1 }).then(
        () => 'answered',
        // The SDK reports it as a connection error; the limiter's reason is its detail.
        (err: { detail?: { message?: string }; message?: string }) => err.detail?.message ?? err.message ?? String(err),
      ),
    );
    await s.dispose();
    const outcomes = await Promise.all(queued);
    expect(outcomes.filter((o) => o !== 'answered').length).toBeGreaterThan(0);
    for (const o of outcomes) expect(o).toMatch(/^answered$|The app is closing/);
    await pass;
    expect(engine.running).toBe(false);
    const seen = server.requests.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(server.requests.length).toBe(seen);
  }, 60_000);

  it('two sets of services in one process keep their own clients, pacing and syncs', async () => {
    const a = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_registries002' }, stripeApiBase: server.url, skipDemoSeed: true });
    const b = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_registries003' }, stripeApiBase: server.url, skipDemoSeed: true });
    let aOpen = true;
    try {
      a.ctx.registries.stripeClients.setPacing({ ratePerSecond: 7 });
      const ca = a.ctx.registries.stripeClients.forAccount(ACCOUNT);
      const cb = b.ctx.registries.stripeClients.forAccount(ACCOUNT);
      expect(ca.client).not.toBe(cb.client);
      expect(ca.limiter.ratePerSecond).toBe(7);
      expect(cb.limiter.ratePerSecond).toBe(25);
      expect(a.ctx.registries.sync).not.toBe(b.ctx.registries.sync);
      await a.dispose();
      aOpen = false;
      // b is untouched by a's close: its client still answers.
      const list = await cb.client.customers.list({ limit: 1 });
      expect(list.data).toHaveLength(1);
    } finally {
      if (aOpen) await a.dispose();
      await b.dispose();
    }
  }, 60_000);
});
