import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startE2E, seriousA11yViolations, type E2E } from '../helpers/browser';

// The network to Stripe cut mid-session, as an agent sees it: the sync keeps watching the account
// (as in the app), the banner says "offline" on its own - nobody pressed anything - while the
// cached customers stay on screen, and when Stripe is reachable again the banner recovers by itself
// and the change made meanwhile arrives. The waits have generous limits (a loaded machine); the
// time the banner took is printed, not asserted.

const ACCOUNT = 'acct_1OfflineE2ETest001';

describe('offline state in the banner', () => {
  let server: StripeServer;
  let e2e: E2E;
  const stamp = () => e2e.page.getByTestId('sync-stamp');
  const online = async () => {
    const r = await e2e.services.table.dispatch('workspace.status', {}, { actor: 'test' });
    return r.ok ? (r.value as { online: boolean }).online : null;
  };

  beforeAll(async () => {
    server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Offline Co' });
    seedAccount(server.store, { customers: 30, seed: 21 });
    e2e = await startE2E({
      stripeApiBase: server.url,
      env: { STRIPE_SECRET_KEY: 'sk_test_offlineE2ETest01', BSC_SYNC_AUTOSTART: '1' },
      skipDemoSeed: true,
      // The app's retry and back-off; only the rate is raised so the first backfill is quick.
      prepare: (s) => s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 100 }),
    });
    await e2e.page.getByTestId('mode-banner').waitFor();
  }, 120_000);
  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('is synced and online while Stripe answers', async () => {
    await expect.poll(() => stamp().textContent(), { timeout: 60_000 }).toMatch(/^synced (just now|.+ ago)$/);
    expect(await stamp().textContent()).not.toMatch(/offline/i);
  }, 90_000);

  it('shows offline by itself when the network to Stripe is cut, and keeps the cached customers', async () => {
    const cutAt = Date.now();
    await server.close();
    await expect.poll(() => stamp().textContent(), { timeout: 10_000, interval: 100 }).toMatch(/offline/i);
    console.log(`offline shown ${Date.now() - cutAt} ms after the Stripe server went away`);
    // What the banner's pill reads: the workspace itself knows it is offline (it was hard-wired online).
    expect(await online()).toBe(false);
    // The customer list (the start screen) still shows the cached customers.
    await expect.poll(() => e2e.page.getByRole('row').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('offline-banner-light');
  }, 60_000);

  it('recovers by itself when Stripe is back, with the change made meanwhile', async () => {
    const port = server.port;
    server = await startStripeServer({ port, store: server.store });
    const back = server.store.createCustomer({ email: 'made.while.offline@example.com', name: 'Made While Offline' });
    const backAt = Date.now();
    await expect.poll(() => stamp().textContent(), { timeout: 90_000, interval: 250 }).toMatch(/^synced (just now|.+ ago)$/);
    console.log(`online again ${Date.now() - backAt} ms after the Stripe server came back`);
    expect(await stamp().textContent()).not.toMatch(/offline/i);
    expect(await online()).toBe(true);
    await expect.poll(() => e2e.services.ctx.db.prepare('SELECT email FROM customers WHERE id = ?').get(back.id), { timeout: 30_000 }).toEqual({ email: 'made.while.offline@example.com' });
  }, 120_000);
});
