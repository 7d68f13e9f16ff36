import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, seriousA11yViolations, type E2E } from '../helpers/browser';
import { seedCustomer, seedSubscription } from '../helpers/portal-fixtures';
import { SHORTCUTS, type ShortcutId } from '../../renderer/src/app/keymap';

// Every shortcut of the one keymap table, pressed in its scope in the browser, with the effect a
// user would see — and the same keys pressed where they must do nothing: with a dialog open and
// while typing in a field. The test keeps a list of what it pressed and fails when the cheat
// sheet holds a shortcut no step pressed, so a new shortcut cannot go untested.

const CUSTOMER = { id: 'cus_keysE2E', name: 'Katherine Johnson', email: 'katherine@example.com' };

const pressed = new Set<ShortcutId>();

/** Presses `key` as the shortcut `id` (checked against the table, so a renamed key fails here). */
async function press(page: Page, id: ShortcutId, key: string): Promise<void> {
  const specs = SHORTCUTS[id].keys as readonly string[];
  expect(specs, `${key} is a key of ${id}`).toContain(key.replace(/^Control\+/, 'Mod+'));
  for (const step of key.split(' ')) await page.keyboard.press(step);
  pressed.add(id);
}

const activeInfo = (page: Page) =>
  page.evaluate<{ tag: string; label: string | null; inDialog: boolean; text: string }>(
    '({ tag: document.activeElement?.tagName ?? "", label: document.activeElement?.getAttribute("aria-label") ?? null, inDialog: !!document.activeElement?.closest("dialog[open]"), text: document.activeElement?.textContent ?? "" })',
  );
/** The portal flow button that has focus ('' when focus is anywhere else: the page's own text holds every label). */
const focusedFlow = (page: Page) =>
  page.evaluate<string>('document.activeElement?.matches("button.portal-flow") ? document.activeElement.textContent ?? "" : ""');
const cursorRow = (page: Page, cls: string) => page.locator(`tr.${cls}.cursor`).getAttribute('aria-rowindex');
const heading = (page: Page) => page.locator('main h1').first().textContent();

