import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from '../../electron/harness/server';
import { refreshInvoiceRow } from '../../electron/services/sync/refresh';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { tempDir, testServices, type TestServices } from '../helpers/services';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';

// "Refresh from Stripe" on a real (non-demo) account, through the web harness (the same handler
// table as the app's IPC) against the loopback Stripe server: the customer's changed email
// appears and the answer says so. The on-demand reads (refresh, the reads around a payment retry)
// go through the sync's one fetch module, stamped with the server's clock like the sync.

const ACCOUNT = 'acct_1RefreshRealAcct001';

describe('customer refresh on a real account', () => {
  let server: StripeServer;
  let s: TestServices;
  let harness: Harness;
  const staticDir = tempDir('bsc-refresh-static-');

  beforeAll(async () => {
    server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Refresh Real Co' });
    seedAccount(server.store, { customers: 12, seed: 5 });
    s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_refreshRealAcct01', BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
    s.ctx.registries.stripeClients.setPacing({ ratePerSecond: 200, maxRetries: 1, retryBaseMs: 20 });
    await s.ctx.registries.sync.engine(ACCOUNT).syncOnce();
    fs.writeFileSync(path.join(staticDir.dir, 'index.html'), '<!doctype html><title>app</title>');
    harness = await startHarness(s, { staticDir: staticDir.dir });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await s?.dispose();
    await server?.close();
    staticDir.cleanup();
  });

  // `value` is the call's output when `ok` (a test reading it after a failure fails on the read).
  const call = async <N extends CallName>(name: N, input: CallInput<N>) => {
    const res = await fetch(`${harness.url}/api/call/${name}`, { method: 'POST', headers: { authorization: `Bearer ${harness.token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    return (await res.json()) as { ok: boolean; value: CallOutput<N>; error?: { code: string; message: string } };
  };

  it('shows the email changed in Stripe since the last sync, and says "Refreshed from Stripe"', async () => {
    const status = await call('workspace.status', {});
    expect(status.value.mode).toBe('test');
    expect(status.value.account?.id).toBe(ACCOUNT);
    const customer = server.store.all('customer')[0]! as unknown as { id: string; email: string };
    server.store.updateCustomer(customer.id, { email: 'changed.in.stripe@example.com' });
    const before = await call('customers.get', { customerId: customer.id });
    expect(before.value.email).toBe(customer.email); // the cache, not yet refreshed (no watch runs)

    const r = await call('customers.refresh', { customerId: customer.id });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.value.source).toBe('stripe');
    expect(r.value.message).toBe('Refreshed from Stripe.');
    expect(r.value.customer.email).toBe('changed.in.stripe@example.com');
    const after = await call('customers.get', { customerId: customer.id });
    expect(after.value.email).toBe('changed.in.stripe@example.com');
  });

  it('stamps what it fetched with the server time (Date header), like the sync, not the local clock', async () => {
    server.clock.advance(3 * 86_400); // Stripe's clock is 3 days ahead of this machine's
    const serverNow = server.clock.now();
    const customer = server.store.all('customer')[1]! as unknown as { id: string };
    server.store.updateCustomer(customer.id, { name: 'Renamed Later' });
    const r = await call('customers.refresh', { customerId: customer.id });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const row = s.ctx.db.prepare('SELECT name, source_ts FROM customers WHERE account_id = ? AND id = ?').get(ACCOUNT, customer.id) as { name: string; source_ts: number };
    expect(row.name).toBe('Renamed Later');
    expect(Math.abs(row.source_ts - serverNow)).toBeLessThanOrEqual(5);
  });

  it('the re-read of an invoice after a payment retry is on the same clock', async () => {
    const serverNow = server.clock.now();
    const invoice = (s.ctx.db.prepare('SELECT id FROM invoices WHERE account_id = ? ORDER BY id LIMIT 1').get(ACCOUNT) as { id: string }).id;
    await refreshInvoiceRow(s.ctx, ACCOUNT, invoice);
    const inv = s.ctx.db.prepare('SELECT source_ts FROM invoices WHERE account_id = ? AND id = ?').get(ACCOUNT, invoice) as { source_ts: number };
    expect(Math.abs(inv.source_ts - serverNow)).toBeLessThanOrEqual(5);
  });
});
