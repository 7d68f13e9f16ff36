import Stripe from 'stripe';
import type { TestServices } from '../helpers/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceStatus } from '../../shared/contract/workspace';
import { Workspace } from '../../electron/services/workspace/workspace';
import { ingestCustomer } from '../../electron/services/stripe/ingest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { testServices } from '../helpers/services';

// Issue 10 item 6. A test key and a live key of ONE Stripe account are two workspaces: adding the
// live key keeps the test key and the test rows (customers, notes) as they were, the live
// workspace shows none of them, and the agent switches between the two.
//
// The live key has to be checked with "Stripe" (a live key is refused on a test server: item 8), so
// the SDK keeps Stripe's own base and its HTTP layer is pointed at the loopback server.

const ACCOUNT = 'acct_1ModesSideBySide';
const TEST_KEY = 'sk_test_51ModesTestKeyAbCdEfGh';
const LIVE_KEY = 'rk_live_51ModesLiveKeyZyXwVuTs';

let server: StripeServer;
let s: TestServices;
let settingsPage: Workspace;

function toLoopback(port: number): Stripe.HttpClient {
  const node = Stripe.createNodeHttpClient();
  return {
    getClientName: () => 'loopback',
    makeRequest: (_host, _port, path, method, headers, body, _protocol, timeout) => node.makeRequest('127.0.0.1', String(port), path, method, headers, body, 'http', timeout),
  } as Stripe.HttpClient;
}

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const r = await s.table.dispatch(name as never, input as never, { actor: 'ana' });
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

beforeAll(async () => {
  server = await startStripeServer({ accountId: ACCOUNT, accountName: 'Side By Side Ltd' });
  s = await testServices({ skipDemoSeed: true });
  // Settings → Stripe, as the app does it, over the same cache and key store as the handlers.
  settingsPage = new Workspace(s.ctx.db, s.ctx.secrets, s.ctx.settings, s.ctx.redactor, s.ctx.log, undefined, toLoopback(server.port));
});
afterAll(async () => {
  await s.dispose();
  await server.close();
});

describe('test and live keys of one account', () => {
  it('are kept side by side: the live workspace never shows the test rows, and switching back shows them again', async () => {
    const test = await settingsPage.addStripeKey(TEST_KEY);
    expect(test.account).toMatchObject({ id: ACCOUNT, stripeAccountId: ACCOUNT, livemode: false });
    ingestCustomer(s.ctx.db, ACCOUNT, { id: 'cus_TestOnly1', object: 'customer', name: 'Tess Testmode', email: 'tess@example.com', livemode: false, created: 1_700_000_000, metadata: {} } as unknown as Stripe.Customer, 1_700_000_000);
    await call('notes.add', { customerId: 'cus_TestOnly1', body: 'Called about the test invoice.' });
    expect((await call<{ total: number }>('customers.list')).total).toBe(1);

    const live = await settingsPage.addStripeKey(LIVE_KEY);
    expect(live.account).toMatchObject({ id: `${ACCOUNT}:live`, stripeAccountId: ACCOUNT, livemode: true, name: 'Side By Side Ltd' });

    // Now on live: none of the test customers, cases or notes.
    let status = await call<WorkspaceStatus>('workspace.status');
    expect(status).toMatchObject({ mode: 'live', account: { id: `${ACCOUNT}:live`, livemode: true } });
    expect(status.accounts.filter((a) => !a.isDemo).map((a) => [a.id, a.stripeAccountId, a.livemode])).toEqual([
      [ACCOUNT, ACCOUNT, false],
      [`${ACCOUNT}:live`, ACCOUNT, true],
    ]);
    expect(await call<{ total: number }>('customers.list')).toEqual({ rows: [], total: 0 });
    await expect(call('customers.get', { customerId: 'cus_TestOnly1' })).rejects.toMatchObject({ code: 'not_found' });

    // Both keys are still there, each for its own mode.
    expect(s.ctx.workspace.stripeKeyFor(ACCOUNT)).toBe(TEST_KEY);
    expect(s.ctx.workspace.stripeKeyFor(`${ACCOUNT}:live`)).toBe(LIVE_KEY);

    // Back to test: the test customer and the note, still labelled test.
    status = await call<WorkspaceStatus>('workspace.switchAccount', { accountId: ACCOUNT });
    expect(status).toMatchObject({ mode: 'test', account: { id: ACCOUNT, livemode: false } });
    const list = await call<{ rows: Array<{ id: string }> }>('customers.list');
    expect(list.rows.map((r) => r.id)).toEqual(['cus_TestOnly1']);
    const c360 = await call<{ notes: Array<{ body: string }> }>('customers.get', { customerId: 'cus_TestOnly1' });
    expect(c360.notes.map((n) => n.body)).toEqual(['Called about the test invoice.']);

    // And to live again.
    expect(await call<WorkspaceStatus>('workspace.switchAccount', { accountId: `${ACCOUNT}:live` })).toMatchObject({ mode: 'live' });
    expect((await call<{ total: number }>('customers.list')).total).toBe(0);
  });

  it('removing the live key leaves the test workspace, its key and its rows', async () => {
    await call('workspace.clearStripeKey', { accountId: `${ACCOUNT}:live` });
    expect(s.ctx.workspace.stripeKeyFor(`${ACCOUNT}:live`)).toBeNull();
    expect(s.ctx.workspace.stripeKeyFor(ACCOUNT)).toBe(TEST_KEY);
    const status = await call<WorkspaceStatus>('workspace.status');
    expect(status).toMatchObject({ mode: 'test', account: { id: ACCOUNT } });
    expect((await call<{ total: number }>('customers.list')).total).toBe(1);
    await expect(call('workspace.switchAccount', { accountId: `${ACCOUNT}:live` })).rejects.toMatchObject({ code: 'not_configured', message: expect.stringMatching(/no live mode API key/) });
  });

  it('a key of the other mode is never used for a workspace, whatever the key store falls back to', () => {
    // The environment store answers its default key for any account id.
    s.ctx.secrets.set('stripe_key', TEST_KEY, 'default');
    expect(s.ctx.workspace.stripeKeyFor(`${ACCOUNT}:live`)).toBeNull();
    expect(() => s.ctx.workspace.stripe(`${ACCOUNT}:live`)).toThrow(/No Stripe key/);
  });
});
