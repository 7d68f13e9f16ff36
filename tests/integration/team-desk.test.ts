import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/services/core/log';
import { startTeamServer, type TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import type { Customer360 } from '../../shared/contract/customers';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, type TestAgent } from '../helpers/team-server';
import { waitFor } from '../helpers/team-sync';
import { replicatedTables, startTestDesk, until, type TestDesk } from '../helpers/team-desk';

// Desks on a team: two service instances with their own cache files follow one team server (real
// PostgreSQL), which syncs the loopback Stripe server. What one desk writes reaches the other
// through the feed; reads stay local.

const ACCOUNT = 'acct_1TeamDeskTest0001';
const KEY = 'sk_test_teamDeskTest0001';
const TEAM_SECRET = 'team-secret-for-desk-tests-0123456789';
let pgs: TestPostgres;
let stripe: StripeServer;
let server: TeamServer;
let lead: TestAgent;
let agent: TestAgent;
const desks: TestDesk[] = [];

beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers: 30, seed: 14 });
  server = await startTeamServer({
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: TEAM_SECRET, STRIPE_SECRET_KEY: KEY, STRIPE_API_BASE: stripe.url, BSC_STRIPE_RATE: '1000' },
    databaseUrl: await pgs.newDatabase(),
    log: silentLogger,
    rateLimit: { perSecond: 2000, burst: 2000 },
  });
  await waitFor('the team backfill', async () => {
    const h = (await (await fetch(`${server.url}/healthz`)).json()) as { accounts: Array<{ backfill_complete: boolean }> };
    return h.accounts[0]?.backfill_complete;
  });
  lead = await addAgent(server, 'Lena Lead', 'lead');
  agent = await addAgent(server, 'Ari Agent', 'agent');
}, 120_000);

afterAll(async () => {
  for (const d of desks.splice(0)) await d.dispose();
  await server?.stop();
  await stripe?.close();
  await pgs?.close();
});

async function desk(token: string, opts: Parameters<typeof startTestDesk>[2] = {}): Promise<TestDesk> {
  const d = await startTestDesk(server.url, token, opts);
  desks.push(d);
  return d;
}

async function openCase(customerId: string, invoiceId: string): Promise<number> {
  const c = await inTransaction(server.pool, (tx) =>
    openDunningCase(tx, server.feed, { accountId: ACCOUNT, customerId, invoiceId, subscriptionId: null, amountAtRisk: 4200, currency: 'usd', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: Math.floor(Date.now() / 1000) }),
  );
  return c.id;
}

const customerIds = () => stripe.store.all('customer').map((c) => (c as { id: string }).id);

describe('team desks', () => {
  it('a new desk takes the snapshot: the customers of the Stripe account are in its own cache, with no Stripe key', async () => {
    const a = await desk(lead.token, { follow: false });
    const r = await a.desk.replica.pull();
    expect(r.snapshot).toBe(true);
    expect(r.seq).toBeGreaterThan(0);
    const n = (a.ctx.db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0').get(ACCOUNT) as { n: number }).n;
    expect(n).toBe(customerIds().length);
    expect(a.ctx.workspace.current().id).toBe(ACCOUNT);
    expect(a.ctx.secrets.get('stripe_key')).toBeNull();
    // Search is local and works on the replicated rows.
    const some = stripe.store.all('customer')[0] as unknown as { id: string; email: string };
    const hits = await a.call<Array<{ id: string }>>('customers.search', { query: some.email });
    expect(hits.map((h) => h.id)).toContain(some.id);
  });

  it("a note and an assignment made on desk A appear on desk B without a reload, with the author's team name", async () => {
    const [customer] = customerIds();
    const caseId = await openCase(customer, 'in_team_desk_1');
    const a = await desk(lead.token);
    const b = await desk(agent.token);
    await until('both desks online', () => a.desk.replica.status === 'online' && b.desk.replica.status === 'online');

    const note = await a.call<{ id: number; author: string }>('notes.add', { customerId: customer, body: 'Called the customer, card will be updated Friday.' });
    expect(note.author).toBe('Lena Lead');
    await a.call('dunning.assign', { caseIds: [caseId], assignee: 'Ari Agent' });

    const seenOnB = await until('note and assignment on desk B', async () => {
      const c = await b.call<Customer360>('customers.get', { customerId: customer });
      const row = b.ctx.db.prepare('SELECT assignee FROM dunning_cases WHERE id = ?').get(caseId) as { assignee: string | null } | undefined;
      return c.notes.some((n) => n.id === note.id) && row?.assignee === 'Ari Agent' ? { c, row } : null;
    });
    expect(seenOnB.c.notes.find((n) => n.id === note.id)).toMatchObject({ author: 'Lena Lead', body: 'Called the customer, card will be updated Friday.' });
    // The history names the lead who assigned, from the server.

    const history = b.ctx.db.prepare("SELECT actor, detail FROM dunning_case_history WHERE case_id = ? AND kind = 'assigned'").all(caseId);
    expect(history).toEqual([{ actor: 'Lena Lead', detail: 'Ari Agent' }]);
  });

  it('a write the server refuses by role is refused on the desk in words, and nothing changes', async () => {
    const caseId = await openCase(customerIds()[1], 'in_team_desk_2');
    const b = await desk(agent.token, { follow: false });
    await b.desk.replica.pull();
    await expect(b.call('dunning.assign', { caseIds: [caseId], assignee: 'Ari Agent' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/team lead/) });
    expect((b.ctx.db.prepare('SELECT assignee FROM dunning_cases WHERE id = ?').get(caseId) as { assignee: string | null }).assignee).toBeNull();
  });
});
