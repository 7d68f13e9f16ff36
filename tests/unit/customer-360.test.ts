import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Customer360, CustomerRefreshResult, NoteView } from '../../shared/contract/customers';
import type { DataChanged } from '../../shared/contract/streams';
import { monthlyAmount } from '../../electron/services/customers/monthly-amount';
import { cardExpiryFlags } from '../../electron/services/customers/card-expiry';
import { explainDecline } from '../../electron/services/customers/decline-words';
import { testServices, type TestServices } from '../helpers/services';
import { customer, deleteCustomer, invoice, paymentMethod, seed, subscription, T0 } from '../helpers/customer-fixtures';

describe('monthly recurring amount', () => {
  const item = (unitAmount: number | null, interval: string | null, intervalCount = 1, quantity = 1) => ({ unitAmount, interval, intervalCount, quantity });

  it('converts every interval to a month', () => {
    expect(monthlyAmount([item(1000, 'month')])).toBe(1000);
    expect(monthlyAmount([item(12000, 'year')])).toBe(1000);
    expect(monthlyAmount([item(1200, 'week')])).toBe(5200); // 1200 × 52 ÷ 12
    expect(monthlyAmount([item(100, 'day')])).toBe(3042); // 100 × 365 ÷ 12 = 3041.67
  });

  it('respects interval_count and quantity, and sums items before rounding once', () => {
    expect(monthlyAmount([item(3000, 'month', 3)])).toBe(1000); // quarterly
    expect(monthlyAmount([item(10000, 'year', 2)])).toBe(417); // 10000 ÷ 24 = 416.67
    expect(monthlyAmount([item(500, 'month', 1, 7)])).toBe(3500);
    // Three yearly items of 100: 8.33 each; rounding per item would give 24, the sum is 25.
    expect(monthlyAmount([item(100, 'year'), item(100, 'year'), item(100, 'year')])).toBe(25);
  });

  it('ignores items without a recurring price', () => {
    expect(monthlyAmount([item(null, 'month'), item(1000, null), item(1000, 'fortnight')])).toBe(0);
  });

  it('a yearly price is twelve months of its monthly amount, within rounding (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 50 }), (amount, quantity) => {
        const perMonth = monthlyAmount([item(amount, 'year', 1, quantity)]);
        return Math.abs(perMonth * 12 - amount * quantity) <= 6;
      }),
    );
  });
});

describe('card expiry flags', () => {
  const now = Date.UTC(2025, 10, 15); // 15 November 2025
  it.each([
    [10, 2025, { expired: true, expiringSoon: false }],
    [11, 2025, { expired: false, expiringSoon: true }], // valid through the end of this month
    [12, 2025, { expired: false, expiringSoon: true }], // next month
    [1, 2026, { expired: false, expiringSoon: false }],
    [11, 2024, { expired: true, expiringSoon: false }],
    [null, null, { expired: false, expiringSoon: false }],
  ])('%s/%s', (m, y, flags) => {
    expect(cardExpiryFlags(m, y, now)).toEqual(flags);
  });

  it('crosses the year boundary', () => {
    expect(cardExpiryFlags(1, 2026, Date.UTC(2025, 11, 31, 23, 59))).toEqual({ expired: false, expiringSoon: true });
    expect(cardExpiryFlags(12, 2025, Date.UTC(2026, 0, 1, 0, 1))).toEqual({ expired: true, expiringSoon: false });
  });
});

describe('declines in words', () => {
  it('explains a decline code and gives Stripe’s advice when there is one', () => {
    expect(explainDecline({ status: 'failed', decline_code: 'insufficient_funds', failure_code: 'card_declined', advice_code: 'try_again_later' })).toEqual({
      explanation: 'The card has insufficient funds to complete the purchase.',
      advice: 'Retrying later is likely to succeed.',
      category: 'insufficient_funds',
    });
  });

  it('falls back to the step the category calls for, and reads failure codes like expired_card', () => {
    const hard = explainDecline({ status: 'failed', decline_code: 'stolen_card', failure_code: 'card_declined', advice_code: null })!;
    expect(hard.category).toBe('hard');
    expect(hard.advice).toMatch(/will not retry/);
    const expired = explainDecline({ status: 'failed', decline_code: null, failure_code: 'expired_card', advice_code: null })!;
    expect(expired).toMatchObject({ category: 'expired_card', explanation: 'The card has expired.' });
  });

  it('has nothing to say about a paid attempt', () => {
    expect(explainDecline({ status: 'paid', decline_code: null, failure_code: null, advice_code: null })).toBeNull();
  });
});

