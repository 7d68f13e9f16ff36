import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, seriousA11yViolations, setTheme, type E2E } from '../helpers/browser';

// Customer search and the Customer 360 view in the browser (web harness + Debian Chromium), over
// the generated demo workspace: the list, the Ctrl/Cmd+K palette as an agent types, one customer
// with every section, notes added and edited (and audited), live refresh, both themes, axe.

interface Pick {
  customerId: string;
  name: string;
  email: string;
  last4: string;
  amount: number;
  currency: string;
}

const usd = (minor: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(minor / 100);

describe('customers in the browser (demo workspace)', () => {
  let e2e: E2E;
  let target: Pick;
  let sharedEmail: { email: string; n: number };

  beforeAll(async () => {
    e2e = await startE2E({ viewport: { width: 1440, height: 900 } });
    const db = e2e.services.ctx.db;
    // A customer whose card was declined for lack of funds (a USD invoice) and who has a card on file.
    target = db
      .prepare(
        `SELECT c.id AS customerId, c.name, c.email, pm.card_last4 AS last4, i.total AS amount, i.currency
           FROM payment_attempts a
           JOIN invoices i ON i.id = a.invoice_id AND i.account_id = a.account_id
           JOIN customers c ON c.id = a.customer_id AND c.account_id = a.account_id
           JOIN payment_methods pm ON pm.customer_id = c.id AND pm.account_id = c.account_id AND pm.card_last4 IS NOT NULL
          WHERE a.account_id = 'demo' AND a.decline_code = 'insufficient_funds' AND i.currency = 'usd' AND c.name IS NOT NULL AND c.email IS NOT NULL
          ORDER BY c.id LIMIT 1`,
      )
      .get() as Pick;
    sharedEmail = db
      .prepare(`SELECT email, COUNT(*) AS n FROM customers WHERE account_id = 'demo' AND email IS NOT NULL AND deleted IS 0 GROUP BY lower(email) HAVING n > 1 ORDER BY email LIMIT 1`)
      .get() as { email: string; n: number };
    expect(target).toBeTruthy();
    expect(sharedEmail).toBeTruthy();
    await e2e.page.getByTestId('mode-banner').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows the customer list, virtualized, with a filter box', async () => {
    const { page } = e2e;
    const list = page.getByRole('table', { name: 'Customers' });
    await list.waitFor();
    const total = (e2e.services.ctx.db.prepare(`SELECT COUNT(*) AS n FROM customers WHERE account_id = 'demo' AND deleted IS 0`).get() as { n: number }).n;
    await expect.poll(() => page.getByTestId('customer-count').textContent()).toContain(`${total} in the cache`);
    // Virtualized: fewer rows in the DOM than customers in the cache.
    const rendered = await page.locator('tr.customer-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(total);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('customer-list');

    await page.getByRole('searchbox', { name: 'Filter customers' }).fill(target.email.toUpperCase());
    await expect.poll(() => page.locator('tr.customer-row').first().textContent()).toContain(target.name);
    await page.getByRole('searchbox', { name: 'Filter customers' }).fill('');
    await expect.poll(() => page.locator('tr.customer-row').count()).toBe(rendered);
  });

  it('searches as the agent types and tells apart customers who share an email', async () => {
    const { page } = e2e;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search customers' });
    await dialog.waitFor();
    // Key by key: the results follow the text typed so far. (The demo spells some shared emails in
    // different cases: the match and the grouping ignore case.)
    await page.keyboard.type(sharedEmail.email.slice(0, 4));
    await expect.poll(() => dialog.getByRole('option').count()).toBeGreaterThan(0);
    await page.keyboard.type(sharedEmail.email.slice(4));
    const group = dialog.getByRole('group', { name: new RegExp(`${sharedEmail.n} customers share ${sharedEmail.email.replace(/[.+]/g, '\\$&')}`, 'i') });
    await group.waitFor();
    const options = group.getByRole('option');
    await expect.poll(() => options.count()).toBe(sharedEmail.n);
    // Each one says which customer it is: a different id and its creation date.
    const texts = await options.allTextContents();
    const ids = texts.map((t) => /cus_[A-Za-z0-9]+/.exec(t)?.[0]);
    expect(new Set(ids).size).toBe(sharedEmail.n);
    for (const t of texts) expect(t).toMatch(/created \d{1,2} \w{3} \d{4}/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('customer-search');

    // A query with no match says so and what to try.
    await page.keyboard.press('Control+a');
    await page.keyboard.type('zzqxqzzqxq');
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain('No customer matches');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('opens a customer from the palette with the keyboard; every section renders real content', async () => {
    const { page } = e2e;
    await page.keyboard.press('Control+k');
    await page.keyboard.type(target.customerId);
    // The answer to the whole id (answers to the partial ids typed on the way hold prefix matches).
    await page.locator(`.palette-list[data-rendered-query="${target.customerId}"]`).waitFor();
    const exact = page.getByRole('option', { name: new RegExp(target.name) }).first();
    await exact.waitFor();
    // An exact id ranks first and is selected: Enter opens it.
    expect(await exact.getAttribute('aria-selected')).toBe('true');
    expect(await exact.textContent()).toContain('Exact id');
    await page.keyboard.press('Enter');

    const view = page.getByTestId('customer-360');
    await view.waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(target.name);
    const dashboard = page.getByRole('link', { name: /Stripe Dashboard/ }).first();
    expect(await dashboard.getAttribute('href')).toBe(`https://dashboard.stripe.com/test/customers/${target.customerId}`);

    const subs = page.getByTestId('c360-subscriptions');
    expect(await subs.textContent()).toMatch(/\/ month/);

    const invoices = await page.getByTestId('c360-invoices').textContent();
    expect(invoices).toContain(usd(target.amount));
    expect(invoices).toContain('insufficient_funds');
    expect(invoices).toContain('The card has insufficient funds to complete the purchase.');
    expect(invoices).toContain('Next step:');

    expect(await page.getByTestId('c360-payment-methods').textContent()).toContain(`•••• ${target.last4}`);
    expect(await page.getByRole('region', { name: 'Dunning' }).count()).toBe(1);
    expect(await page.getByTestId('c360-timeline').locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('c360-portal-links').textContent()).toContain('Portal links');
    expect(await page.getByTestId('freshness').textContent()).toContain('Synced');
  });

  it('adds and edits a note; both are audited', async () => {
    const { page } = e2e;
    const notes = page.getByTestId('c360-notes');
    await page.keyboard.press('n');
    await page.keyboard.type('Promised a call back on Monday about the declined renewal.');
    await page.keyboard.press('Control+Enter');
    const note = notes.getByTestId('c360-note').first();
    await expect.poll(() => note.textContent()).toContain('Promised a call back on Monday');

    await note.getByRole('button', { name: /Edit the note/ }).click();
    const box = note.getByRole('textbox', { name: 'Edit note' });
    await box.fill('Called on Monday: the customer will update the card this week.');
    await note.getByRole('button', { name: 'Save' }).click();
    // The saved note's text (the edit box holds the same words while the save is in flight).
    await expect.poll(() => note.locator('.note-body').textContent()).toContain('the customer will update the card this week');
    expect(await note.textContent()).toContain('edited');

    const audit = e2e.services.ctx.db
      .prepare(`SELECT action FROM audit_log WHERE target_id = ? AND action LIKE 'note.%' ORDER BY id`)
      .all(target.customerId) as Array<{ action: string }>;
    expect(audit.map((a) => a.action)).toEqual(['note.add', 'note.update']);
    const stored = e2e.services.ctx.db.prepare(`SELECT body FROM notes WHERE customer_id = ?`).all(target.customerId);
    expect(stored).toEqual([{ body: 'Called on Monday: the customer will update the card this week.' }]);
  });

  it('an empty edit is refused with a message and the note is kept', async () => {
    const { page } = e2e;
    const note = page.getByTestId('c360-notes').getByTestId('c360-note').first();
    await note.getByRole('button', { name: /Edit the note/ }).click();
    await note.getByRole('textbox', { name: 'Edit note' }).fill('   ');
    await note.getByRole('button', { name: 'Save' }).click();
    expect(await note.getByRole('alert').textContent()).toContain('cannot be empty');
    await note.getByRole('button', { name: 'Cancel' }).click();
    expect(await note.textContent()).toContain('the customer will update the card this week');
  });

  it('follows changes from the services and refreshes on demand', async () => {
    const { page, services } = e2e;
    services.ctx.db.prepare(`UPDATE customers SET name = ? WHERE account_id = 'demo' AND id = ?`).run(`${target.name} (renamed)`, target.customerId);
    services.ctx.hub.emit('data.changed', { accountId: 'demo', kinds: ['customers'], customerIds: [target.customerId] });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('(renamed)');

    await page.getByRole('button', { name: 'Refresh this customer' }).click();
    await expect.poll(() => page.getByTestId('freshness').textContent()).toContain('demo workspace has no Stripe account');
    services.ctx.db.prepare(`UPDATE customers SET name = ? WHERE account_id = 'demo' AND id = ?`).run(target.name, target.customerId);
    services.ctx.hub.emit('data.changed', { accountId: 'demo', kinds: ['customers'], customerIds: [target.customerId] });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).not.toContain('(renamed)');
  });

  it('looks right in light and dark, with no serious accessibility violations', async () => {
    const { page } = e2e;
    await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()'); // the resting state
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('customer-360');
    await setTheme(page, 'dark');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('customer-360-dark');
    await setTheme(page, 'light');
  });

  it('Esc goes back to the list', async () => {
    const { page } = e2e;
    await page.keyboard.press('Escape');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    expect(await page.getByTestId('customer-360').count()).toBe(0);
  });
});

describe('customers: keyboard focus, bad input and failures (demo workspace)', () => {
  let e2e: E2E;
  let target: { customerId: string; name: string; email: string };
  const PALETTE_HOLDS = `(() => { const p = document.querySelector('.palette'); const r = p.getBoundingClientRect();
    return [p, ...p.querySelectorAll('*')].every((el) => el.scrollWidth <= el.clientWidth + 1 || getComputedStyle(el).overflowX !== 'visible') && r.right <= window.innerWidth && p.scrollWidth <= p.clientWidth; })()`;
  const focusedInView = () => e2e.page.evaluate<boolean>('!!document.activeElement?.closest("[data-testid=customer-360]")');

  beforeAll(async () => {
    e2e = await startE2E({ viewport: { width: 1024, height: 700 } });
    target = e2e.services.ctx.db
      .prepare(`SELECT id AS customerId, name, email FROM customers WHERE account_id = 'demo' AND deleted IS 0 AND name GLOB '[A-Z]*' AND email IS NOT NULL ORDER BY id LIMIT 1`)
      .get() as typeof target;
    await e2e.page.getByRole('table', { name: 'Customers' }).waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function openFromPalette(query: string) {
    const { page } = e2e;
    await page.keyboard.press('Control+k');
    await page.keyboard.type(query);
    await page.getByRole('option', { name: new RegExp(target.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
  }

  it('opening a customer puts focus on their name, so Tab goes on through their view', async () => {
    const { page } = e2e;
    await openFromPalette(target.customerId);
    await expect.poll(() => page.evaluate<string>('document.activeElement?.tagName')).toBe('H1');
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toContain(target.name);
    await page.keyboard.press('Tab');
    expect(await focusedInView()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
  });

  it('in the list, focus follows J/K so Enter opens the row in view; back with Esc, focus is on that row again', async () => {
    const { page } = e2e;
    const table = page.getByRole('table', { name: 'Customers' });
    await table.waitFor();
    const focusedText = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
    await table.locator('tr.customer-row button').first().focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const third = (await table.locator('tr.customer-row').nth(2).locator('button').textContent())!;
    await expect.poll(focusedText).toBe(third);
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(third);
    await page.keyboard.press('Escape');
    await table.waitFor();
    await expect.poll(focusedText).toBe(third);
  });

  it('a half-written note survives leaving the customer; a changed edit is not thrown away by Esc', async () => {
    const { page } = e2e;
    await openFromPalette(target.customerId);
    const box = page.getByRole('textbox', { name: 'New note' });
    // N focuses the note box once the view has its notes (typing before that would go nowhere).
    await box.waitFor();
    await page.keyboard.press('n');
    await expect.poll(() => box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('Customer says the bank blocked the charge; call back after 3pm');
    expect(await box.inputValue()).toBe('Customer says the bank blocked the charge; call back after 3pm');
    await page.keyboard.press('Escape'); // leaves the box
    await page.keyboard.press('Escape'); // leaves the customer
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await openFromPalette(target.customerId);
    expect(await box.inputValue()).toBe('Customer says the bank blocked the charge; call back after 3pm');

    await page.keyboard.press('n');
    await page.keyboard.press('Control+Enter');
    const note = page.getByTestId('c360-note').first();
    await expect.poll(() => note.locator('.note-body').textContent()).toContain('bank blocked the charge');
    expect(await box.inputValue()).toBe('');
    await note.getByRole('button', { name: /Edit the note/ }).click();
    const edit = note.getByRole('textbox', { name: 'Edit note' });
    await edit.fill('Customer says the bank blocked the charge; called back, card replaced');
    await page.keyboard.press('Escape');
    expect(await note.getByRole('alert').textContent()).toContain('unsaved changes');
    const before = await edit.inputValue();
    await edit.fill('y'.repeat(10_001));
    await note.getByRole('button', { name: 'Save' }).click();
    expect(await note.getByRole('alert').textContent()).toContain('A note holds up to 10,000 characters; this one has 10,001');
    await edit.fill(before);
    expect(await edit.inputValue()).toContain('card replaced');
    await note.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => note.locator('.note-body').textContent()).toContain('card replaced');
    // Focus is back on Edit (not dropped on the page).
    await expect.poll(() => page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Edit');
    await page.keyboard.press('Escape');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
  });

  it('a 100 KB paste into the palette: it says the first 200 characters were kept, and the layout holds', async () => {
    const { page } = e2e;
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search customers' });
    await page.evaluate(`navigator.clipboard.writeText('${target.name.split(' ')[0]} ' + 'y'.repeat(100000))`);
    await page.keyboard.press('Control+v');
    await expect.poll(() => dialog.getByRole('status').first().textContent()).toContain('You pasted 100,');
    expect(await dialog.textContent()).toContain('keeps the first 200');
    await expect.poll(() => dialog.getByRole('status').last().textContent()).toContain('No customer matches');
    expect(await page.evaluate<boolean>(PALETTE_HOLDS)).toBe(true);
    await e2e.screenshot('customer-search-overlong');

    // Hostile markup, right-to-left text and emoji: shown as text, nothing rendered or run.
    await page.keyboard.press('Control+a');
    await page.evaluate(`navigator.clipboard.writeText('<img src=x onerror=alert(1)> مرحبا 🙂 \\u202Eevil')`);
    await page.keyboard.press('Control+v');
    await expect.poll(() => dialog.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await dialog.locator('img').count()).toBe(0);
    expect(await dialog.textContent()).not.toContain('You pasted'); // a short paste fits: no notice
    expect(await page.evaluate<boolean>(PALETTE_HOLDS)).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('a search that fails says so; Try again keeps the keys in the palette (Enter opens the match, not the list behind)', async () => {
    const { page } = e2e;
    await page.route('**/api/call/customers.search', (route) => route.abort());
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search customers' });
    await page.keyboard.type(target.email);
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('The search failed');
    await page.unroute('**/api/call/customers.search');
    await dialog.getByRole('button', { name: 'Try again' }).click();
    await dialog.getByRole('option', { name: new RegExp(target.name) }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(target.name);
    await page.keyboard.press('Escape');
    await page.getByRole('table', { name: 'Customers' }).waitFor();
  });

  it('the list filter: a failed search is an error with Try again, never "No customer matches"', async () => {
    const { page } = e2e;
    await page.route('**/api/call/customers.search', (route) => route.abort());
    const filter = page.getByRole('searchbox', { name: 'Filter customers' });
    await filter.fill(target.email);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Could not search the customers');
    expect(await page.locator('main').textContent()).not.toContain('No customer matches');
    expect(await page.getByTestId('customer-count').textContent()).toBe('');
    await page.unroute('**/api/call/customers.search');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.locator('tr.customer-row').first().textContent()).toContain(target.name);
    await filter.fill('');
  });

  it('a customer deleted in Stripe: the open view keeps what it read and says so; opening it later says what to do', async () => {
    const { page, services } = e2e;
    await openFromPalette(target.email);
    // A portal link first, so the Portal links page can open this customer again later.
    await page.keyboard.press('p');
    await page.keyboard.press('1');
    await page.getByTestId('portal-link-result').waitFor();
    await page.keyboard.press('Escape');

    services.ctx.db.prepare(`UPDATE customers SET deleted = 1 WHERE account_id = 'demo' AND id = ?`).run(target.customerId);
    services.ctx.hub.emit('data.changed', { accountId: 'demo', kinds: ['customers'], customerIds: [target.customerId] });
    await expect.poll(() => page.getByTestId('customer-360').getByRole('alert').textContent()).toContain('was deleted in Stripe');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(target.name);

    await page.keyboard.press('Escape');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /Portal links/ }).click();
    await page.getByTestId('portal-link-row').first().locator('button.portal-link-customer').click();
    const error = page.getByTestId('customer-360-error');
    await error.waitFor();
    expect(await error.getByRole('alert').textContent()).toContain(`Customer ${target.customerId} was deleted in Stripe.`);
    expect(await error.getByRole('alert').textContent()).toContain('search for them by name or email');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await e2e.screenshot('customer-360-deleted');
    await error.getByRole('button', { name: /Search customers/ }).click();
    await page.getByRole('dialog', { name: 'Search customers' }).waitFor();
    await page.keyboard.press('Escape');
    // Back goes to where the customer was opened from: the Portal links page.
    expect(await error.getByRole('button', { name: /Portal links/ }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Portal links');
    services.ctx.db.prepare(`UPDATE customers SET deleted = 0 WHERE account_id = 'demo' AND id = ?`).run(target.customerId);
  });
});
