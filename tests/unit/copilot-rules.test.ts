import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { classifyIntent } from '../../electron/services/copilot/understanding/intent-rules';
import { extractAmount, extractDate, extractEntities, extractInvoiceNumber, extractPlan } from '../../electron/services/copilot/understanding/entities';
import { actionsFromState } from '../../electron/services/copilot/actions/state-rules';
import { loadCustomerFacts } from '../../electron/services/copilot/context/customer-facts';
import { migrate } from '../../electron/services/db/migrate';
import { FIXTURE_NOW_MS, OTHER_CUSTOMER, SCENARIO_CUSTOMERS, seedCopilotFixtures } from '../../electron/services/copilot/eval/fixtures';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { COPILOT_INTENTS, type CopilotEntities } from '../../shared/contract/copilot';

const NO_ENTITIES: CopilotEntities = { amount: null, currency: null, date: null, invoiceNumber: null, plan: null };

function fixtureDb() {
  const db = new Database(':memory:');
  migrate(db);
  ensureAccount(db, { id: 'acct_test', name: 'Test', livemode: false, isDemo: false });
  seedCopilotFixtures(db, 'acct_test');
  return db;
}

describe('copilot intent rules', () => {
  it.each([
    ['Why was I charged $50 yesterday?', 'invoice_explanation'],
    ['I want to cancel', 'cancel_subscription'],
    ['my card keeps failing', 'payment_failed'],
    ['I need a refund for last month', 'refund_request'],
    ["I don't want to cancel, just pause for a month", 'pause_subscription'],
    ['Please upgrade us to the Business plan', 'change_plan'],
    ['Add our VAT number to the invoices', 'billing_details_update'],
    ['How do I update my credit card?', 'update_payment_method'],
    ['My bank cancelled my card, where do I add the new one?', 'update_payment_method'],
    ['Do you have an API?', 'other'],
  ])('%s → %s', (message, intent) => {
    expect(classifyIntent(message).intent).toBe(intent);
  });

  it('always answers one of the contract intents with a confidence in [0, 1], whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const r = classifyIntent(s);
        expect(COPILOT_INTENTS).toContain(r.intent);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

describe('copilot entity extraction', () => {
  const hints = { now: FIXTURE_NOW_MS };
  it('reads amounts as integer minor units with the currency exponent', () => {
    expect(extractAmount('charged $50 yesterday', hints)).toEqual({ amount: 5000, currency: 'usd' });
    expect(extractAmount('a charge of €49,99', hints)).toEqual({ amount: 4999, currency: 'eur' });
    expect(extractAmount('¥5,000 for the plan', hints)).toEqual({ amount: 5000, currency: 'jpy' });
    expect(extractAmount('KWD 1.500 was taken', hints)).toEqual({ amount: 1500, currency: 'kwd' });
    expect(extractAmount('£1,234.56', hints)).toEqual({ amount: 123456, currency: 'gbp' });
    expect(extractAmount('64.50 dollars', hints)).toEqual({ amount: 6450, currency: 'usd' });
    expect(extractAmount('no money here, just 3 users', hints)).toEqual({ amount: null, currency: null });
  });

  it('takes "$" as the customer\'s dollar currency', () => {
    expect(extractAmount('$20', { ...hints, customerCurrency: 'cad' })).toEqual({ amount: 2000, currency: 'cad' });
    expect(extractAmount('$20', { ...hints, customerCurrency: 'eur' })).toEqual({ amount: 2000, currency: 'usd' });
  });

  it('resolves relative and partial dates against now, never into the future', () => {
    expect(extractDate('yesterday', FIXTURE_NOW_MS)).toBe('2025-06-14');
    expect(extractDate('on March 3', FIXTURE_NOW_MS)).toBe('2025-03-03');
    expect(extractDate('on 20 December', FIXTURE_NOW_MS)).toBe('2024-12-20');
    expect(extractDate('2025-02-30', FIXTURE_NOW_MS)).toBeNull();
    expect(extractDate('13/02/2025', FIXTURE_NOW_MS)).toBe('2025-02-13');
    expect(extractDate('last monday', FIXTURE_NOW_MS)).toBe('2025-06-09');
  });

  it('finds invoice numbers and plans', () => {
    expect(extractInvoiceNumber('about invoice acme-0042 please')).toBe('ACME-0042');
    expect(extractInvoiceNumber('receipt #12345')).toBe('12345');
    expect(extractInvoiceNumber('call me at 2025-06-01')).toBeNull();
    expect(extractPlan('move us from Business to the Enterprise tier', ['Business'])).toBe('enterprise');
    expect(extractPlan('I do not use the product anymore', ['Pro'])).toBeNull();
  });

  // Messages that really hold an amount and a date (a random string almost never does), in the
  // forms customers write, between words: the extracted values are exactly the ones written.
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const words = fc.array(fc.constantFrom('hi', 'my', 'card', 'was', 'charged', 'please', 'why', 'the', 'bill', 'thanks', 'again', 'for', 'plan'), { maxLength: 6 }).map((w) => w.join(' '));
  const grouped = (n: number, sep: string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const amountText = fc.oneof(
    fc.record({ major: fc.integer({ min: 1, max: 99_999 }), cents: fc.integer({ min: 0, max: 99 }) }).map(({ major, cents }) => ({ text: `$${grouped(major, ',')}.${String(cents).padStart(2, '0')}`, amount: major * 100 + cents, currency: 'usd' })),
    fc.record({ major: fc.integer({ min: 1, max: 99_999 }), cents: fc.integer({ min: 0, max: 99 }) }).map(({ major, cents }) => ({ text: `£${grouped(major, ',')}.${String(cents).padStart(2, '0')}`, amount: major * 100 + cents, currency: 'gbp' })),
    fc.record({ major: fc.integer({ min: 1, max: 99_999 }), cents: fc.integer({ min: 0, max: 99 }) }).map(({ major, cents }) => ({ text: `€${grouped(major, '.')},${String(cents).padStart(2, '0')}`, amount: major * 100 + cents, currency: 'eur' })),
    fc.integer({ min: 1, max: 9_999_999 }).map((yen) => ({ text: `¥${grouped(yen, ',')}`, amount: yen, currency: 'jpy' })),
  );
  const dateText = fc.integer({ min: 1, max: 360 }).chain((daysAgo) => {
    const d = new Date(FIXTURE_NOW_MS - daysAgo * 86_400_000);
    const iso = d.toISOString().slice(0, 10);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
    return fc.constantFrom(iso, `${MONTHS[m]} ${day}, ${y}`, `${day} ${MONTHS[m]} ${y}`).map((text) => ({ text: `on ${text}`, iso }));
  });

  it('reads back exactly the amount and the date a message holds, wherever they sit in it', () => {
    fc.assert(
      fc.property(words, amountText, words, dateText, words, fc.boolean(), (a, amount, b, date, c, dateFirst) => {
        const s = dateFirst ? `${a} ${date.text} ${b} ${amount.text} ${c}` : `${a} ${amount.text} ${b} ${date.text} ${c}`;
        const e = extractEntities(s, hints);
        expect({ amount: e.amount, currency: e.currency, date: e.date }).toEqual({ amount: amount.amount, currency: amount.currency, date: date.iso });
      }),
      { numRuns: 500 },
    );
  });

  it('never throws and always returns well-formed entities', () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.tuple(fc.string({ maxLength: 60 }), amountText, fc.string({ maxLength: 60 }), dateText, fc.string({ maxLength: 60 })).map((p) => p.map((x) => (typeof x === 'string' ? x : x.text)).join('')));
    fc.assert(
      fc.property(text, (s) => {
        const e = extractEntities(s, hints);
        if (e.amount != null) expect(Number.isInteger(e.amount)).toBe(true);
        if (e.currency != null) expect(e.currency).toMatch(/^[a-z]{3}$/);
        if (e.date != null) expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('actions from state', () => {
  const db = fixtureDb();
  const facts = (id: string) => loadCustomerFacts(db, 'acct_test', id, FIXTURE_NOW_MS);

  it('a hard decline proposes a payment-method-update link, whatever the message asks', () => {
    for (const intent of ['payment_failed', 'other', 'invoice_explanation'] as const) {
      const [first] = actionsFromState(facts(SCENARIO_CUSTOMERS.hard_decline), intent, NO_ENTITIES, 'hello');
      expect(first).toMatchObject({ type: 'send_portal_link', args: { flow: 'payment_method_update', invoiceId: 'in_EvalD0042' }, requiresConfirmation: true, status: 'proposed' });
      expect(first!.reason).toMatch(/stolen/);
    }
  });

  it('a soft decline with a retry scheduled explains the retry date (information, no confirmation); a retry is proposed only when asked', () => {
    const f = facts(SCENARIO_CUSTOMERS.soft_decline);
    const plain = actionsFromState(f, 'payment_failed', NO_ENTITIES, 'why did it fail');
    expect(plain.map((a) => a.type)).toEqual(['explain_invoice']);
    expect(plain[0]).toMatchObject({ requiresConfirmation: false, args: { retryAt: Math.floor(Date.parse('2025-06-18T10:00:00Z') / 1000) } });
    expect(plain[0]!.reason).toContain('June 18, 2025');
    const asked = actionsFromState(f, 'payment_failed', NO_ENTITIES, 'I topped up, please try again');
    expect(asked.map((a) => a.type)).toEqual(['explain_invoice', 'retry_payment']);
  });

  it('an expired card proposes the update link; a cancellation proposes the cancellation flow first', () => {
    const f = facts(SCENARIO_CUSTOMERS.expired_card);
    expect(actionsFromState(f, 'payment_failed', NO_ENTITIES, '')[0]).toMatchObject({ type: 'send_portal_link', args: { flow: 'payment_method_update' } });
    const cancel = actionsFromState(f, 'cancel_subscription', NO_ENTITIES, 'cancel');
    expect(cancel[0]).toMatchObject({ type: 'send_portal_link', args: { flow: 'subscription_cancel', subscriptionId: 'sub_EvalExpired01' } });
  });

  it('a refund is escalated for the invoice the customer names, never one of another customer', () => {
    const f = facts(SCENARIO_CUSTOMERS.healthy);
    const byNumber = actionsFromState(f, 'refund_request', { ...NO_ENTITIES, invoiceNumber: 'ACME-0998' }, '');
    expect(byNumber[0]).toMatchObject({ type: 'escalate_refund', args: { invoiceId: 'in_EvalH0998' } });
    const foreign = actionsFromState(f, 'refund_request', { ...NO_ENTITIES, invoiceNumber: OTHER_CUSTOMER.invoiceNumbers[0]! }, '');
    expect(JSON.stringify(foreign)).not.toContain(OTHER_CUSTOMER.invoiceIds[0]);
  });

  it('facts of one customer contain nothing of another', () => {
    const text = JSON.stringify(facts(SCENARIO_CUSTOMERS.healthy));
    for (const v of [OTHER_CUSTOMER.id, OTHER_CUSTOMER.name, OTHER_CUSTOMER.email, ...OTHER_CUSTOMER.invoiceIds, OTHER_CUSTOMER.paymentMethodId]) expect(text).not.toContain(v);
    expect(() => loadCustomerFacts(db, 'acct_other', SCENARIO_CUSTOMERS.healthy, FIXTURE_NOW_MS)).toThrow(/No customer/);
  });
});
