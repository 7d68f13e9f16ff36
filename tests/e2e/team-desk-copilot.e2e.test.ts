import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yViolations, startE2E, type E2E } from '../helpers/browser';
import { tempDir } from '../helpers/services';
import { startSyncedTeam, until, type SyncedTeam } from '../helpers/team-desk';
import { addAgent } from '../helpers/team-server';
import { startOpenAIServer, type OpenAIServer } from '../openai-server';

// The copilot panel of a team desk in Chromium: the desk (web harness, its own cache) follows a
// team server (real PostgreSQL) whose model proxy forwards to the loopback OpenAI-compatible
// server with the team's key. The draft streams in from the team's model, citing the team's
// knowledge-base article; Settings › Copilot names the team's model instead of asking for a key.

const ACCOUNT = 'acct_1TeamCopilotE2E001';
const TEAM_MODEL_KEY = 'sk-proj-TeamCopilotE2EKey0123456789abcd';
let upstream: OpenAIServer;
let team: SyncedTeam;
let e2e: E2E;
let kb: ReturnType<typeof tempDir>;
let customer: { id: string; name: string };

beforeAll(async () => {
  upstream = await startOpenAIServer(() => ({ text: 'An annual plan renewal is refunded within forty-five days once a lead approves it [kb:team-refund-window].' }));
  team = await startSyncedTeam({ accountId: ACCOUNT, stripeKey: 'sk_test_teamCopilotE2E001', customers: 8, seed: 9, env: { OPENAI_API_KEY: TEAM_MODEL_KEY, OPENAI_BASE_URL: upstream.baseUrl, COPILOT_MODEL: 'team-model' } });
  const admin = await addAgent(team.server, 'Ada Admin', 'admin');
  const agent = await addAgent(team.server, 'Ari Agent', 'agent');
  kb = tempDir('bsc-team-kb-e2e-');
  fs.writeFileSync(path.join(kb.dir, 'team-refund-window.md'), '# Refund window\n\n## Annual plans\n\nThe team refunds an annual plan renewal within forty-five days once a lead approves it.\n');
  expect((await admin.call('kb.import', { folder: kb.dir })).body).toMatchObject({ ok: true });
  const c = team.stripe.store.all('customer')[0] as unknown as { id: string; name: string };
  customer = { id: c.id, name: c.name };
  e2e = await startE2E({ env: { BSC_TEAM_URL: team.server.url, BSC_TEAM_TOKEN: agent.token, BSC_TEAM_FOLLOW: '1' }, skipDemoSeed: true });
  await until('desk online', () => e2e.services.ctx.registries.teamDesk?.replica.status === 'online');
}, 180_000);

afterAll(async () => {
  await e2e?.close();
  await team?.stop();
  await upstream?.close();
  kb?.cleanup();
});

describe('the copilot panel on a team desk (Chromium)', () => {
  it("answers from the team's model through the team server, citing the team's article", async () => {
    const { page } = e2e;
    await page.reload();
    await page.getByRole('searchbox', { name: 'Filter customers' }).waitFor();
    await page.keyboard.press('Control+j');
    await page.getByTestId('copilot-panel').waitFor();
    await page.keyboard.press('Control+k');
    await page.keyboard.type(customer.id);
    await page.getByRole('option', { name: new RegExp(customer.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('copilot-customer').filter({ hasText: customer.name }).waitFor();
    await expect.poll(() => page.getByTestId('copilot-path').textContent()).toBe('Team model: team-model');

    const input = page.getByTestId('copilot-input');
    await input.fill('Can I get a refund for my annual plan renewal?');
    await input.press('Control+Enter');
    await page.getByTestId('copilot-insert').waitFor();
    const reply = page.getByTestId('copilot-reply').last();
    await expect.poll(() => reply.locator('.cp-draft-text').textContent()).toContain('refunded within forty-five days');
    expect(await reply.getByTestId('copilot-answered-by').textContent()).toMatch(/team-model \(the team's model\)/);

    const sent = upstream.requests.filter((r) => r.api === 'chat');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.authorization === `Bearer ${TEAM_MODEL_KEY}` && r.raw.includes('forty-five days'))).toBe(true);
    expect(await page.content()).not.toContain(TEAM_MODEL_KEY);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('team-desk-copilot-draft');
  });

  it("Settings › Copilot says the team's model (set by an admin), asks for no key and offers no import", async () => {
    const { page } = e2e;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
    const section = page.getByRole('region', { name: 'Copilot' });
    await section.waitFor();
    await expect.poll(() => section.getByTestId('copilot-team-model').textContent()).toContain("the team's model (set by an admin)");
    expect(await section.getByTestId('copilot-settings-path').textContent()).toContain("The team's model (set by an admin): team-model");
    await expect.poll(() => section.getByTestId('copilot-kb-status').textContent()).toMatch(/^1 article of the team's knowledge base/);
    expect(await section.getByTestId('copilot-key-input').count()).toBe(0);
    expect(await section.getByRole('form', { name: 'Import articles' }).count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await e2e.screenshot('team-desk-copilot-settings');
  });
});
