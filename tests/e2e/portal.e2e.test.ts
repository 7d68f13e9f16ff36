import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, seriousA11yViolations, type E2E } from '../helpers/browser';
import { seedCustomer, seedSubscription } from '../helpers/portal-fixtures';

// One click on a customer in the demo workspace: the link is simulated (and says so), lands on
// the clipboard, and the history shows who sent which flow.

const CUSTOMER = { id: 'cus_portalE2E', name: 'Grace Hopper', email: 'grace@example.com' };

describe('portal link in the browser (demo workspace)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({
      prepare: (s) => {
        seedCustomer(s.ctx.db, 'demo', CUSTOMER.id, CUSTOMER.name, CUSTOMER.email);
        seedSubscription(s.ctx.db, 'demo', 'sub_portalE2E', CUSTOMER.id, 'active');
        s.ctx.settings.set('agent_name', 'Ana Agent');
      },
    });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('opens a customer, one click copies a simulated link, and the UI says it is simulated', async () => {
    const { page } = e2e;
    await page.getByTestId('mode-banner').waitFor();
    // Open the customer through the search palette, as an agent does.
    await page.keyboard.press('Control+k');
    await page.keyboard.type(CUSTOMER.email);
    await page.getByRole('option', { name: new RegExp(CUSTOMER.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    const button = page.getByTestId('portal-link-button');
    await button.waitFor();

    await page.keyboard.press('p');
    const panel = page.getByRole('dialog', { name: 'Send a Customer Portal link' });
    await panel.waitFor();
    await panel.locator('button[data-flow="payment_method_update"]').click();

    const result = page.getByTestId('portal-link-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Link copied');
    expect(await result.textContent()).toContain('Simulated');
    expect(await result.textContent()).toContain('this link is simulated');
    const shown = await page.getByTestId('portal-link-url').inputValue();
    expect(shown).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/demo_[0-9a-f]{24}$/);
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(shown);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Link copied (simulated' }).count()).toBeGreaterThan(0);

    const row = e2e.services.ctx.db.prepare("SELECT flow, url, simulated, created_by FROM portal_links WHERE customer_id = ?").get(CUSTOMER.id);
    expect(row).toEqual({ flow: 'payment_method_update', url: shown, simulated: 1, created_by: 'Ana Agent' });
    const audit = e2e.services.ctx.db.prepare("SELECT actor, result FROM audit_log WHERE action = 'portal.create_link' AND target_id = ?").get(CUSTOMER.id);
    expect(audit).toEqual({ actor: 'Ana Agent', result: 'simulated' });
    await e2e.screenshot('portal-link');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('a clipboard that refuses the Copy button is said in words (the link stays in the field)', async () => {
    const { page } = e2e;
    await page.evaluate(`navigator.clipboard.writeText = () => Promise.reject(new Error('Write permission denied.'))`);
    await page.getByRole('button', { name: 'Copy the portal link' }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Could not copy the link' }).count()).toBe(1);
    expect(await page.getByTestId('portal-link-url').inputValue()).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    await page.reload();
    await page.getByTestId('mode-banner').waitFor();
    await page.keyboard.press('Control+k');
    await page.keyboard.type(CUSTOMER.email);
    await page.getByRole('option', { name: new RegExp(CUSTOMER.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('portal-link-button').click();
  });

  it('explains a refused flow in words instead of creating a link', async () => {
    const { page } = e2e;
    e2e.services.ctx.db.prepare("UPDATE subscriptions SET status = 'canceled' WHERE id = 'sub_portalE2E'").run();
    const panel = page.getByRole('dialog', { name: 'Send a Customer Portal link' });
    // Without a subscription list from the customer view the service decides; with one the flow is disabled.
    const cancel = panel.locator('button[data-flow="subscription_cancel"]');
    if (await cancel.isEnabled()) {
      await cancel.click();
      await expect.poll(() => panel.getByRole('alert').textContent()).toContain('sub_portalE2E is canceled');
    } else {
      expect(await cancel.getAttribute('title')).toContain('canceled');
    }
    e2e.services.ctx.db.prepare("UPDATE subscriptions SET status = 'active' WHERE id = 'sub_portalE2E'").run();
  });

  it('keyboard only: P, a digit makes the link; Esc closes just the panel, focus back on the button, the customer stays open', async () => {
    const { page } = e2e;
    const panel = page.getByRole('dialog', { name: 'Send a Customer Portal link' });
    const focusedTestId = () => page.evaluate<string | undefined>('document.activeElement?.dataset?.testid');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focusedTestId()).toBe('portal-link-button');

    await page.keyboard.press('p');
    await panel.waitFor();
    await page.keyboard.press('2'); // Update payment method
    await panel.getByTestId('portal-link-result').waitFor();
    // The link was made while the flow buttons were busy: Esc must still close the panel, not the customer.
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.getByTestId('customer-360').count()).toBe(1);
    expect(await focusedTestId()).toBe('portal-link-button');
  });

  it('the Portal links page shows who sent which flow when, with the simulated badge', async () => {
    const { page } = e2e;
    await page.keyboard.press('Escape');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Portal links/ }).click();
    const row = page.getByTestId('portal-link-row').first();
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain(CUSTOMER.name);
    expect(text).toContain('Update payment method');
    expect(text).toContain('Simulated');
    expect(text).toContain('Ana Agent');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('portal-links-page');
  });

  it('settings: the return URL and a simulated configuration with its login page URL, in dark mode too', async () => {
    const { page } = e2e;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Settings/ }).click();
    const section = page.getByRole('region', { name: 'Customer portal' });
    await section.waitFor();
    expect(await section.getByTestId('portal-return-url').inputValue()).toBe('https://example.com/billing');
    // Bad input gets a message in words; editing the text clears a message about the old text.
    const returnUrl = section.getByTestId('portal-return-url');
    await returnUrl.fill(`https://example.com/${'a'.repeat(5000)}`);
    await returnUrl.press('Enter');
    expect(await section.getByRole('alert').textContent()).toBe('The return URL is 5,020 characters long; the limit is 2,048.');
    await returnUrl.fill('javascript:alert(1)');
    expect(await section.getByRole('alert').count()).toBe(0);
    await returnUrl.press('Enter');
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('Must be a full http(s) URL');
    await returnUrl.fill('https://example.com/billing');
    expect(await section.getByRole('alert').count()).toBe(0);
    expect(e2e.services.ctx.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'portal.settings%'`).get()).toEqual({ n: 0 });
    const config = section.getByTestId('portal-config-row').first();
    await config.waitFor();
    expect(await config.textContent()).toContain('Stripe default');
    expect(await config.textContent()).toContain('https://billing.stripe.com/p/login/demo_');

    await section.getByRole('button', { name: 'New configuration' }).click();
    const form = section.getByRole('form', { name: 'New portal configuration' });
    await form.getByLabel('Name').fill('Cancellations');
    await form.getByLabel('Cancel subscriptions').check();
    await form.getByLabel('Ask for a cancellation reason').check();
    await form.getByLabel('too expensive').check();
    await form.getByLabel('Use for links sent from this console').check();
    await form.getByRole('button', { name: 'Create configuration' }).click();
    const created = section.getByTestId('portal-config-row').filter({ hasText: 'Cancellations' });
    await created.waitFor();
    expect(await created.textContent()).toContain('Used for links');
    expect(await created.textContent()).toContain('cancel at period end with reasons');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Dark' }).click();
    await section.scrollIntoViewIfNeeded();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('portal-settings-dark');
    await page.getByRole('button', { name: 'Light' }).click();
  });
});
