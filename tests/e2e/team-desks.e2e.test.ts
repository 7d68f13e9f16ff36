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
// Settings → Team says who and how it is connected. Screenshots of both.

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

async function openCustomer(e2e: E2E) {
  const { page } = e2e;
  await page.reload();
  await page.getByRole('searchbox', { name: 'Filter customers' }).waitFor();
  await page.keyboard.press('Control+k');
  await page.getByRole('dialog', { name: 'Search customers' }).waitFor();
  await page.keyboard.type(customer.id);
  await page.getByRole('option', { name: new RegExp(customer.name) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-360').waitFor();
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

  it("the agent's desk offers no assignment and no write-off (the role table says why); the lead's desk offers both", async () => {
    for (const d of [a, b]) {
      await d.page.reload();
      await d.page.getByRole('button', { name: /^Dunning/ }).first().click();
      await d.page.locator('.dunning-panel .customer-link').waitFor();
    }
    const onB = b.page.locator('.dunning-panel');
    await expect.poll(() => onB.getByTestId('dunning-assign-refused').textContent()).toContain('Assigning cases needs a team lead; you are an agent.');
    expect(await onB.getByRole('button', { name: 'Assign', exact: true }).count()).toBe(0);
    expect(await onB.getByRole('textbox', { name: 'Assignee of this case' }).count()).toBe(0);
    const movesOnB = onB.getByRole('group', { name: 'Move the case' });
    expect(await movesOnB.getByRole('button').count()).toBeGreaterThan(0);
    expect(await movesOnB.getByRole('button', { name: /lost/i }).count()).toBe(0);
    expect(await onB.textContent()).toContain('Writing a case off (stage lost) needs a team lead');
    expect(await b.page.getByRole('button', { name: 'Export CSV' }).getAttribute('title')).toBe('Exporting the queue as CSV needs a team lead; you are an agent.');
    expect(await b.page.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(true);
    expect(await seriousA11yViolations(b.page)).toEqual([]);
    await b.screenshot('team-desk-b-agent-case-panel');
    // Settings: keys live on the team server; portal settings are an admin's.
    await b.page.getByRole('button', { name: /settings/i }).first().click();
    const keyField = b.page.getByTestId('stripe-key-input');
    await expect.poll(() => keyField.isDisabled()).toBe(true);
    expect(await keyField.getAttribute('title')).toContain('live on the team server');
    const newConfig = b.page.getByRole('button', { name: 'New configuration' });
    await expect.poll(() => newConfig.getAttribute('title')).toBe('Creating a portal configuration needs an admin; you are an agent.');
    expect(await newConfig.isDisabled()).toBe(true);

    const onA = a.page.locator('.dunning-panel');
    await expect.poll(() => onA.getByRole('group', { name: 'Move the case' }).getByRole('button', { name: 'Write off (lost)' }).count()).toBe(1);
    expect(await onA.getByRole('button', { name: 'Assign', exact: true }).count()).toBe(1);
    expect(await onA.getByTestId('dunning-assign-refused').count()).toBe(0);
    expect(await a.page.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(false);
    await a.screenshot('team-desk-a-lead-case-panel');
  });

  it("the lead's metrics show each agent's open cases and amount at risk from the desk's copy, unassigned as its own row; the agent's desk does not show them", async () => {
    // A second case nobody holds yet, opened on the server: it reaches the lead's view through the feed.
    const other = team.stripe.store.all('customer')[1] as unknown as { id: string };
    await inTransaction(team.server.pool, (tx) =>
      openDunningCase(tx, team.server.feed, { accountId: ACCOUNT, customerId: other.id, invoiceId: 'in_e2e_team_unassigned', subscriptionId: null, amountAtRisk: 4_500, currency: 'eur', failureMark: 1, declineCode: 'expired_card', category: 'expired_card', openedAt: Math.floor(Date.now() / 1000) }),
    );
    await a.page.getByRole('tab', { name: 'Metrics' }).click();
    const rows = a.page.getByTestId('dunning-workload-row');
    await expect.poll(() => rows.allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining('Ari Agent'), expect.stringContaining('Unassigned')]);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['1', '$129.00', '—']);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['1', '€45.00', '—']);
    expect(await seriousA11yViolations(a.page)).toEqual([]);
    await a.screenshot('team-desk-a-lead-workload');

    await b.page.getByRole('button', { name: /^Dunning/ }).first().click();
    await b.page.getByRole('tab', { name: 'Metrics' }).click();
    await b.page.getByTestId('dunning-metrics').waitFor();
    expect(await b.page.getByTestId('dunning-workload').count()).toBe(0);
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
});
