import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/services/core/log';
import type { TeamServer } from '../../electron/team-server/app';
import type { StripeServer } from '../stripe-server';
import { seedPortalConfiguration } from '../stripe-server/routes/billing-portal';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import type { Customer360 } from '../../shared/contract/customers';
import { addAgent, type TestAgent } from '../helpers/team-server';
import { startCuttableProxy } from '../helpers/cuttable-proxy';
import { randomMutation } from '../stripe-server/mutations';
import { replicatedTables, startSyncedTeam, startTestDesk, until, type SyncedTeam, type TestDesk } from '../helpers/team-desk';
import { createServices, teamCachePath } from '../../electron/services';
import type { SecretName, SecretStore } from '../../electron/services/core/secrets';
import type { TeamStatus, WorkspaceStatus } from '../../shared/contract';
import { tempDir } from '../helpers/services';
import path from 'node:path';
import fs from 'node:fs';
import Database from 'better-sqlite3';

/** A keychain that survives a restart (as safeStorage does), in memory. */
class KeptSecrets implements SecretStore {
  readonly persistent = true;
  readonly values = new Map<string, string>();
  get(name: SecretName, account = 'default') {
    return this.values.get(`${name}:${account}`) ?? null;
  }
  set(name: SecretName, value: string, account = 'default') {
    this.values.set(`${name}:${account}`, value);
  }
  delete(name: SecretName, account = 'default') {
    this.values.delete(`${name}:${account}`);
  }
  accountsWithKeys() {
    return [];
  }
}

// Desks on a team: two service instances with their own cache files follow one team server (real
// PostgreSQL), which syncs the loopback Stripe server. What one desk writes reaches the other
// through the feed; reads stay local.

const ACCOUNT = 'acct_1TeamDeskTest0001';
const KEY = 'sk_test_teamDeskTest0001';
let team: SyncedTeam;
let stripe: StripeServer;
let server: TeamServer;
let lead: TestAgent;
let agent: TestAgent;
const desks: TestDesk[] = [];

beforeAll(async () => {
  team = await startSyncedTeam({ accountId: ACCOUNT, stripeKey: KEY, customers: 30, seed: 14, env: { BSC_TEAM_POLL_INTERVAL_MS: '250' }, rateLimit: { perSecond: 2000, burst: 2000 } });
  ({ stripe, server } = team);
  lead = await addAgent(server, 'Lena Lead', 'lead');
  agent = await addAgent(server, 'Ari Agent', 'agent');
}, 120_000);

