import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServices, type TestServices } from '../helpers/services';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { CaseRecord } from '../../electron/services/dunning/case-store';

const A = 'demo';

describe('dunning cases derived from the cache', () => {
  let s: TestServices;
  let rows: StripeRows;
  const nowS = Math.floor(Date.now() / 1000);
  const cases = () => s.ctx.db.prepare('SELECT * FROM dunning_cases WHERE account_id = ? ORDER BY id').all(A) as CaseRecord[];

  beforeEach(async () => {
    s = await testServices({ skipDemoSeed: true });
    rows = new StripeRows(s.ctx.db, A, nowS);
    rows.customer('cus_A', { defaultPm: 'pm_old' });
    rows.customer('cus_B');
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('opens a case for an open invoice with a failed attempt, with the decline, its category, advice and retry picture', () => {
    rows.invoice('in_A1', {
      customer: 'cus_A',
      amountDue: 12_345,
      currency: 'eur',
      nextPaymentAttempt: nowS + 3 * DAY,
      failures: [
        { declineCode: 'do_not_honor', created: nowS - 5 * DAY, paymentMethod: 'pm_old' },
        { declineCode: 'insufficient_funds', adviceCode: 'try_again_later', created: nowS - 2 * DAY, paymentMethod: 'pm_old' },
      ],
    });
    const r = reconcileDunning(s.ctx, A);
    expect(r.opened).toBe(1);
    const [c] = cases();
    expect(c).toMatchObject({
      customer_id: 'cus_A',
      invoice_id: 'in_A1',
      stage: 'new',
      amount_at_risk: 12_345,
      entered_amount: 12_345,
      currency: 'eur',
      attempt_count: 2,
      next_payment_attempt: nowS + 3 * DAY,
      decline_code: 'insufficient_funds',
      advice_code: 'try_again_later',
      category: 'insufficient_funds',
      payment_method_at_decline: 'pm_old',
      opened_at: nowS - 5 * DAY,
    });
  });

  it('ignores open invoices without a failure, paid invoices that never failed, and drafts', () => {
    rows.invoice('in_ok', { customer: 'cus_A', failures: [] });
    rows.invoice('in_paid', { customer: 'cus_A', status: 'paid', failures: [] });
    rows.invoice('in_draft', { customer: 'cus_A', status: 'draft' });
    reconcileDunning(s.ctx, A);
    expect(cases()).toEqual([]);
  });

  it('derives closed cases for invoices that went through dunning and settled before the console saw them (recent ones only)', () => {
    rows.invoice('in_paid', { customer: 'cus_A', amountDue: 9_900, status: 'paid', paidAt: nowS - 3 * DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - 10 * DAY }] });
    rows.invoice('in_void', { customer: 'cus_B', amountDue: 4_000, status: 'void', voidedAt: nowS - 5 * DAY, failures: [{ declineCode: 'stolen_card', created: nowS - 20 * DAY }] });
    rows.invoice('in_old', { customer: 'cus_B', status: 'paid', paidAt: nowS - 200 * DAY, failures: [{ declineCode: 'generic_decline', created: nowS - 210 * DAY }] });
    const r = reconcileDunning(s.ctx, A);
    expect(r).toMatchObject({ opened: 0, historical: 2 });
    expect(cases().map((c) => [c.invoice_id, c.stage, c.recovered_amount, c.entered_amount, c.category, c.opened_at, c.closed_at])).toEqual([
      ['in_paid', 'recovered', 9_900, 9_900, 'insufficient_funds', nowS - 10 * DAY, nowS - 3 * DAY],
      ['in_void', 'lost', 0, 4_000, 'hard', nowS - 20 * DAY, nowS - 5 * DAY],
    ]);
    expect(reconcileDunning(s.ctx, A).historical).toBe(0);
    expect(cases()).toHaveLength(2);
  });

  it('classifies from a specific failure code when Stripe gives no decline_code, and says unknown when there is no decline data', () => {
    rows.invoice('in_exp', { customer: 'cus_A', failures: [{ declineCode: null, code: 'expired_card', created: nowS - DAY }] });
    rows.invoice('in_none', { customer: 'cus_B', attemptCount: 1, failures: [] });
    // attempt_count > 0 with no payments known (payments not expanded) still counts as a failed attempt
    s.ctx.db.prepare("DELETE FROM payment_attempts WHERE invoice_id = 'in_none'").run();
    reconcileDunning(s.ctx, A);
    const byInvoice = Object.fromEntries(cases().map((c) => [c.invoice_id, c.category]));
    expect(byInvoice).toEqual({ in_exp: 'expired_card', in_none: 'unknown' });
  });

  it('moves the case to recovered with the recovered amount when the invoice is paid', () => {
    rows.invoice('in_A1', { customer: 'cus_A', amountDue: 5_000, failures: [{ declineCode: 'insufficient_funds', created: nowS - 4 * DAY }] });
    reconcileDunning(s.ctx, A);
    rows.invoice('in_A1', { customer: 'cus_A', amountDue: 5_000, status: 'paid', paidAt: nowS - DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - 4 * DAY }] });
    const r = reconcileDunning(s.ctx, A);
    expect(r.closed).toBe(1);
    expect(cases()[0]).toMatchObject({ stage: 'recovered', recovered_amount: 5_000, closed_reason: 'paid', closed_at: nowS - DAY });
  });

  it.each([
    ['void', 'voided'],
    ['uncollectible', 'uncollectible'],
  ] as const)('moves the case to lost when the invoice is %s', (status, reason) => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    rows.invoice('in_A1', { customer: 'cus_A', status, failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    expect(cases()[0]).toMatchObject({ stage: 'lost', recovered_amount: 0, closed_reason: reason });
  });

  it('moves the case to lost when its subscription is canceled', () => {
    rows.subscription('sub_A', 'cus_A', 'past_due', { latestInvoice: 'in_A1' });
    rows.invoice('in_A1', { customer: 'cus_A', subscription: 'sub_A', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    expect(cases()[0]).toMatchObject({ stage: 'new', subscription_id: 'sub_A' });
    rows.subscription('sub_A', 'cus_A', 'canceled', { latestInvoice: 'in_A1' });
    reconcileDunning(s.ctx, A);
    expect(cases()).toHaveLength(1);
    expect(cases()[0]).toMatchObject({ stage: 'lost', closed_reason: 'subscription_canceled' });
  });

  it('opens a NEW case when a failure follows a closed case, and leaves the closed one untouched', async () => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - 3 * DAY }] });
    reconcileDunning(s.ctx, A);
    await s.table.dispatch('dunning.setStage', { caseIds: [cases()[0]!.id], stage: 'lost' }, { actor: 'ana' });
    const closed = cases()[0]!;
    // The same failure seen again (a later sync of the same state) does not reopen anything…
    reconcileDunning(s.ctx, A);
    expect(cases()).toEqual([closed]);
    // …but Stripe's next automatic retry failing does.
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - 3 * DAY }, { declineCode: 'insufficient_funds', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    const [first, second] = cases();
    expect(first).toEqual(closed);
    expect(second).toMatchObject({ invoice_id: 'in_A1', stage: 'new', attempt_count: 2, category: 'insufficient_funds', opened_at: nowS - DAY });
  });

  it('opens a case for a past_due subscription whose invoice is not in the cache, and lets the invoice adopt it later', () => {
    rows.subscription('sub_B', 'cus_B', 'past_due', { latestInvoice: 'in_B9', unitAmount: 2_500, currency: 'gbp' });
    reconcileDunning(s.ctx, A);
    expect(cases()).toHaveLength(1);
    expect(cases()[0]).toMatchObject({ invoice_id: null, subscription_id: 'sub_B', amount_at_risk: 2_500, currency: 'gbp', category: 'unknown', stage: 'new' });
    const id = cases()[0]!.id;
    rows.invoice('in_B9', { customer: 'cus_B', subscription: 'sub_B', currency: 'gbp', amountDue: 2_500, failures: [{ declineCode: 'card_velocity_exceeded', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    expect(cases()).toHaveLength(1);
    expect(cases()[0]).toMatchObject({ id, invoice_id: 'in_B9', subject: 'invoice:in_B9', category: 'soft', decline_code: 'card_velocity_exceeded' });
  });

  it('recovers a subscription-only case when the subscription is active again', () => {
    rows.subscription('sub_B', 'cus_B', 'unpaid', { unitAmount: 3_000 });
    reconcileDunning(s.ctx, A);
    rows.subscription('sub_B', 'cus_B', 'active', { unitAmount: 3_000 });
    reconcileDunning(s.ctx, A);
    expect(cases()[0]).toMatchObject({ stage: 'recovered', recovered_amount: 3_000, closed_reason: 'subscription_active' });
  });

  it('opens a case for an open invoice of a past_due subscription even without a card decline (send_invoice)', () => {
    rows.subscription('sub_A', 'cus_A', 'past_due', { latestInvoice: 'in_A1' });
    rows.invoice('in_A1', { customer: 'cus_A', subscription: 'sub_A', failures: [] });
    reconcileDunning(s.ctx, A);
    expect(cases()).toHaveLength(1);
    expect(cases()[0]).toMatchObject({ invoice_id: 'in_A1', category: 'unknown' });
  });

  it('writes nothing and announces nothing when nothing changed', () => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    reconcileDunning(s.ctx, A);
    const notices: unknown[] = [];
    s.ctx.hub.subscribe((channel, payload) => notices.push({ channel, payload }));
    const before = s.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    const r = reconcileDunning(s.ctx, A);
    const after = s.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number };
    expect(r).toMatchObject({ opened: 0, refreshed: 0, closed: 0, observed: 1 });
    expect(after.n).toBe(before.n);
    expect(notices).toEqual([]);
  });

  it('reconciles only the customers named, and announces the change', () => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    rows.invoice('in_B1', { customer: 'cus_B', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    const notices: Array<{ channel: string; payload: unknown }> = [];
    s.ctx.hub.subscribe((channel, payload) => notices.push({ channel, payload }));
    reconcileDunning(s.ctx, A, ['cus_B']);
    expect(cases().map((c) => c.customer_id)).toEqual(['cus_B']);
    expect(notices).toEqual([{ channel: 'data.changed', payload: { accountId: A, kinds: ['dunning'], customerIds: ['cus_B'] } }]);
  });

  it('follows data.changed notices from whoever wrote the cache (the sync), coalescing a burst into one reconcile', async () => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'lost_card', created: nowS - DAY }] });
    rows.invoice('in_B1', { customer: 'cus_B', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    s.ctx.hub.emit('data.changed', { accountId: A, kinds: ['invoices'], customerIds: ['cus_A'] });
    s.ctx.hub.emit('data.changed', { accountId: A, kinds: ['customers'], customerIds: ['cus_B'] });
    expect(cases()).toEqual([]); // deferred to the next tick
    await new Promise((r) => setImmediate(r));
    expect(cases().map((c) => [c.customer_id, c.category])).toEqual([['cus_A', 'hard']]);
    s.ctx.hub.emit('data.changed', { accountId: A, kinds: ['subscriptions'] });
    await new Promise((r) => setImmediate(r));
    expect(cases().map((c) => c.customer_id).sort()).toEqual(['cus_A', 'cus_B']);
  });

  it('reconciles at start-up: a cache that already holds failures opens with its cases', async () => {
    rows.invoice('in_A1', { customer: 'cus_A', failures: [{ declineCode: 'generic_decline', created: nowS - DAY }] });
    const file = s.ctx.options.dbPath;
    await s.close();
    const { createServices } = await import('../../electron/services');
    const again = await createServices({ dbPath: file, env: {}, skipDemoSeed: true });
    try {
      const r = await again.table.dispatch('dunning.count', {}, { actor: 'ana' });
      expect(r).toEqual({ ok: true, value: { open: 1 } });
    } finally {
      await again.close();
      s = await testServices({ skipDemoSeed: true });
    }
  });
});
