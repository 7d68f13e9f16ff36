import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { startE2E, seriousA11yViolations, setTheme, type E2E } from '../helpers/browser';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { TestServices } from '../helpers/services';

// The dunning queue in the browser (web harness + Debian Chromium): open it, filter, move with the
// keyboard, bulk-assign, export the CSV, retry (simulated in the demo workspace), the metrics charts.

const PEOPLE = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Linus Torvalds', 'Margaret Hamilton', 'Tim Berners-Lee', 'Barbara Liskov', 'Donald Knuth', 'Frances Allen', 'Edsger Dijkstra', 'Radia Perlman', 'Ken Thompson', 'Hedy Lamarr', 'John McCarthy', 'Anita Borg', 'Dennis Ritchie', 'Shafi Goldwasser', 'Claude Shannon', 'Jean Sammet', 'Yukihiro Matsumoto', 'Sophie Wilson', 'Guido van Rossum', 'Adele Goldberg'];
const DECLINES: Array<string | null> = ['insufficient_funds', 'generic_decline', 'lost_card', 'expired_card', 'authentication_required', 'do_not_honor', 'insufficient_funds', 'card_velocity_exceeded', 'stolen_card', null];
const CURRENCIES: Array<[string, number]> = [['usd', 100], ['eur', 100], ['gbp', 100], ['jpy', 1], ['usd', 100]];

/** 24 open cases over 4 currencies and every category, plus recovered and lost ones for the metrics. */
function seedQueue(s: TestServices): void {
  const nowS = Math.floor(Date.now() / 1000);
  const rows = new StripeRows(s.ctx.db, 'demo', nowS);
  PEOPLE.forEach((name, i) => {
    const id = `cus_e2e${i}`;
    const [currency, unit] = CURRENCIES[i % CURRENCIES.length]!;
    rows.customer(id, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, defaultPm: `pm_e2e${i}` });
    rows.invoice(`in_e2e${i}`, {
      customer: id,
      currency,
      number: `INV-${String(1000 + i)}`,
      amountDue: (29 + ((i * 37) % 400)) * unit * (currency === 'jpy' ? 100 : 1),
      attemptCount: 1 + (i % 4),
      nextPaymentAttempt: i % 3 === 0 ? null : nowS + ((i % 5) + 1) * DAY,
      failures: [{ declineCode: DECLINES[i % DECLINES.length]!, created: nowS - ((i * 3) % 40) * DAY - 3600, paymentMethod: `pm_e2e${i}` }],
    });
    // History for the metrics: a recovered and a lost invoice for some customers.
    if (i % 3 === 0) {
      rows.invoice(`in_e2eold${i}`, { customer: id, currency, amountDue: 49 * unit * (currency === 'jpy' ? 100 : 1), status: 'paid', paidAt: nowS - ((i % 9) + 1) * DAY, failures: [{ declineCode: DECLINES[(i + 1) % DECLINES.length]!, created: nowS - ((i % 9) + 4) * DAY }] });
    }
    if (i % 7 === 0) {
      rows.invoice(`in_e2evoid${i}`, { customer: id, currency, amountDue: 99 * unit, status: 'void', voidedAt: nowS - 2 * DAY, failures: [{ declineCode: 'stolen_card', created: nowS - 20 * DAY }] });
    }
  });
  reconcileDunning(s.ctx, 'demo');
}