describe('customers handlers over real services', () => {
  let s: TestServices;
  const changes: DataChanged[] = [];
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await s.table.dispatch(name, input, { actor: 'Dana' });
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.value as T;
  };
  const failure = async (name: string, input: unknown) => {
    const r = await s.table.dispatch(name, input, { actor: 'Dana' });
    if (r.ok) throw new Error(`${name} should have failed`);
    return r.error;
  };
  const now = new Date();
  const thisMonth = { m: now.getUTCMonth() + 1, y: now.getUTCFullYear() };
  const lastMonth = thisMonth.m === 1 ? { m: 12, y: thisMonth.y - 1 } : { m: thisMonth.m - 1, y: thisMonth.y };

  beforeAll(async () => {
    s = await testServices({ skipDemoSeed: true });
    s.ctx.hub.subscribe((channel, payload) => {
      if (channel === 'data.changed') changes.push(payload as DataChanged);
    });
    seed(s.ctx.db, 'demo', [
      customer({ id: 'cus_full', name: 'Kenji Sato', email: 'kenji@example.jp', defaultPaymentMethod: 'pm_new', currency: 'jpy' }),
      paymentMethod({ id: 'pm_old', customer: 'cus_full', last4: '0005', expMonth: lastMonth.m, expYear: lastMonth.y, created: T0 - 100 }),
      paymentMethod({ id: 'pm_soon', customer: 'cus_full', last4: '1111', expMonth: thisMonth.m, expYear: thisMonth.y, created: T0 - 50 }),
      paymentMethod({ id: 'pm_new', customer: 'cus_full', last4: '4242', expMonth: 12, expYear: thisMonth.y + 5, created: T0 }),
      subscription({
        id: 'sub_full',
        customer: 'cus_full',
        currency: 'jpy',
        status: 'past_due',
        cancelAtPeriodEnd: true,
        trialEnd: T0 - 86400,
        items: [
          { id: 'si_base', unitAmount: 120000, currency: 'jpy', interval: 'year', productName: 'Pro', nickname: 'Pro yearly' },
          { id: 'si_seats', unitAmount: 500, currency: 'jpy', interval: 'month', quantity: 3, productName: 'Seats' },
        ],
      }),
      invoice({
        id: 'in_jpy',
        customer: 'cus_full',
        number: 'KS-0002',
        currency: 'jpy',
        status: 'open',
        amountDue: 5000,
        subscription: 'sub_full',
        nextPaymentAttempt: T0 + 86400 * 3,
        created: T0,
        attempts: [
          { id: 'inpay_1', status: 'failed', amount: 5000, declineCode: 'insufficient_funds', adviceCode: 'try_again_later', created: T0 - 10 },
          { id: 'inpay_2', status: 'failed', amount: 5000, declineCode: 'do_not_honor', created: T0 },
        ],
      }),
      invoice({ id: 'in_kwd', customer: 'cus_full', number: 'KS-0001', currency: 'kwd', amountDue: 1500, created: T0 - 86400 * 30, attempts: [{ id: 'inpay_0', status: 'paid', amount: 1500 }] }),
      customer({ id: 'cus_live', name: 'Live One', livemode: true }),
      customer({ id: 'cus_gone', name: 'Gone' }),
      ...Array.from({ length: 30 }, (_, i) => customer({ id: `cus_list${String(i).padStart(2, '0')}`, name: `List ${i}`, created: T0 - 1000 - i })),
    ]);
    deleteCustomer(s.ctx.db, 'demo', 'cus_gone');
    s.ctx.db
      .prepare(`INSERT INTO dunning_cases (account_id, customer_id, invoice_id, stage, amount_at_risk, currency, decline_code, category, opened_at, stage_changed_at) VALUES ('demo', 'cus_full', 'in_jpy', 'contacted', 5000, 'jpy', 'do_not_honor', 'soft', ?, ?)`)
      .run(T0, T0);
    s.ctx.db.prepare(`INSERT INTO timeline_events (account_id, id, customer_id, type, object_id, summary, created) VALUES ('demo', 'evt_1', 'cus_full', 'invoice.payment_failed', 'in_jpy', 'Payment of ¥5,000 failed', ?)`).run(T0);
    s.ctx.db.prepare(`INSERT INTO portal_links (account_id, customer_id, flow, url, simulated, created_by, created_at_ms) VALUES ('demo', 'cus_full', 'payment_method_update', 'https://billing.stripe.com/p/session/test_x', 1, 'Dana', ?)`).run(T0 * 1000);
  });
  afterAll(async () => {
    await s?.dispose();
  });

  it('builds every section of the 360 view', async () => {
    const c = await call<Customer360>('customers.get', { customerId: 'cus_full' });
    expect(c.dashboardUrl).toBe('https://dashboard.stripe.com/test/customers/cus_full');
    expect(c.subscriptions).toHaveLength(1);
    const sub = c.subscriptions[0]!;
    expect(sub).toMatchObject({ status: 'past_due', cancelAtPeriodEnd: true, trialEnd: T0 - 86400, currency: 'jpy' });
    expect(sub.monthlyAmount).toBe(10000 + 1500); // ¥120,000/yr ÷ 12 + ¥500 × 3
    expect(sub.items.map((i) => [i.productName, i.currentPeriodEnd])).toEqual([
      ['Pro', T0 + 86400 * 20],
      ['Seats', T0 + 86400 * 20],
    ]);
    expect(c.invoices.map((i) => [i.number, i.currency, i.amountDue])).toEqual([
      ['KS-0002', 'jpy', 5000],
      ['KS-0001', 'kwd', 1500],
    ]);
    const open = c.invoices[0]!;
    expect(open).toMatchObject({ attemptCount: 2, declineCode: 'do_not_honor', nextPaymentAttempt: T0 + 86400 * 3 });
    expect(open.attempts.map((a) => a.explanation)).toEqual(['The card has insufficient funds to complete the purchase.', 'The bank declined the payment without giving a reason.']);
    expect(open.attempts[0]!.advice).toBe('Retrying later is likely to succeed.');
    expect(c.paymentMethods.map((p) => [p.id, p.isDefault, p.expiringSoon, p.expired])).toEqual([
      ['pm_new', true, false, false],
      ['pm_soon', false, true, false],
      ['pm_old', false, false, true],
    ]);
    expect(c.dunning).toEqual([expect.objectContaining({ stage: 'contacted', amountAtRisk: 5000, currency: 'jpy', attemptCount: 2, nextPaymentAttempt: T0 + 86400 * 3, closedAt: null })]);
    expect(c.timeline).toEqual([expect.objectContaining({ type: 'invoice.payment_failed', summary: 'Payment of ¥5,000 failed' })]);
    expect(c.portalLinks).toEqual([expect.objectContaining({ flow: 'payment_method_update', simulated: true, createdBy: 'Dana' })]);
    expect(c.syncedAt).toBeGreaterThan(0);
  });

  it('links a live customer to the live Dashboard (no /test)', async () => {
    const c = await call<Customer360>('customers.get', { customerId: 'cus_live' });
    expect(c.dashboardUrl).toBe('https://dashboard.stripe.com/customers/cus_live');
  });

  it('answers an unknown or deleted customer with not_found naming the id, and a malformed id with bad_input', async () => {
    expect(await failure('customers.get', { customerId: 'cus_nobody' })).toMatchObject({ code: 'not_found', message: expect.stringContaining('cus_nobody') });
    expect(await failure('customers.get', { customerId: 'cus_gone' })).toMatchObject({ code: 'not_found', message: expect.stringContaining('deleted') });
    expect(await failure('customers.get', { customerId: 'in_123' })).toMatchObject({ code: 'bad_input' });
    expect(await failure('customers.get', {})).toMatchObject({ code: 'bad_input' });
  });

  it('pages the customer list newest first, without deleted customers', async () => {
    const page1 = await call<{ rows: Array<{ id: string }>; total: number }>('customers.list', { offset: 0, limit: 10 });
    const page2 = await call<{ rows: Array<{ id: string }>; total: number }>('customers.list', { offset: 10, limit: 10 });
    expect(page1.total).toBe(32); // 2 named + 30 listed; the deleted one is not counted
    expect(page1.rows).toHaveLength(10);
    expect(page1.rows.map((r) => r.id)).not.toContain('cus_gone');
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id)).size).toBe(20);
    expect(await failure('customers.list', { offset: -1 })).toMatchObject({ code: 'bad_input' });
  });

  it('adds and edits notes, audits both without the text, and tells the views', async () => {
    changes.length = 0;
    const note = await call<NoteView>('notes.add', { customerId: 'cus_full', body: '  Called about the failed payment; will update card.  ' });
    expect(note).toMatchObject({ body: 'Called about the failed payment; will update card.', author: 'Dana' });
    const edited = await call<NoteView>('notes.update', { noteId: note.id, body: 'Card updated by phone.' });
    expect(edited).toMatchObject({ id: note.id, body: 'Card updated by phone.' });
    expect(edited.updatedAt).toBeGreaterThanOrEqual(note.updatedAt);
    const c = await call<Customer360>('customers.get', { customerId: 'cus_full' });
    expect(c.notes.map((n) => n.body)).toEqual(['Card updated by phone.']);
    const audit = s.ctx.audit.forTarget('demo', 'cus_full');
    expect(audit.map((a) => a.action)).toEqual(['note.update', 'note.add']);
    expect(audit.every((a) => a.actor === 'Dana' && a.result === 'ok' && !a.params_json.includes('Card updated'))).toBe(true);
    expect(changes).toEqual([
      { accountId: 'demo', kinds: ['notes'], customerIds: ['cus_full'] },
      { accountId: 'demo', kinds: ['notes'], customerIds: ['cus_full'] },
    ]);
  });

  it('refuses empty notes, notes on unknown customers and edits of unknown notes, leaving data intact', async () => {
    expect(await failure('notes.add', { customerId: 'cus_full', body: '   ' })).toMatchObject({ code: 'bad_input' });
    expect(await failure('notes.add', { customerId: 'cus_nobody', body: 'x' })).toMatchObject({ code: 'not_found' });
    expect(await failure('notes.update', { noteId: 999999, body: 'x' })).toMatchObject({ code: 'not_found', message: expect.stringContaining('999999') });
    expect(await failure('notes.add', { customerId: 'cus_full', body: 'x'.repeat(10_001) })).toMatchObject({ code: 'bad_input' });
    const c = await call<Customer360>('customers.get', { customerId: 'cus_full' });
    expect(c.notes).toHaveLength(1);
  });

  it('refreshes in the demo workspace by re-reading the cache, and says so', async () => {
    const r = await call<CustomerRefreshResult>('customers.refresh', { customerId: 'cus_full' });
    expect(r.source).toBe('local');
    expect(r.message).toMatch(/demo workspace/);
    expect(r.customer.id).toBe('cus_full');
    expect(await failure('customers.refresh', { customerId: 'cus_nobody' })).toMatchObject({ code: 'not_found' });
  });

  it('searches through the handler with the contract’s validation', async () => {
    const hits = await call<Array<{ id: string }>>('customers.search', { query: 'kenji' });
    expect(hits.map((h) => h.id)).toEqual(['cus_full']);
    expect(await failure('customers.search', { query: 'x'.repeat(201) })).toMatchObject({ code: 'bad_input' });
    expect(await failure('customers.search', { query: 'a', limit: 0 })).toMatchObject({ code: 'bad_input' });
  });
});
