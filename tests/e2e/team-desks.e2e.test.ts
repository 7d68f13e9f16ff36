import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { addAgent, type TestAgent } from '../helpers/team-server';
import { seriousA11yViolations, startE2E, type E2E } from '../helpers/browser';
import { startSyncedTeam, until, type SyncedTeam } from '../helpers/team-desk';
import { startCuttableProxy, type CuttableProxy } from '../helpers/cuttable-proxy';

// Two desks in Chromium (two harness instances, each with its own cache file) on one team server
// that syncs the loopback Stripe server: a note the lead writes on desk A appears on desk B's open
// customer without a reload, with the lead's name; an assignment made on A reaches B's queue; B's
// Settings → Team says who and how it is connected; a note written offline is sent once; the lead
// opening the case on A shows "Lena Lead is looking at this" on B; the metrics read the same on
// both desks; B's agent revoked: B says it was signed out by the team and its copy stays readable.
// Screenshots of each step.

const ACCOUNT = 'acct_1TeamDeskE2E00001';
let team: SyncedTeam;
let lead: TestAgent;
let agent: TestAgent;
let a: E2E;
let b: E2E;
let customer: { id: string; name: string };
/** Desk B reaches the team server through this, so a test can take B offline. */
let proxy: CuttableProxy;

beforeAll(async () => {
  team = await startSyncedTeam({ accountId: ACCOUNT, stripeKey: 'sk_test_teamDeskE2E0001', customers: 15, seed: 21 });
  lead = await addAgent(team.server, 'Lena Lead', 'lead');
  agent = await addAgent(team.server, 'Ari Agent', 'agent');
  const c = team.stripe.store.all('customer')[0] as unknown as { id: string; name: string };
  customer = { id: c.id, name: c.name };
  await inTransaction(team.server.pool, (tx) =>
    openDunningCase(tx, team.server.feed, { accountId: ACCOUNT, customerId: c.id, invoiceId: 'in_e2e_team_case', subscriptionId: null, amountAtRisk: 12_900, currency: 'usd', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: Math.floor(Date.now() / 1000) }),
  );
  proxy = await startCuttableProxy(team.server.url);
  const env = (url: string, token: string) => ({ BSC_TEAM_URL: url, BSC_TEAM_TOKEN: token, BSC_TEAM_FOLLOW: '1' });
  a = await startE2E({ env: env(team.server.url, lead.token), skipDemoSeed: true });
  b = await startE2E({ env: env(proxy.url, agent.token), skipDemoSeed: true });
  for (const d of [a, b]) await until('desk online', () => d.services.ctx.registries.teamDesk?.replica.status === 'online');
}, 180_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await proxy?.close();
  await team?.stop();
});

const caseIdOf = (e2e: E2E) => (e2e.services.ctx.db.prepare("SELECT id FROM dunning_cases WHERE invoice_id = 'in_e2e_team_case'").get() as { id: number }).id;

async function openQueue(e2e: E2E) {
  await e2e.page.getByRole('button', { name: /^Dunning/ }).click();
  await e2e.page.getByRole('tab', { name: 'Queue' }).click();
  await e2e.page.locator('tr.dunning-row').first().waitFor();
}

async function openCustomer(e2e: E2E) {
  const { page } = e2e;
  await page.reload();
  await page.getByRole('searchbox', { name: 'Filter customers' }).waitFor();
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search customers' }).waitFor();
  await page.keyboard.type(customer.id);
  // Enter opens the highlighted result: wait until that is this customer (results for the id typed
  // so far come first, and may name another), then that its page is the one shown.
  await page.getByRole('option', { name: new RegExp(customer.name), selected: true }).first().waitFor();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('customer-360').locator('h1').textContent()).toContain(customer.name);
}