describe('dunning queue in the browser', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ skipDemoSeed: true, prepare: seedQueue, viewport: { width: 1600, height: 940 } });
    await e2e.page.getByRole('button', { name: /^Dunning/ }).click();
    await e2e.page.locator('tr.dunning-row').first().waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const rowsShown = () => e2e.page.locator('tr.dunning-row');

  it('opens the queue sorted by amount at risk, with totals per currency', async () => {
    await expect.poll(() => rowsShown().count()).toBe(24);
    const totals = await e2e.page.locator('.dunning-totals').textContent();
    expect(totals).toContain('24 cases');
    expect(totals).toMatch(/\$[\d,]+\.\d\d/);
    expect(totals).toMatch(/¥[\d,]+/);
    expect(totals).toMatch(/€[\d,]+/);
  });

  it('filters by decline category and by text', async () => {
    const page = e2e.page;
    await page.locator('label.chip', { hasText: 'Hard decline' }).click();
    await expect.poll(async () => (await page.locator('.dunning-totals').textContent()) ?? '').toMatch(/^\s*[1-9]\d* cases?/);
    const badges = await page.locator('tr.dunning-row td:nth-child(5) .badge').allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    expect(new Set(badges)).toEqual(new Set(['Hard decline']));
    await page.locator('label.chip', { hasText: 'Hard decline' }).click();
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('grace@');
    await expect.poll(() => rowsShown().count()).toBe(1);
    expect(await rowsShown().first().textContent()).toContain('Grace Hopper');
    // Pasted with a zero-width space (as text copied from a web page often is): the same case.
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('');
    await expect.poll(() => rowsShown().count()).toBe(24);
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('gra\u200Bce@');
    await expect.poll(() => rowsShown().count()).toBe(1);
    expect(await rowsShown().first().textContent()).toContain('Grace Hopper');
    // 100 KB pasted into the search: the field says why it is not searched; the queue stays.
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('x'.repeat(100_000));
    await expect.poll(async () => (await page.locator('.dunning-filters').getByRole('alert').textContent()) ?? '').toContain('The search takes up to 200 characters; this has 100,000');
    await page.waitForTimeout(400); // past the filter's debounce: nothing may have been sent
    expect(await rowsShown().count()).toBe(1);
    expect(await page.getByText('Could not load the dunning queue').count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search the queue' }).fill('');
    await expect.poll(() => rowsShown().count()).toBe(24);
  });

  it('moves through the queue with J/K and shows the case under the cursor', async () => {
    const page = e2e.page;
    await page.locator('.dunning-table-scroll').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const cursorRow = page.locator('tr.dunning-row.cursor');
    await expect.poll(() => cursorRow.getAttribute('aria-rowindex')).toBe('3');
    const name = (await cursorRow.locator('.name').textContent())!;
    await expect.poll(async () => (await page.locator('.dunning-panel .customer-link').textContent()) ?? '').toBe(name);
    // Age in whole days with the exact opening time (a relative "2 days ago" beside "1 days" contradicted itself).
    const age = (await page.locator('.dunning-panel dt', { hasText: 'In dunning' }).locator('xpath=following-sibling::dd[1]').textContent()) ?? '';
    expect(age).toMatch(/^(1 day|\d+ days) \(opened \d{1,2} \w{3} \d{4}, \d\d:\d\d\)$/);
    expect(age).not.toMatch(/^1 days/);
  });

  it('Enter opens the case\'s customer; Esc (or ← Dunning) comes back to the queue, on the same case', async () => {
    const page = e2e.page;
    const cursorRow = page.locator('tr.dunning-row.cursor');
    const name = (await cursorRow.locator('.name').textContent())!;
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(name);
    expect(await page.locator('.c360-header > button').first().textContent()).toContain('Dunning');
    await page.keyboard.press('Escape');
    await page.locator('tr.dunning-row').first().waitFor();
    expect(await page.getByTestId('customer-360').count()).toBe(0);
    await expect.poll(() => cursorRow.getAttribute('aria-rowindex')).toBe('3');
    expect(await cursorRow.locator('.name').textContent()).toBe(name);

    // The same with the back button.
    await page.keyboard.press('Enter');
    await page.getByTestId('customer-360').waitFor();
    await page.getByRole('button', { name: 'Dunning Esc' }).click();
    await page.locator('tr.dunning-row').first().waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dunning');
  });

  it('bulk-assigns the selected cases, audited, and filters by the assignee', async () => {
    const page = e2e.page;
    const boxes = page.locator('tr.dunning-row td.check input');
    for (const i of [0, 1, 2]) await boxes.nth(i).check();
    await expect.poll(() => page.locator('.dunning-bulk strong').textContent()).toBe('3 selected');
    await page.getByRole('combobox', { name: 'Assign to' }).fill('Priya');
    await page.locator('.dunning-bulk').getByRole('button', { name: 'Assign' }).click();
    await expect.poll(async () => (await page.locator('.toast').textContent()) ?? '').toContain('Assigned 3 cases to Priya');
    const audit = e2e.services.ctx.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dunning.assign'`).get() as { n: number };
    expect(audit.n).toBe(3);
    await page.getByRole('combobox', { name: 'Assignee', exact: true }).selectOption('Priya');
    await expect.poll(() => rowsShown().count()).toBe(3);
    expect(await page.locator('tr.dunning-row td:last-child').allTextContents()).toEqual(['Priya', 'Priya', 'Priya']);
  });

  it('exports the filtered queue as a CSV file', async () => {
    const page = e2e.page;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dunning-\d{12}\.csv$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    // A byte-order mark, so a spreadsheet reads the file as UTF-8 (names in any script stay readable).
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('invoice,customer,email,amount_due,currency,attempt_count,next_payment_attempt,decline_code,category,stage,assignee,case_id,customer_name,amount_at_risk,advice_code,days_in_dunning,opened_at');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) expect(line).toContain(',Priya,');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => rowsShown().count()).toBe(24);
    await e2e.screenshot('dunning-queue');
  });

  it('retries a payment after confirmation; the demo workspace simulates it and says so', async () => {
    const page = e2e.page;
    // Put the cursor on a soft decline and press R.
    const soft = page.locator('tr.dunning-row', { hasText: 'Soft decline' }).first();
    await soft.click();
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Retry the payment now' });
    await dialog.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    // Modal: Tab and Shift+Tab stay on the dialog's buttons.
    await dialog.getByRole('button', { name: 'Retry payment now' }).waitFor();
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await page.evaluate<boolean>('!!document.activeElement?.closest(".dunning-dialog")')).toBe(true);
    }
    await dialog.getByRole('button', { name: 'Retry payment now' }).click();
    await expect.poll(async () => (await dialog.locator('.dunning-outcome').textContent()) ?? '').toMatch(/Simulated.*demo workspace/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const audit = e2e.services.ctx.db.prepare(`SELECT result FROM audit_log WHERE action = 'dunning.retry'`).all();
    expect(audit).toEqual([{ result: 'simulated' }]);
  });

  it('refuses to retry a hard decline and says why', async () => {
    const page = e2e.page;
    await page.locator('tr.dunning-row', { hasText: 'Hard decline' }).first().click();
    await page.keyboard.press('r');
    const dialog = page.getByRole('dialog', { name: 'Retry the payment now' });
    await expect.poll(async () => (await dialog.locator('.dunning-refusal').textContent()) ?? '').toMatch(/Retry refused/);
    expect(await dialog.getByRole('button', { name: 'Retry payment now' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('a case note: the half-written text survives moving to another case; an overlong paste is refused in words, not cut', async () => {
    const page = e2e.page;
    const box = page.getByRole('textbox', { name: 'New note on this case' });
    await rowsShown().nth(0).click();
    const first = (await page.locator('.dunning-panel .customer-link').textContent())!;
    await box.fill('Left a voicemail; will try again Thursday');
    await rowsShown().nth(1).click();
    await expect.poll(async () => (await page.locator('.dunning-panel .customer-link').textContent()) ?? '').not.toBe(first);
    expect(await box.inputValue()).toBe('');
    await rowsShown().nth(0).click();
    await expect.poll(async () => (await page.locator('.dunning-panel .customer-link').textContent()) ?? '').toBe(first);
    expect(await box.inputValue()).toBe('Left a voicemail; will try again Thursday');

    const long = 'Email thread pasted: ' + 'x'.repeat(12_000);
    await box.fill(long);
    await page.getByRole('button', { name: 'Add note' }).click();
    expect(await page.locator('.dunning-panel').getByRole('alert').textContent()).toContain('A note holds up to 10,000 characters; this one has 12,021');
    expect(await box.inputValue()).toBe(long);
    expect(e2e.services.ctx.db.prepare(`SELECT COUNT(*) AS n FROM notes WHERE dunning_case_id IS NOT NULL`).get()).toEqual({ n: 0 });
    await box.fill('');
  });

  it('has no serious accessibility violations in the queue', async () => {
    expect(await seriousA11yViolations(e2e.page)).toEqual([]);
  });

  it('shows the metrics charts', async () => {
    const page = e2e.page;
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByTestId('dunning-metrics').waitFor();
    await expect.poll(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(5);
    const cards = await page.locator('.metric-card').allTextContents();
    expect(cards.join(' ')).toMatch(/At risk · USD/);
    expect(cards.join(' ')).toMatch(/Time to recover/);
    await page.waitForTimeout(300);
    await e2e.screenshot('dunning-metrics');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('reads well in the dark theme', async () => {
    const page = e2e.page;
    await setTheme(page, 'dark');
    await page.getByRole('tab', { name: 'Queue' }).click();
    await page.locator('tr.dunning-row').first().waitFor();
    await e2e.screenshot('dunning-queue-dark');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

describe('dunning queue in a narrow window (1024×700)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ skipDemoSeed: true, prepare: seedQueue, viewport: { width: 1024, height: 700 } });
    await e2e.page.getByRole('button', { name: /^Dunning/ }).click();
    await e2e.page.locator('tr.dunning-row').first().waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  /** Cells of one column whose text is cut (ellipsis): a cut amount at risk hides money. */
  const cutCells = (column: string) =>
    e2e.page.evaluate<number>(`[...document.querySelectorAll('tr.dunning-row')].map((r) => r.children[[...document.querySelectorAll('.dunning-table thead th')].findIndex((th) => th.textContent.trim() === '${column}')]).filter((td) => td && td.scrollWidth > td.clientWidth).length`);

  it('keeps every amount at risk, the stage and the assignee readable; the case panel stays beside the queue', async () => {
    const page = e2e.page;
    const headers = (await page.locator('.dunning-table thead th').allTextContents()).map((t) => t.trim());
    expect(headers).toEqual(expect.arrayContaining(['Customer', 'At risk', 'Decline', 'Next retry', 'Stage', 'Assignee']));
    expect(await cutCells('At risk')).toBe(0);
    expect(await cutCells('Stage')).toBe(0);
    await expect.poll(async () => (await page.locator('.dunning-panel .dunning-amount').textContent()) ?? '').toMatch(/\d/);
    await e2e.screenshot('dunning-queue-narrow');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('the same with the copilot open beside it', async () => {
    const page = e2e.page;
    await page.keyboard.press('Control+j');
    await page.getByTestId('copilot-panel').waitFor();
    expect(await cutCells('At risk')).toBe(0);
    await page.keyboard.press('Control+j');
  });
});
