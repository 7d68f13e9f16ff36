import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fallbackRetryInvoice, confirmProposal } from '../../electron/services/copilot/actions/confirm';
import { recordProposal } from '../../electron/services/copilot/actions/proposals';
import { ingestCustomer, ingestInvoice } from '../../electron/services/stripe/ingest';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { testServices, type TestServices } from '../helpers/services';

// Issue 10 item 13. A confirmed copilot retry that Stripe declined is shown with "Try again…".
// Stripe keeps the answer to an idempotency key for 24 hours, so a deliberate new attempt under the
// same key is answered with the stored decline, even after the customer fixed their card. A new
// attempt gets a new key; a double click on one attempt still reaches Stripe once.

const ACCOUNT = 'acct_1CopilotTryAgain01';
let server: StripeServer;
let s: TestServices;

beforeAll(async () => {
  server = await startStripeServer({ accountId: ACCOUNT });
  s = await testServices({ env: { STRIPE_SECRET_KEY: 'sk_test_51CopilotTryAgainKey01' }, stripeApiBase: server.url, skipDemoSeed: true });
  expect(s.ctx.workspace.current().id).toBe(ACCOUNT);
});
afterAll(async () => {
  await s.dispose();
  await server.close();
});

let customerId: string;
let invoiceId: string;
beforeEach(() => {
  const customer = server.store.createCustomer({ name: 'Rita Retry', email: 'rita@example.com', paymentMethod: 'pm_card_visa' });
  const draft = server.store.createInvoice({ customer: customer.id, amount: 4200, currency: 'usd' });
  const invoice = server.store.finalizeInvoice(draft.id);
  customerId = customer.id;
  invoiceId = invoice.id;
  const ts = Math.floor(Date.now() / 1000);
  ingestCustomer(s.ctx.db, ACCOUNT, customer as unknown as Stripe.Customer, ts);
  ingestInvoice(s.ctx.db, ACCOUNT, invoice as unknown as Stripe.Invoice, ts);
});

function proposeRetry(): string {
  const action = recordProposal(
    s.ctx.db,
    ACCOUNT,
    customerId,
    { proposalId: null, type: 'retry_payment', args: { invoiceId }, title: 'Retry the payment', reason: 'The card was updated.', source: 'state', requiresConfirmation: true, citations: [], status: 'proposed' } as never,
    Date.now(),
  );
  return action.proposalId!;
}

const confirm = (proposalId: string) => confirmProposal(s.ctx, customerId, proposalId, 'ana', { retryInvoice: fallbackRetryInvoice });
const payRequests = () => server.requests.filter((r) => r.method === 'POST' && r.path === `/v1/invoices/${invoiceId}/pay`);

describe('"Try again…" on a failed copilot proposal', () => {
  it('is a new attempt with a new idempotency key: the invoice gets paid instead of the stored decline coming back', async () => {
    const proposalId = proposeRetry();
    server.store.setNextPayOutcome(invoiceId, { declineCode: 'insufficient_funds' });
    await expect(confirm(proposalId)).rejects.toMatchObject({ code: 'card_declined' });
    expect(payRequests()).toHaveLength(1);

    // The customer topped up; the agent clicks "Try again…" and confirms.
    const second = await confirm(proposalId);
    expect(second).toMatchObject({ status: 'confirmed', alreadyDone: false, message: `Invoice ${invoiceId} is now paid.` });
    expect(payRequests().map((r) => r.idempotentReplay)).toEqual([false, false]);
    expect(server.store.get('invoice', invoiceId)!.status).toBe('paid');

    const audit = s.ctx.db.prepare("SELECT result, params_json FROM audit_log WHERE action = 'copilot.confirm' AND idempotency_key = ? ORDER BY id").all(proposalId) as Array<{ result: string; params_json: string }>;
    expect(audit.map((a) => [a.result, JSON.parse(a.params_json).attempt ?? 1])).toEqual([['error', 1], ['ok', 2]]);
  });

  it('every further failed attempt also gets its own key (third attempt after two declines)', async () => {
    const proposalId = proposeRetry();
    for (let i = 0; i < 2; i++) {
      server.store.setNextPayOutcome(invoiceId, { declineCode: 'insufficient_funds' });
      await expect(confirm(proposalId)).rejects.toMatchObject({ code: 'card_declined' });
    }
    await expect(confirm(proposalId)).resolves.toMatchObject({ status: 'confirmed' });
    expect(payRequests().map((r) => r.idempotentReplay)).toEqual([false, false, false]);
  });

  it('a double click on "Try again…" still makes one attempt, and a click after success does nothing more', async () => {
    const proposalId = proposeRetry();
    server.store.setNextPayOutcome(invoiceId, { declineCode: 'insufficient_funds' });
    await expect(confirm(proposalId)).rejects.toMatchObject({ code: 'card_declined' });
    const [a, b] = await Promise.all([confirm(proposalId), confirm(proposalId)]);
    expect(a).toEqual(b);
    expect(payRequests()).toHaveLength(2);
    await expect(confirm(proposalId)).resolves.toMatchObject({ alreadyDone: true });
    expect(payRequests()).toHaveLength(2);
  });
});