describe('two desks on one team (Chromium)', () => {
  it("the lead's note on desk A shows on desk B's open customer without a reload, with the lead's name", async () => {
    await openCustomer(b);
    await openCustomer(a);
    await a.page.keyboard.press('n');
    await a.page.keyboard.type('Lead here: the customer will pay on Friday.');
    await a.page.keyboard.press('Control+Enter');
    await expect.poll(() => a.page.getByTestId('c360-notes').textContent()).toContain('Lena Lead');
    const onB = b.page.getByTestId('c360-notes').getByTestId('c360-note').filter({ hasText: 'Lead here: the customer will pay on Friday.' });
    await onB.waitFor();
    expect(await onB.textContent()).toContain('Lena Lead');
    expect(await b.page.locator('#c360-notes-h').textContent()).toContain('shared with your team');
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-note-from-lead');
  });

  it("an assignment on desk A reaches desk B's data; Settings → Team on B names the agent and says it is connected", async () => {
    const caseId = (a.services.ctx.db.prepare("SELECT id FROM dunning_cases WHERE invoice_id = 'in_e2e_team_case'").get() as { id: number }).id;
    const r = await a.services.table.dispatch('dunning.assign', { caseIds: [caseId], assignee: 'Ari Agent' }, { actor: 'desk' });
    expect(r.ok).toBe(true);
    await until('assignment on desk B', () => (b.services.ctx.db.prepare('SELECT assignee FROM dunning_cases WHERE id = ?').get(caseId) as { assignee: string | null }).assignee === 'Ari Agent');
    await b.page.getByRole('button', { name: /settings/i }).first().click();
    const section = b.page.getByRole('region', { name: 'Team' });
    await expect.poll(() => section.textContent()).toContain('Ari Agent');
    expect(await section.textContent()).toContain('Connected');
    expect(await section.textContent()).toContain('holds neither');
    await b.screenshot('team-desk-b-settings-team');
  });

  it('desk B offline: a note written there is shown pending, then sent once on reconnect and no longer pending', async () => {
    await openCustomer(b);
    await proxy.cut();
    await until('desk B offline', () => b.services.ctx.registries.teamDesk?.replica.status === 'offline');
    await b.page.keyboard.press('n');
    await b.page.keyboard.type('Written offline: customer will call back.');
    await b.page.keyboard.press('Control+Enter');
    const note = b.page.getByTestId('c360-notes').getByTestId('c360-note').filter({ hasText: 'Written offline: customer will call back.' });
    await expect.poll(() => note.textContent()).toContain('pending');
    expect(await note.getByRole('button', { name: /Edit the note/ }).count()).toBe(0);
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-pending-note');
    await proxy.restore();
    await expect.poll(() => note.textContent(), { timeout: 30_000 }).not.toContain('pending');
    const { rows } = await team.server.pool.query('SELECT author FROM team_notes WHERE body = $1', ['Written offline: customer will call back.']);
    expect(rows).toEqual([{ author: 'Ari Agent' }]);
  });

  it('the lead opening the case on desk A shows "Lena Lead is looking at this" on desk B: in its customer 360 and on the queue row; it goes when A moves on', async () => {
    await openCustomer(b);
    const caseId = caseIdOf(a);
    await openQueue(a);
    await a.page.locator(`tr.dunning-row[data-case-id="${caseId}"]`).click();
    await expect.poll(() => a.page.locator('.dunning-panel .customer-link').textContent()).toContain(customer.name);

    const on360 = b.page.getByTestId('customer-360').getByTestId('presence-note');
    await expect.poll(() => on360.textContent()).toBe('Lena Lead is looking at this');
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-presence-customer');

    await openQueue(b);
    const onRow = b.page.locator(`tr.dunning-row[data-case-id="${caseId}"]`).getByTestId('presence-note');
    await expect.poll(() => onRow.textContent()).toBe('Lena Lead is looking at this');
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-presence-queue');

    // A leaves the queue: nobody is on the case any more.
    await a.page.getByRole('button', { name: /^Customers/ }).click();
    await expect.poll(() => onRow.count()).toBe(0);
  });

  it('the dunning metrics read the same on both desks after the changes', async () => {
    await until('both desks at the same feed position', () => a.services.ctx.registries.teamDesk!.replica.seq() === b.services.ctx.registries.teamDesk!.replica.seq());
    const metricsOf = async (e2e: E2E) => {
      const r = await e2e.services.table.dispatch('dunning.metrics', {}, { actor: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    expect(await metricsOf(b)).toEqual(await metricsOf(a));
    const cards: string[][] = [];
    for (const d of [a, b]) {
      await openQueue(d);
      await d.page.getByRole('tab', { name: 'Metrics' }).click();
      await d.page.getByTestId('dunning-metrics').waitFor();
      await expect.poll(() => d.page.locator('.metric-card').allTextContents()).toContainEqual(expect.stringContaining('At risk · USD'));
      cards.push(await d.page.locator('.metric-card').allTextContents());
      await d.screenshot(d === a ? 'team-desk-a-metrics' : 'team-desk-b-metrics');
    }
    expect(cards[1]).toEqual(cards[0]);
    expect(cards[0].join(' ')).toContain('$129.00');
  });

  it("desk B's agent revoked: B says it was signed out by the team, the open customer stays on screen and the list and customers stay readable", async () => {
    await openCustomer(b);
    await team.server.agents.revoke(agent.id);
    const banner = b.page.getByTestId('mode-banner');
    await expect.poll(() => banner.textContent(), { timeout: 30_000 }).toContain('Signed out by the team');
    await expect.poll(() => b.page.getByTestId('customer-360').locator('h1').textContent()).toContain(customer.name);
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-signed-out-customer');

    await b.page.getByRole('button', { name: /settings/i }).first().click();
    await expect.poll(() => b.page.getByRole('region', { name: 'Team' }).textContent()).toContain('Signed out by the team: this desk’s copy stays readable.');

    await b.page.getByRole('button', { name: /^Customers/ }).click();
    const list = b.page.getByTestId('customer-list');
    await expect.poll(() => list.textContent()).toContain(customer.name);
    await expect.poll(() => b.page.getByTestId('customer-count').textContent()).toMatch(/\b15\b/);
    await b.screenshot('team-desk-b-signed-out-list');
    // A customer opened after the sign-out still reads from the desk's copy.
    await openCustomer(b);
    await expect.poll(() => b.page.getByTestId('c360-notes').textContent()).toContain('Lead here: the customer will pay on Friday.');
  });
});
