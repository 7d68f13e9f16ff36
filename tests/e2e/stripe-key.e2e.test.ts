import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, seriousA11yViolations, setTheme, type E2E } from '../helpers/browser';
import { startLoopbackProviders, type LoopbackProviders } from '../helpers/loopback-providers';

// Settings → Stripe in the browser, against the harness and a loopback Stripe stand-in:
// refused keys explained in words, an accepted key shown only as kind/mode/last 4, accounts
// listed with their mode, switching, removing a key.

const GOOD = 'rk_test_51GoodKeyA1b2C3d4E5f6G7h8';
const REJECTED = 'sk_test_51RejectedKeyZ9y8X7w6V5u4';

describe('Settings → Stripe key', () => {
  let e2e: E2E;
  let providers: LoopbackProviders;
  beforeAll(async () => {
    providers = await startLoopbackProviders({ stripeAccounts: { [GOOD]: 'acct_1GoodAccount' } });
    e2e = await startE2E({ stripeApiBase: providers.url, demoCustomers: 30 });
    await e2e.page.getByRole('button', { name: /settings/i }).first().click();
    await e2e.page.getByRole('heading', { name: 'Stripe' }).waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
    await providers?.close();
  });

  const input = () => e2e.page.getByTestId('stripe-key-input');
  const submit = () => e2e.page.getByRole('button', { name: /check and save/i });

  it('starts in the demo workspace with an empty state for accounts', async () => {
    expect(await e2e.page.getByTestId('stripe-current-mode').textContent()).toContain('DEMO');
    expect(await e2e.page.getByText('No Stripe account yet').count()).toBe(1);
  });

  it('explains a publishable key before sending anything', async () => {
    const before = providers.requests.length;
    await input().fill('pk_test_51AbCdEfGhIjKlMnOp');
    expect(await e2e.page.getByText(/publishable key/).count()).toBeGreaterThan(0);
    expect(await submit().isDisabled()).toBe(true);
    expect(providers.requests.length).toBe(before);
  });

  it('shows a rejected key as an alert with a next step, and does not echo it', async () => {
    await input().fill(REJECTED);
    await submit().click();
    const alert = e2e.page.getByTestId('stripe-key-error');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/did not accept/);
    expect(text).not.toContain(REJECTED);
    expect(await e2e.page.content()).not.toContain(REJECTED.slice(8));
  });

  it('saves an accepted key: kind, test mode and last four only; the field is emptied', async () => {
    await input().fill(GOOD);
    expect(await e2e.page.getByText('Restricted key, test mode.').count()).toBe(1);
    await submit().click();
    const added = e2e.page.getByTestId('stripe-key-added');
    await added.waitFor();
    const text = (await added.textContent()) ?? '';
    expect(text).toContain('restricted key');
    expect(text).toContain(GOOD.slice(-4));
    expect(text).toContain('TEST MODE');
    expect(await input().inputValue()).toBe('');
    expect(await e2e.page.content()).not.toContain(GOOD.slice(8));
    await expect.poll(() => e2e.page.getByTestId('mode-banner').textContent()).toContain('TEST');
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('settings-stripe-key-light');
  });

  it('switches between the Stripe account and the demo workspace', async () => {
    await e2e.page.getByRole('button', { name: /switch to demo workspace/i }).click();
    await expect.poll(() => e2e.page.getByTestId('mode-banner').textContent()).toContain('DEMO');
    await e2e.page.getByRole('button', { name: /switch to loopback acct_1goodaccount/i }).click();
    await expect.poll(() => e2e.page.getByTestId('mode-banner').textContent()).toContain('TEST');
  });

  it('removes a key after a confirmation, back to the demo workspace', async () => {
    await e2e.page.getByRole('button', { name: /remove key for loopback/i }).click();
    await e2e.page.getByRole('group', { name: /remove the key/i }).getByRole('button', { name: 'Remove key' }).click();
    await expect.poll(() => e2e.page.getByTestId('mode-banner').textContent()).toContain('DEMO');
  });

  it('reads well in the dark theme too', async () => {
    await setTheme(e2e.page, 'dark');
    await input().fill('rk_live_51AbCdEfGhIjKlMnOpQr');
    expect(await e2e.page.getByText(/LIVE mode/).count()).toBeGreaterThan(0);
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
    await e2e.screenshot('settings-stripe-key-dark');
  });
});
