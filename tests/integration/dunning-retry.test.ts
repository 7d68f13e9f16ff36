import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { testServices, type TestServices } from '../helpers/services';
import { createServices } from '../../electron/services';
import { refreshCustomerRow, refreshInvoiceRow } from '../../electron/services/sync/refresh';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { RetryOutcome } from '../../shared/contract/dunning';

// "Retry the payment now" against the loopback Stripe test server, through the real stripe SDK:
// success, a soft decline shown in words, a hard decline refused (and allowed once the card
// changed), and a double click making one charge.

describe('dunning retry against the Stripe test server', () => {
  let server: StripeServer;
  let s: TestServices;
  let accountId: string;

  /** An open invoice with one failed attempt (declined this way), synced into the cache; returns its case id. */
  async function failingInvoice(decline: { declineCode: string; adviceCode?: string }, amount = 5_000): Promise<{ caseId: number; invoiceId: string; customerId: string }> {
    const cus = server.store.createCustomer({ email: `c${Math.random().toString(36).slice(2, 8)}@example.com`, paymentMethod: 'pm_card_visa' });
    const inv = server.store.createInvoice({ customer: cus.id, amount });
    server.store.finalizeInvoice(inv.id);
    server.store.setNextPayOutcome(inv.id, decline);
    expect(() => server.store.payInvoice(inv.id)).toThrow();
    await refreshCustomerRow(s.ctx, accountId, cus.id);
    await refreshInvoiceRow(s.ctx, accountId, inv.id);
    reconcileDunning(s.ctx, accountId, [cus.id]);
    const row = s.ctx.db.prepare('SELECT id FROM dunning_cases WHERE account_id = ? AND invoice_id = ?').get(accountId, inv.id) as { id: number } | undefined;
    expect(row, 'a case for the failing invoice').toBeDefined();
    return { caseId: row!.id, invoiceId: inv.id, customerId: cus.id };
  }

  const retry = (caseId: number, on: TestServices | { table: TestServices['table'] } = s) => on.table.dispatch('dunning.retry', { caseId }, { actor: 'ana' });
  /** Successful charges of the customer (each test's invoice has its own customer). */
  const charges = (customerId: string) => server.store.collection('charge').all().filter((c) => c.customer === customerId && c.status === 'succeeded').length;
  const payRequests = (invoiceId: string) => server.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${invoiceId}/pay`);
  const caseRow = (caseId: number) => s.ctx.db.prepare('SELECT stage, recovered_amount, attempt_count, decline_code, category FROM dunning_cases WHERE id = ?').get(caseId);

  beforeAll(async () => {
    server = await startStripeServer();
    s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_dunningretry' }, stripeApiBase: server.url, skipDemoSeed: true });
    accountId = s.ctx.workspace.current().id;
    expect(accountId).toMatch(/^acct_/);
  });
  afterAll(async () => {
    await s?.dispose();
    await server?.close();
  });

  it('succeeds: the invoice is paid, the case recovered, and the audit row carries the idempotency key', async () => {
    const { caseId, invoiceId } = await failingInvoice({ declineCode: 'insufficient_funds', adviceCode: 'try_again_later' }, 7_500);
    expect(caseRow(caseId)).toMatchObject({ stage: 'new', category: 'insufficient_funds', attempt_count: 1 });
    const r = await retry(caseId);
    expect(r).toMatchObject({ ok: true, value: { result: 'succeeded', amountPaid: 7_500, currency: 'usd' } });
    const outcome = (r as { value: RetryOutcome }).value;
    expect(server.store.collection('invoice').get(invoiceId)).toMatchObject({ status: 'paid' });
    expect(caseRow(caseId)).toMatchObject({ stage: 'recovered', recovered_amount: 7_500 });
    const audit = s.ctx.db.prepare(`SELECT actor, result, idempotency_key FROM audit_log WHERE action = 'dunning.retry' AND target_id = ?`).all(invoiceId);
    expect(audit).toEqual([{ actor: 'ana', result: 'ok', idempotency_key: outcome.idempotencyKey }]);
    expect(payRequests(invoiceId)).toHaveLength(1);
  });

  it('shows a soft decline with its words and Stripe\'s advice; the case stays open with the new attempt', async () => {
    const { caseId, invoiceId } = await failingInvoice({ declineCode: 'generic_decline' });
    server.store.setNextPayOutcome(invoiceId, { declineCode: 'do_not_honor', adviceCode: 'try_again_later' });
    const r = await retry(caseId);
    expect(r).toEqual({
      ok: true,
      value: {
        result: 'declined',
        caseId,
        invoiceId,
        declineCode: 'do_not_honor',
        adviceCode: 'try_again_later',
        category: 'soft',
        explanation: 'The bank declined the payment without giving a reason.',
        advice: 'Retrying later is likely to succeed.',
        message: 'Your card was declined.',
        idempotencyKey: expect.stringMatching(/^dunning-retry:acct_\w+:case\d+:in_\w+:a1:r0:pm_\w+$/),
      },
    });
    expect(caseRow(caseId)).toMatchObject({ stage: 'new', attempt_count: 2, decline_code: 'do_not_honor' });
    const audit = s.ctx.db.prepare(`SELECT result, error_message, params_json FROM audit_log WHERE action = 'dunning.retry' AND target_id = ?`).get(invoiceId) as { result: string; error_message: string; params_json: string };
    expect(audit.result).toBe('error');
    expect(JSON.parse(audit.params_json)).toMatchObject({ new_decline_code: 'do_not_honor', advice_code: 'try_again_later' });
    // The next retry is a new attempt (new key), not a replay of the decline.
    server.store.setNextPayOutcome(invoiceId, 'succeed');
    const again = await retry(caseId);
    expect(again).toMatchObject({ ok: true, value: { result: 'succeeded' } });
    expect((again as { value: RetryOutcome }).value.idempotencyKey).not.toBe((r as { value: RetryOutcome }).value.idempotencyKey);
  });

  it('refuses a hard decline without calling Stripe, and allows it once the customer changed their card', async () => {
    const { caseId, invoiceId, customerId } = await failingInvoice({ declineCode: 'lost_card', adviceCode: 'do_not_try_again' });
    expect(caseRow(caseId)).toMatchObject({ category: 'hard' });
    const refused = await retry(caseId);
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/lost_card.*will not succeed on the same card/), details: { category: 'hard', decline_code: 'lost_card' } } });
    expect(payRequests(invoiceId)).toHaveLength(0);
    expect(s.ctx.db.prepare(`SELECT result FROM audit_log WHERE action = 'dunning.retry' AND target_id = ?`).all(invoiceId)).toEqual([{ result: 'error' }]);

    // The customer adds a new card in the portal: Stripe's default payment method changes.
    const pm = server.store.attachPaymentMethod('pm_card_mastercard', customerId);
    server.store.updateCustomer(customerId, { invoice_settings: { default_payment_method: pm.id } });
    const r = await retry(caseId);
    expect(r).toMatchObject({ ok: true, value: { result: 'succeeded' } });
    expect(payRequests(invoiceId)).toHaveLength(1);
  });

  it('refuses an authentication decline (an off-session retry cannot authenticate)', async () => {
    const { caseId, invoiceId } = await failingInvoice({ declineCode: 'authentication_required' });
    expect(await retry(caseId)).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/3D Secure/) } });
    expect(payRequests(invoiceId)).toHaveLength(0);
  });

  it('a double click (two concurrent retries) makes one charge', async () => {
    const { caseId, invoiceId, customerId } = await failingInvoice({ declineCode: 'insufficient_funds' });
    expect(charges(customerId)).toBe(0);
    const [a, b] = await Promise.all([retry(caseId), retry(caseId)]);
    expect(a).toMatchObject({ ok: true, value: { result: 'succeeded' } });
    expect(b).toEqual(a);
    expect(charges(customerId)).toBe(1);
    expect(payRequests(invoiceId)).toHaveLength(1);
    expect(s.ctx.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dunning.retry' AND target_id = ?`).get(invoiceId)).toEqual({ n: 1 });
  });

  it('two app instances on the same cache retrying at once send the same idempotency key: Stripe makes one charge', async () => {
    const { caseId, invoiceId, customerId } = await failingInvoice({ declineCode: 'insufficient_funds' });
    const other = await createServices({ dbPath: s.ctx.options.dbPath, env: { STRIPE_SECRET_KEY: 'sk_test_dunningretry' }, stripeApiBase: server.url, skipDemoSeed: true });
    try {
      expect(charges(customerId)).toBe(0);
      const [a, b] = await Promise.all([retry(caseId), retry(caseId, other)]);
      expect(a).toMatchObject({ ok: true, value: { result: 'succeeded' } });
      expect(b).toMatchObject({ ok: true, value: { result: 'succeeded' } });
      const requests = payRequests(invoiceId);
      expect(requests).toHaveLength(2);
      expect(requests.filter((r) => r.idempotentReplay)).toHaveLength(1);
      expect(charges(customerId)).toBe(1);
    } finally {
      await other.close();
    }
  });
});