afterAll(async () => {
  for (const d of desks.splice(0)) await d.dispose();
  await team?.stop();
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

  it('a desk offline while 500 changes happen catches up to equal the server (every table), and its queued notes arrive once each', async () => {
    const proxy = await startCuttableProxy(server.url);
    const customers = customerIds();
    const cases = [];
    for (let i = 0; i < 5; i++) cases.push(await openCase(customers[i + 2], `in_team_offline_${i}`));
    const b = await desk(agent.token, { follow: true, env: {} });
    // Desk B reaches the server through the proxy only.
    await b.dispose();
    desks.splice(desks.indexOf(b), 1);
    const behind = await startTestDesk(proxy.url, agent.token);
    desks.push(behind);
    await until('desk online', () => behind.desk.replica.status === 'online');

    await proxy.cut();
    await until('desk offline', () => behind.desk.replica.status === 'offline');
    const queued = ['Queued one: customer asked for a callback', 'Queued two: promised a new card', 'Queued three: left a voicemail'];
    for (const body of queued) {
      const n = await behind.call<{ id: number; pending?: boolean }>('notes.add', { customerId: customers[0], body });
      expect(n.pending).toBe(true);
    }
    // Reads keep working; the queued notes are shown, marked pending; a stage move is refused in words.
    const offlineView = await behind.call<Customer360>('customers.get', { customerId: customers[0] });
    expect(offlineView.notes.filter((n) => n.pending).map((n) => n.body).sort()).toEqual([...queued].sort());
    await expect(behind.call('dunning.setStage', { caseIds: [cases[0]], stage: 'contacted' })).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/^Not saved: Stage moves need the team server/) });

    // 500 changes on the server: notes, stage moves and assignments by the lead, Stripe changes synced by the server.
    let changes = 0;
    for (let i = 0; changes < 400; i++) {
      const r =
        i % 4 === 0
          ? await lead.call('dunning.assign', { caseIds: [cases[i % cases.length]], assignee: i % 8 === 0 ? 'Ari Agent' : 'Lena Lead' })
          : i % 4 === 1
            ? await lead.call('dunning.setStage', { caseIds: [cases[i % cases.length]], stage: i % 3 === 0 ? 'contacted' : 'awaiting_customer' })
            : await lead.call('notes.add', { customerId: customers[i % customers.length], body: `Server-side note ${i}` });
      expect(r.status).toBe(200);
      changes++;
    }
    for (let seed = 1; changes < 500; seed++) if (randomMutation(stripe.store, seed)) changes++;
    const headOf = async () => Number((await server.pool.query('SELECT max(seq) AS s FROM feed_entries')).rows[0].s);
    // The server has taken every Stripe change when its mirror stops moving (the poll runs every 250 ms).
    let last = -1;
    await until('the server mirror settled', async () => {
      const h = await headOf();
      const settled = h === last;
      last = h;
      if (!settled) await new Promise((r) => setTimeout(r, 1500));
      return settled;
    }, 90_000);

    await proxy.restore();
    await until('queued notes sent and the desk at the head', async () => behind.desk.outbox.count() === 0 && behind.desk.replica.seq() >= (await headOf()), 60_000);

    // Each queued note is on the server exactly once, authored by the agent the token belongs to.
    for (const body of queued) {
      const { rows } = await server.pool.query('SELECT author FROM team_notes WHERE body = $1', [body]);
      expect(rows).toEqual([{ author: 'Ari Agent' }]);
    }
    // The desk equals the server: a fresh desk built from the server's snapshot now has the same rows in every table.
    const fresh = await desk(lead.token, { follow: false });
    await fresh.desk.replica.pull();
    expect(fresh.desk.replica.seq()).toBe(behind.desk.replica.seq());
    expect(replicatedTables(behind.ctx.db, ACCOUNT)).toEqual(replicatedTables(fresh.ctx.db, ACCOUNT));
    const view = await behind.call<Customer360>('customers.get', { customerId: customers[0] });
    expect(view.notes.filter((n) => n.pending)).toEqual([]);
    expect(view.notes.filter((n) => queued.includes(n.body))).toHaveLength(3);
    await proxy.close();
  }, 240_000);

  it('the server gone in the middle of a write: the note is applied once (sent again with its key), never twice', async () => {
    const proxy = await startCuttableProxy(server.url);
    const d = await startTestDesk(proxy.url, agent.token, { follow: false });
    desks.push(d);
    await d.desk.replica.pull();
    const body = `Mid-write note ${Date.now()}`;
    // The request reaches the server, which commits; the answer never comes back.
    proxy.dropResponses = true;
    const n = await d.call<{ pending?: boolean }>('notes.add', { customerId: customerIds()[3], body });
    expect(n.pending).toBe(true);
    expect((await server.pool.query('SELECT count(*)::int AS n FROM team_notes WHERE body = $1', [body])).rows[0].n).toBe(1);
    proxy.dropResponses = false;
    // Back online: the queued note goes again with the same Idempotency-Key; the server answers from its record.
    await d.desk.outbox.flush(d.desk.client);
    await d.desk.replica.pull();
    expect((await server.pool.query('SELECT count(*)::int AS n FROM team_notes WHERE body = $1', [body])).rows[0].n).toBe(1);
    const view = await d.call<Customer360>('customers.get', { customerId: customerIds()[3] });
    expect(view.notes.filter((x) => x.body === body)).toEqual([expect.objectContaining({ author: 'Ari Agent' })]);
    expect(view.notes.some((x) => x.body === body && x.pending)).toBe(false);

    // A stage move whose answer is lost is not queued: the agent is told it was not confirmed.
    const caseId = await openCase(customerIds()[4], 'in_team_midwrite');
    await d.desk.replica.pull();
    proxy.dropResponses = true;
    await expect(d.call('dunning.setStage', { caseIds: [caseId], stage: 'contacted' })).rejects.toMatchObject({ code: 'offline' });
    proxy.dropResponses = false;
    const moves = (await server.pool.query("SELECT count(*)::int AS n FROM dunning_history WHERE case_id = $1 AND kind = 'stage'", [caseId])).rows[0].n;
    expect(moves).toBeLessThanOrEqual(1);
    await proxy.close();
  });

  it('a desk behind the pruned point takes a new snapshot by itself and ends equal to the server', async () => {
    const d = await desk(lead.token, { follow: false });
    await d.desk.replica.pull();
    const seqBefore = d.desk.replica.seq();
    for (let i = 0; i < 5; i++) expect((await lead.call('notes.add', { customerId: customerIds()[5], body: `While away ${i}` })).status).toBe(200);
    const head = Number((await server.pool.query('SELECT max(seq) AS s FROM feed_entries')).rows[0].s);
    await server.feed.prune(head - 1);
    const r = await d.desk.replica.pull();
    expect(r.snapshot).toBe(true);
    expect(r.seq).toBeGreaterThan(seqBefore);
    const fresh = await desk(lead.token, { follow: false });
    await fresh.desk.replica.pull();
    expect(replicatedTables(d.ctx.db, ACCOUNT)).toEqual(replicatedTables(fresh.ctx.db, ACCOUNT));
    const notes = (await d.call<Customer360>('customers.get', { customerId: customerIds()[5] })).notes.map((n) => n.body);
    for (let i = 0; i < 5; i++) expect(notes).toContain(`While away ${i}`);
  });

  it('a desk re-snapshotting over its cache keeps nothing deleted while it was away (a saved view, a draft invoice)', async () => {
    const d = await desk(lead.token, { follow: false });
    const view = await lead.call<{ id: number }>('dunning.views.save', { name: `Deleted while away ${Date.now()}`, filters: { categories: ['hard'] }, sort: { by: 'amount', dir: 'desc' } });
    expect(view.status).toBe(200);
    const draft = stripe.store.createInvoice({ customer: customerIds()[6], amount: 1_234 });
    await until('the draft on the server', async () => (await server.pool.query('SELECT 1 FROM stripe_objects WHERE id = $1 AND NOT deleted', [draft.id])).rows.length > 0);
    await d.desk.replica.pull();
    const viewId = view.body.ok ? view.body.value.id : 0;
    expect(d.ctx.db.prepare('SELECT count(*) AS n FROM dunning_saved_views WHERE id = ?').get(viewId)).toEqual({ n: 1 });
    expect(d.ctx.db.prepare('SELECT count(*) AS n FROM invoices WHERE id = ?').get(draft.id)).toEqual({ n: 1 });

    // Away: both are deleted, and the feed is pruned past the deletions.
    expect((await lead.call('dunning.views.delete', { id: viewId })).status).toBe(200);
    stripe.store.deleteInvoice(draft.id as string);
    await until('the deletion on the server', async () => (await server.pool.query('SELECT 1 FROM stripe_objects WHERE id = $1 AND deleted', [draft.id])).rows.length > 0);
    const head = Number((await server.pool.query('SELECT max(seq) AS s FROM feed_entries')).rows[0].s);
    await server.feed.prune(head);
    const notices: Array<{ kinds: string[]; customerIds?: string[] }> = [];
    const off = d.ctx.hub.subscribe((channel, payload) => channel === 'data.changed' && notices.push(payload as (typeof notices)[number]));
    expect((await d.desk.replica.pull()).snapshot).toBe(true);
    off();
    // The open views read everything again (the queue and its saved views, the invoice lists).
    expect(notices.some((n) => n.kinds.includes('dunning') && n.kinds.includes('invoices') && n.customerIds === undefined)).toBe(true);

    expect(d.ctx.db.prepare('SELECT count(*) AS n FROM dunning_saved_views WHERE id = ?').get(viewId)).toEqual({ n: 0 });
    expect(d.ctx.db.prepare('SELECT count(*) AS n FROM invoices WHERE id = ?').get(draft.id)).toEqual({ n: 0 });
    expect((await d.call<Array<{ id: number }>>('dunning.views.list', {})).map((v) => v.id)).not.toContain(viewId);
    const fresh = await desk(lead.token, { follow: false });
    await fresh.desk.replica.pull();
    expect(replicatedTables(d.ctx.db, ACCOUNT)).toEqual(replicatedTables(fresh.ctx.db, ACCOUNT));
  });

  it("a revoked agent's desk says it was signed out by the team and keeps its cache readable", async () => {
    const temp = await addAgent(server, `Temp ${Date.now()}`, 'agent');
    const d = await desk(temp.token);
    await until('desk online', () => d.desk.replica.status === 'online');
    await server.agents.revoke(temp.id);
    await until('signed out', () => d.desk.replica.status === 'signed_out');
    expect(d.desk.replica.statusMessage).toMatch(/^Signed out by the team/);
    const [customer] = customerIds();
    expect((await d.call<Customer360>('customers.get', { customerId: customer })).id).toBe(customer);
    await expect(d.call('notes.add', { customerId: customer, body: 'after revoke' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Signed out by the team/) });
  });

  it('Settings → Team: joining checks the server and the token, keeps the token in the keychain, and the next start is still a team desk named by the server', async () => {
    const { dir, cleanup } = tempDir('bsc-join-');
    const secrets = new KeptSecrets();
    const open = () => createServices({ dbPath: path.join(dir, 'cache.db'), env: { BSC_TEAM_FOLLOW: '1' }, skipDemoSeed: true }, { secrets, logger: silentLogger });
    const dispatch = async (s: Awaited<ReturnType<typeof open>>, name: string, input: unknown = {}) => s.table.dispatch(name, input, { actor: 'desk' });
    try {
      const solo = await open();
      expect((await dispatch(solo, 'team.status')).ok && (await dispatch(solo, 'team.status'))).toEqual({ ok: true, value: null });
      const plain = await dispatch(solo, 'team.join', { url: 'http://team.example.com', token: lead.token });
      expect(plain).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/Plain http/) } });
      const wrong = await dispatch(solo, 'team.join', { url: server.url, token: 'not-a-real-token-000000000' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/refused this token/) } });
      expect(secrets.get('team_token')).toBeNull();
      const joined = await dispatch(solo, 'team.join', { url: server.url, token: lead.token });
      expect(joined).toEqual({ ok: true, value: { url: server.url, agent: { id: lead.id, name: 'Lena Lead', role: 'lead' }, restartRequired: false } });
      expect(JSON.stringify(joined)).not.toContain(lead.token);
      await solo.close();

      const teamDesk = await open();
      try {
        await until('joined desk online', async () => {
          const r = await dispatch(teamDesk, 'team.status');
          return r.ok && (r.value as TeamStatus).connection === 'online' ? r : null;
        });
        const status = (await dispatch(teamDesk, 'workspace.status')) as { ok: true; value: WorkspaceStatus };
        expect(status.value).toMatchObject({ agentName: 'Lena Lead', online: true, account: { id: ACCOUNT } });
        expect((await dispatch(teamDesk, 'team.status')) as { value: TeamStatus }).toMatchObject({ value: { url: server.url, agent: { name: 'Lena Lead', role: 'lead' }, pendingWrites: 0 } });
        expect(await dispatch(teamDesk, 'workspace.setAgentName', { name: 'Someone else' })).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/comes from the team server \(Lena Lead\)/) } });
        expect(await dispatch(teamDesk, 'team.leave')).toEqual({ ok: true, value: { restartRequired: false } });
      } finally {
        await teamDesk.close();
      }
      const again = await open();
      expect(await dispatch(again, 'team.status')).toEqual({ ok: true, value: null });
      await again.close();
    } finally {
      cleanup();
    }
  });

  it('Settings → Team: joining starts the team desk at once on its own cache, leaving stops it and brings the solo desk back; the solo cache holds nothing of the team', async () => {
    const { dir, cleanup } = tempDir('bsc-live-join-');
    const secrets = new KeptSecrets();
    const soloFile = path.join(dir, 'cache.db');
    const services = await createServices({ dbPath: soloFile, env: { BSC_TEAM_FOLLOW: '1' }, demo: { customers: 12 } }, { secrets, logger: silentLogger });
    const call = async <T,>(name: string, input: unknown = {}): Promise<T> => {
      const r = await services.table.dispatch(name, input, { actor: 'desk' });
      if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    const kinds: string[][] = [];
    const unsubscribe = services.ctx.hub.subscribe((channel, payload) => {
      if (channel === 'data.changed') kinds.push([...(payload as { kinds: string[] }).kinds]);
    });
    try {
      const soloCustomer = (await call<{ rows: Array<{ id: string }> }>('customers.list', { limit: 1 })).rows[0]!.id;
      await call('notes.add', { customerId: soloCustomer, body: 'Solo note, kept on this computer' });

      const joined = await call<{ restartRequired: boolean }>('team.join', { url: server.url, token: lead.token });
      expect(joined).toMatchObject({ restartRequired: false, agent: { name: 'Lena Lead', role: 'lead' } });
      // The same services, now a team desk: named by the server, showing the team's account, following it.
      expect(await call<WorkspaceStatus>('workspace.status')).toMatchObject({ agentName: 'Lena Lead', account: { id: ACCOUNT } });
      await until('live-joined desk online', async () => (await call<TeamStatus>('team.status')).connection === 'online');
      expect(kinds).toContainEqual(['accounts']);
      const teamCustomer = customerIds()[3]!;
      expect((await call<Customer360>('customers.get', { customerId: teamCustomer })).id).toBe(teamCustomer);
      await call('notes.add', { customerId: teamCustomer, body: 'Written right after a live join' });
      const { rows } = await server.pool.query('SELECT author FROM team_notes WHERE body = $1', ['Written right after a live join']);
      expect(rows).toEqual([{ author: 'Lena Lead' }]);
      // The team's replica is its own file: the solo cache has no row of the team's account.
      const solo = new Database(soloFile, { readonly: true });
      try {
        expect(solo.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(ACCOUNT)).toEqual({ n: 0 });
        expect(solo.prepare('SELECT COUNT(*) AS n FROM team_replica').get()).toEqual({ n: 0 });
      } finally {
        solo.close();
      }
      expect(fs.existsSync(teamCachePath(soloFile))).toBe(true);

      expect(await call('team.leave')).toEqual({ restartRequired: false });
      expect(await call('team.status')).toBeNull();
      expect(await call<WorkspaceStatus>('workspace.status')).toMatchObject({ account: { id: 'demo' } });
      expect((await call<Customer360>('customers.get', { customerId: soloCustomer })).notes.map((n) => n.body)).toEqual(['Solo note, kept on this computer']);
      expect(secrets.get('team_token')).toBeNull();
      // The team's writes go nowhere now: a note stays on this desk.
      expect(await call<{ author: string }>('notes.add', { customerId: soloCustomer, body: 'After leaving' })).toMatchObject({ author: 'desk' });
      expect((await server.pool.query('SELECT 1 FROM team_notes WHERE body = $1', ['After leaving'])).rows).toEqual([]);
    } finally {
      unsubscribe();
      await services.close();
    }
    const again = await createServices({ dbPath: soloFile, env: {}, skipDemoSeed: true }, { secrets, logger: silentLogger });
    try {
      expect(await again.table.dispatch('team.status', {}, { actor: 'desk' })).toEqual({ ok: true, value: null });
    } finally {
      await again.close();
      cleanup();
    }
  });

  it("desk B's agent sends a portal link: the Stripe server gets one session request, made by the team server; the link reaches desk A", async () => {
    const customer = customerIds()[6];
    const a = await desk(lead.token);
    const b = await desk(agent.token, { follow: false });
    await b.desk.replica.pull();
    await until('desk A online', () => a.desk.replica.status === 'online');
    seedPortalConfiguration(stripe.store, { isDefault: true, features: { payment_method_update: { enabled: true } } });
    const sessions = () => stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/billing_portal/sessions').length;
    const before = sessions();
    const link = await b.call<{ id: number; createdBy: string; url: string }>('portal.createLink', { customerId: customer, flow: 'payment_method_update', returnUrl: 'https://example.com/account' });
    expect(link.createdBy).toBe('Ari Agent');
    expect(sessions()).toBe(before + 1);
    await until('the link on desk A', () => a.ctx.db.prepare('SELECT created_by FROM portal_links WHERE id = ?').get(link.id));
    expect(a.ctx.db.prepare('SELECT customer_id, created_by, url FROM portal_links WHERE id = ?').get(link.id)).toEqual({ customer_id: customer, created_by: 'Ari Agent', url: link.url });
  });
});