describe('every keyboard shortcut, in its scope (web harness)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({
      prepare: (s) => {
        seedCustomer(s.ctx.db, 'demo', CUSTOMER.id, CUSTOMER.name, CUSTOMER.email);
        seedSubscription(s.ctx.db, 'demo', 'sub_keysE2E', CUSTOMER.id, 'active');
        s.ctx.settings.set('agent_name', 'Ana Agent');
      },
    });
    await e2e.page.getByRole('table', { name: 'Customers' }).waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('? opens the cheat sheet: every shortcut of the table, by scope; Esc closes it', async () => {
    const { page } = e2e;
    await press(page, 'help.shortcuts', '?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    expect(await sheet.locator('[data-shortcut]').count()).toBe(Object.keys(SHORTCUTS).length);
    for (const [id, def] of Object.entries(SHORTCUTS)) {
      expect(await sheet.locator(`section[data-scope="${def.scope}"] [data-shortcut="${id}"]`).textContent()).toContain(def.does);
    }
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('keyboard-cheat-sheet');
    // A modal: the list's J behind it does nothing, Tab stays inside.
    const before = await cursorRow(page, 'customer-row');
    await page.keyboard.press('j');
    expect(await cursorRow(page, 'customer-row')).toBe(before);
    await press(page, 'dialog.wrapFocus', 'Tab');
    await press(page, 'dialog.wrapFocus', 'Shift+Tab');
    expect((await activeInfo(page)).inDialog).toBe(true);
    await press(page, 'dialog.close', 'Escape');
    await expect.poll(() => sheet.count()).toBe(0);
  });

  it('global: Ctrl+K search (and again to close), Ctrl+J copilot, g then c/d/p/s', async () => {
    const { page } = e2e;
    await press(page, 'palette.toggle', 'Control+k');
    const palette = page.getByRole('dialog', { name: 'Search customers' });
    await palette.waitFor();
    // With the palette open, g d is typed into its box: no view switch, no cheat sheet on ?.
    await page.keyboard.type('gd?');
    expect(await palette.getByRole('combobox').inputValue()).toBe('gd?');
    expect(await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(0);
    await press(page, 'palette.toggle', 'Control+k');
    await expect.poll(() => palette.count()).toBe(0);
    expect(await heading(page)).toBe('Customers');

    await press(page, 'copilot.toggle', 'Control+j');
    await page.getByTestId('copilot-panel').waitFor();
    await press(page, 'copilot.toggle', 'Control+j');
    await expect.poll(() => page.getByTestId('copilot-panel').count()).toBe(0);

    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await press(page, 'go.dunning', 'g d');
    await expect.poll(() => heading(page)).toBe('Dunning');
    await press(page, 'go.portal', 'g p');
    await expect.poll(() => heading(page)).toBe('Portal links');
    await press(page, 'go.settings', 'g s');
    await expect.poll(() => heading(page)).toBe('Settings');
    await press(page, 'go.customers', 'g c');
    await expect.poll(() => heading(page)).toBe('Customers');
  });

  it('list: J/K and arrows move, / goes to the filter, and in the filter arrows move and Enter opens', async () => {
    const { page } = e2e;
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await expect.poll(() => cursorRow(page, 'customer-row')).toBe('2');
    await press(page, 'list.next', 'j');
    await expect.poll(() => cursorRow(page, 'customer-row')).toBe('3');
    await press(page, 'list.next', 'ArrowDown');
    await expect.poll(() => cursorRow(page, 'customer-row')).toBe('4');
    await press(page, 'list.previous', 'k');
    await expect.poll(() => cursorRow(page, 'customer-row')).toBe('3');
    await press(page, 'list.previous', 'ArrowUp');
    await expect.poll(() => cursorRow(page, 'customer-row')).toBe('2');

    await press(page, 'list.search', '/');
    await expect.poll(async () => (await activeInfo(page)).label).toBe('Filter customers');
    // Typing in the field: single keys are text, not shortcuts (no "/" typed twice, no g-then-d switch).
    await page.keyboard.type('gd');
    expect(await page.getByRole('searchbox', { name: 'Filter customers' }).inputValue()).toBe('gd');
    expect(await heading(page)).toBe('Customers');
    await page.getByRole('searchbox', { name: 'Filter customers' }).fill('');
    await page.keyboard.type(CUSTOMER.email.slice(0, 9));
    await expect.poll(() => page.locator('tr.customer-row').first().textContent()).toContain(CUSTOMER.name);
    const rows = await page.locator('tr.customer-row').count();
    if (rows > 1) {
      await press(page, 'filter.next', 'ArrowDown');
      await expect.poll(() => cursorRow(page, 'customer-row')).toBe('3');
      await press(page, 'filter.previous', 'ArrowUp');
      await expect.poll(() => cursorRow(page, 'customer-row')).toBe('2');
    } else {
      // One match: the cursor cannot move past it either way.
      await press(page, 'filter.next', 'ArrowDown');
      await press(page, 'filter.previous', 'ArrowUp');
      expect(await cursorRow(page, 'customer-row')).toBe('2');
    }
    expect((await activeInfo(page)).label).toBe('Filter customers');
    await press(page, 'filter.open', 'Enter');
    await page.getByTestId('customer-360').filter({ hasText: CUSTOMER.name }).waitFor();
  });

  it('customer: N writes a note, Ctrl+Enter saves it, Esc leaves the field, then Esc goes back', async () => {
    const { page } = e2e;
    await press(page, 'customer.note', 'n');
    await expect.poll(async () => (await activeInfo(page)).label).toBe('New note');
    // Typed in the note: n, p and Esc-less letters are text.
    await page.keyboard.type('Promised a callback; no portal link yet');
    expect(await page.getByRole('dialog', { name: 'Send a Customer Portal link' }).count()).toBe(0);
    await press(page, 'text.submit', 'Control+Enter');
    await expect.poll(() => page.getByTestId('c360-note').first().textContent()).toContain('Promised a callback; no portal link yet');
    expect(await page.getByRole('textbox', { name: 'New note' }).inputValue()).toBe('');
    await press(page, 'text.leave', 'Escape');
    expect((await activeInfo(page)).tag).not.toBe('TEXTAREA');
    // Leaving the field did not leave the customer.
    expect(await page.getByTestId('customer-360').count()).toBe(1);
  });

  it('customer: P opens the portal panel; J/K and arrows move between flows, a digit makes a link, Esc closes only the panel', async () => {
    const { page } = e2e;
    await press(page, 'customer.portalLink', 'p');
    const panel = page.getByRole('dialog', { name: 'Send a Customer Portal link' });
    // J straight after P, as a quick agent types it: the first flow already has focus, J moves on.
    await press(page, 'portal.nextFlow', 'j');
    await panel.waitFor();
    await expect.poll(() => focusedFlow(page)).toContain('Update payment method');
    await press(page, 'portal.nextFlow', 'ArrowDown');
    await expect.poll(() => focusedFlow(page)).toContain('Cancel subscription');
    await press(page, 'portal.previousFlow', 'ArrowUp');
    await expect.poll(() => focusedFlow(page)).toContain('Update payment method');
    await press(page, 'portal.previousFlow', 'k');
    await expect.poll(() => focusedFlow(page)).toContain('Portal home page');
    await press(page, 'portal.flow', '2');
    await panel.getByTestId('portal-link-result').waitFor();
    expect(e2e.services.ctx.db.prepare('SELECT flow FROM portal_links WHERE customer_id = ?').all(CUSTOMER.id)).toEqual([{ flow: 'payment_method_update' }]);
    await press(page, 'dialog.close', 'Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await page.getByTestId('customer-360').count()).toBe(1);
    await press(page, 'customer.back', 'Escape');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
  });

  it('dunning queue: J/K, X selects, Esc clears, M marks contacted, R retries in a modal that shuts out the queue keys, / searches, Enter opens', async () => {
    const { page } = e2e;
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await press(page, 'go.dunning', 'g d');
    await page.locator('tr.dunning-row').first().waitFor();
    const at = () => cursorRow(page, 'dunning-row');
    const first = await at();
    await press(page, 'list.next', 'j');
    await expect.poll(at).not.toBe(first);
    await press(page, 'list.previous', 'k');
    await expect.poll(at).toBe(first);

    await press(page, 'queue.select', 'x');
    await page.getByRole('toolbar', { name: 'Actions on 1 selected cases' }).waitFor();
    await press(page, 'queue.clearSelection', 'Escape');
    await expect.poll(() => page.locator('.dunning-bulk').count()).toBe(0);

    const soft = page.locator('tr.dunning-row', { hasText: 'Soft decline' }).first();
    await soft.click();
    const caseRow = await at();
    await press(page, 'queue.retry', 'r');
    const dialog = page.getByRole('dialog', { name: 'Retry the payment now' });
    await dialog.getByRole('button', { name: 'Retry payment now' }).waitFor();
    // The modal shuts out the queue: J, X and / do nothing behind it.
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    expect(await at()).toBe(caseRow);
    expect(await page.locator('.dunning-bulk').count()).toBe(0);
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab']) {
      await press(page, 'dialog.wrapFocus', key);
      expect((await activeInfo(page)).inDialog).toBe(true);
    }
    await press(page, 'dialog.close', 'Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(e2e.services.ctx.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dunning.retry'`).get()).toEqual({ n: 0 });

    const caseId = Number(await page.locator('tr.dunning-row.cursor').getAttribute('data-case-id'));
    await press(page, 'queue.contacted', 'm');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Marked 1 contacted' }).count()).toBeGreaterThan(0);
    if (Number.isFinite(caseId) && caseId > 0) expect(e2e.services.ctx.db.prepare('SELECT stage FROM dunning_cases WHERE id = ?').get(caseId)).toEqual({ stage: 'contacted' });

    await press(page, 'list.search', '/');
    await expect.poll(async () => (await activeInfo(page)).label).toBe('Search the queue');
    // Typed into the search: x and m are text here.
    await page.keyboard.type('xm');
    expect(await page.getByRole('searchbox', { name: 'Search the queue' }).inputValue()).toBe('xm');
    expect(await page.locator('.dunning-bulk').count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('');
    await soft.click();
    await press(page, 'list.open', 'Enter');
    await page.getByTestId('customer-360').waitFor();
    await press(page, 'customer.back', 'Escape');
    await expect.poll(() => heading(page)).toBe('Dunning');
  });

  it('text fields: Esc cancels naming a saved view; Ctrl+Enter sends to the copilot', async () => {
    const { page } = e2e;
    await page.getByRole('button', { name: 'Save view' }).click();
    const name = page.getByRole('textbox', { name: 'Name of the view' });
    await name.waitFor();
    await page.keyboard.type('Half a name');
    await press(page, 'text.leave', 'Escape');
    await expect.poll(() => name.count()).toBe(0);

    await press(page, 'go.customers', 'g c');
    await page.keyboard.press('Control+k');
    await page.keyboard.type(CUSTOMER.email);
    await page.getByRole('option', { name: new RegExp(CUSTOMER.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
    await press(page, 'copilot.toggle', 'Control+j');
    const input = page.getByTestId('copilot-input');
    await input.fill('Why was I charged twice?');
    await input.focus();
    await press(page, 'text.submit', 'Control+Enter');
    await expect.poll(() => page.getByTestId('copilot-user-message').last().textContent()).toContain('Why was I charged twice?');
  });

  it('pressed every shortcut the cheat sheet lists', () => {
    expect(Object.keys(SHORTCUTS).filter((id) => !pressed.has(id as ShortcutId))).toEqual([]);
  });
});
