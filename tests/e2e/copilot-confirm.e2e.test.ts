import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, seriousA11yViolations, type E2E } from '../helpers/browser';
import type { TestServices } from '../helpers/services';
import { SCENARIO_CUSTOMERS, seedCopilotFixtures } from '../../electron/services/copilot/eval/fixtures';

// Issue 10 item 11: the copilot's confirmation of a write (retry, cancel, pause) says in which mode
// it acts, for how much and on which subscription; Cancel has focus (Enter out of habit does
// nothing irreversible); the proposal's reason is labelled by who wrote it; live mode has a banner
// that cannot be read as the orange test banner. The harness serves a demo workspace, so live mode
// is what the renderer is told: workspace.status is answered as live at the HTTP layer.

const GRACE = { id: SCENARIO_CUSTOMERS.soft_decline, name: 'Grace Hopper', email: 'grace@cobol.example' };

function seed(s: TestServices): void {
  seedCopilotFixtures(s.ctx.db, s.ctx.workspace.current().id);
  s.ctx.settings.set('agent_name', 'Ana Agent');
}

async function answerAsLive(page: Page): Promise<void> {
  await page.route('**/api/call/workspace.status', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { ok: boolean; value: { mode: string; account: { livemode?: boolean; name?: string } | null } };
    body.value.mode = 'live';
    if (body.value.account) body.value.account = { ...body.value.account, livemode: true, name: 'Analytical Engines Ltd' };
    await route.fulfill({ response, json: body });
  });
}

async function openRetryConfirmation(page: Page) {
  await page.keyboard.press('Control+k');
  await page.keyboard.type(GRACE.email);
  await page.getByRole('option', { name: new RegExp(GRACE.name) }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-360').waitFor();
  if ((await page.getByTestId('copilot-panel').count()) === 0) await page.keyboard.press('Control+j');
  const input = page.getByTestId('copilot-input');
  await input.fill("I've topped up my card, please charge it again now.");
  await input.press('Control+Enter');
  const card = page.getByTestId('copilot-reply').last().locator('[data-testid="copilot-proposal"][data-type="retry_payment"]');
  await card.getByRole('button', { name: 'Confirm…' }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  return dialog;
}

describe('copilot confirmation: mode, amount, subscription, focus on Cancel', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ prepare: seed });
    await e2e.page.getByTestId('mode-banner').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('in the demo workspace: says it is simulated, shows the invoice amount and the subscription, Cancel focused, the reason labelled', async () => {
    const { page } = e2e;
    const dialog = await openRetryConfirmation(page);
    expect(await dialog.getByTestId('copilot-confirm-mode').textContent()).toContain('Demo workspace');
    expect(await dialog.getByTestId('copilot-confirm-amount').textContent()).toContain('$99.00');
    expect(await dialog.getByTestId('copilot-confirm-amount').textContent()).toContain('COBL-2002');
    expect(await dialog.getByTestId('copilot-confirm-subscription').textContent()).toContain('sub_EvalSoft01');
    expect(await dialog.getByTestId('copilot-confirm-subscription').textContent()).toContain('Team');
    expect(await dialog.getByTestId('copilot-confirm-reason').textContent()).toMatch(/^Why \(a rule over the cached data\):/);
    await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Cancel');
    // Enter on the focused Cancel runs nothing.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(e2e.services.ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('in live mode: a red striped LIVE banner, and the confirmation says LIVE MODE and "Confirm in live mode"', async () => {
    const { page } = e2e;
    await answerAsLive(page);
    await page.reload();
    const banner = page.getByTestId('mode-banner');
    await expect.poll(() => banner.getAttribute('class')).toContain('mode-live');
    expect(await banner.textContent()).toContain('LIVE');
    expect(await banner.textContent()).toContain('real money');
    // (A string expression: the tests compile without the DOM library.)
    const look = await page.evaluate<{ image: string; color: string }>('(() => { const s = getComputedStyle(document.querySelector("[data-testid=mode-banner]")); return { image: s.backgroundImage, color: s.color }; })()');
    // Not the orange test banner (#f5a623), not a flat colour: red stripes with white text.
    expect(look.image).toContain('repeating-linear-gradient');
    expect(look.image).toContain('rgb(196, 18, 47)');
    expect(look.color).toBe('rgb(255, 255, 255)');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('live-mode-banner');

    const dialog = await openRetryConfirmation(page);
    expect(await dialog.getByTestId('copilot-confirm-mode').textContent()).toContain('LIVE MODE');
    expect(await dialog.getByTestId('copilot-confirm').textContent()).toBe('Confirm in live mode');
    await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Cancel');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('copilot-confirm-live');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });
});
