import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startE2E, seriousA11yViolations, setTheme, type E2E } from '../helpers/browser';

// The sync as an agent sees it, against the loopback Stripe test server: the banner's stamp on
// every screen (never synced → running progress → "synced …"), Settings → Sync with its progress
// and buttons, the offline state in words with a retry that recovers, and the demo workspace
// saying there is nothing to sync.

const ACCOUNT = 'acct_1SyncE2ETest00001';

describe('sync status in the app', () => {
  let server: StripeServer;
  let e2e: E2E;
  const stamp = () => e2e.page.getByTestId('sync-stamp');
  const section = () => e2e.page.getByTestId('sync-settings');

  beforeAll(async () => {
    server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Loopback Sync Co' });
    seedAccount(server.store, { customers: 250, seed: 12 });
    e2e = await startE2E({
      stripeApiBase: server.url,
      env: { STRIPE_SECRET_KEY: 'sk_test_syncE2ETest001', BSC_SYNC_AUTOSTART: '0' },
      skipDemoSeed: true,
      // Paced so the first sync lasts long enough to be watched; offline fails fast.
      prepare: (s) => s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 40, maxConcurrent: 4, maxRetries: 1, retryBaseMs: 50, timeoutMs: 3_000 }),
    });
    await e2e.page.getByTestId('mode-banner').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
    await server?.close();
  });

  it('says the account was never synced, on every screen', async () => {
    await expect.poll(() => stamp().textContent()).toContain('Never synced');
    await e2e.page.getByRole('button', { name: /settings/i }).first().click();
    await section().waitFor();
    expect(await section().getByTestId('sync-state').textContent()).toMatch(/not been synced yet/);
    expect(await section().getByTestId('sync-last-synced').textContent()).toBe('never');
  });

  it('shows the running progress (objects, pages, request rate, ETA) in the banner and in Settings', async () => {
    await section().getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => stamp().textContent(), { timeout: 15_000 }).toMatch(/Syncing · [\d,]+ objects · [\d,]+ pages · [\d.]+ req\/s/);
    const progress = section().getByTestId('sync-progress');
    await progress.waitFor();
    await expect.poll(() => progress.textContent(), { timeout: 15_000 }).toMatch(/left$/);
    expect(await section().getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('sync-progress-light');

    await expect.poll(() => stamp().textContent(), { timeout: 45_000 }).toMatch(/^synced (just now|.+ ago)/);
    expect(await section().getByTestId('sync-state').textContent()).toMatch(/Up to date/);
    expect(await section().getByTestId('sync-last-synced').textContent()).not.toBe('never');
    const cached = e2e.services.ctx.db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(ACCOUNT) as { n: number };
    expect(cached.n).toBe(250);
  });

  it('Full resync asks first, then reads everything again', async () => {
    await section().getByRole('button', { name: 'Full resync…' }).click();
    const confirm = section().getByRole('group', { name: 'Read everything again?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirm.count()).toBe(0);
    const before = server.requests.length;
    await section().getByRole('button', { name: 'Full resync…' }).click();
    await section().getByRole('button', { name: 'Resync everything' }).click();
    await expect.poll(() => stamp().textContent(), { timeout: 15_000 }).toMatch(/Syncing/);
    await expect.poll(() => stamp().textContent(), { timeout: 45_000 }).toMatch(/^synced/);
    expect(server.requests.length - before).toBeGreaterThan(250);
  });

  it('dark theme: no serious axe violations', async () => {
    await setTheme(e2e.page, 'dark');
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('sync-settings-dark');
    await setTheme(e2e.page, 'light');
  });

  it('offline: says so in words, keeps the cache, and a retry recovers once Stripe is back', async () => {
    const port = server.port;
    const store = server.store;
    await server.close();
    await section().getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => stamp().textContent(), { timeout: 20_000 }).toMatch(/Offline · cached data from (just now|.+ ago)/);
    const alert = section().getByRole('alert');
    expect(await alert.textContent()).toMatch(/^Offline\. Stripe could not be reached.*from the cache/);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('sync-offline-light');

    server = await startStripeServer({ port, store });
    const c = server.store.createCustomer({ email: 'back.again@example.com', name: 'Back Again' });
    await stamp().getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => stamp().textContent(), { timeout: 20_000 }).toMatch(/^synced/);
    expect(e2e.services.ctx.db.prepare('SELECT email FROM customers WHERE id = ?').get(c.id)).toEqual({ email: 'back.again@example.com' });
  });
});

describe('sync status in the demo workspace', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ demoCustomers: 20 });
    await e2e.page.getByTestId('mode-banner').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('says there is nothing to sync', async () => {
    await expect.poll(() => e2e.page.getByTestId('sync-stamp').textContent()).toBe('Demo data · nothing to sync');
    await e2e.page.getByRole('button', { name: /settings/i }).first().click();
    const section = e2e.page.getByTestId('sync-settings');
    await section.waitFor();
    expect(await section.textContent()).toMatch(/nothing to sync/);
    expect(await section.getByRole('button', { name: 'Sync now' }).count()).toBe(0);
  });
});
