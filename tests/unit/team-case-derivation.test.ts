import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { planStripeCase, type PlannedCase } from '../../electron/services/dunning/case-plan';
import { observeInvoiceObjects } from '../../electron/services/dunning/observe-invoice-object';
import type { DunningStage } from '../../shared/contract/dunning';

// The rules the team server applies to its mirror, on Stripe API objects of any shape a sync can
// hold (payments known or not yet, declined or paid, the invoice gone): what a person decided is
// never in a plan's writes, a payment recovers an open case whatever its stage, a closed case is
// never moved again, and a decline is read from the payment's PaymentIntent as on the desk.

const PERSON_COLUMNS = ['stage', 'assignee', 'assignee_agent_id', 'stage_changed_at', 'closed_at', 'closed_reason'];
const DECLINES = [null, 'insufficient_funds', 'lost_card', 'expired_card', 'generic_decline', 'authentication_required'] as const;
const NOW = 1_800_000_000;

interface Shape {
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';
  amountDue: number;
  attemptCount: number;
  payments: Array<{ paid: boolean; decline: (typeof DECLINES)[number]; at: number }>;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  status: fc.constantFrom('draft', 'open', 'paid', 'void', 'uncollectible'),
  amountDue: fc.integer({ min: 0, max: 100_000 }),
  attemptCount: fc.integer({ min: 0, max: 8 }),
  payments: fc.array(fc.record({ paid: fc.boolean(), decline: fc.constantFrom(...DECLINES), at: fc.integer({ min: NOW - 30 * 86_400, max: NOW }) }), { maxLength: 4 }),
});

function invoiceOf(s: Shape): Stripe.Invoice {
  const paid = s.status === 'paid' ? s.amountDue : 0;
  return {
    id: 'in_1', object: 'invoice', customer: 'cus_1', status: s.status, currency: 'usd', amount_due: s.amountDue, amount_paid: paid, amount_remaining: s.amountDue - paid,
    total: s.amountDue, attempt_count: s.attemptCount, attempted: s.attemptCount > 0, next_payment_attempt: s.status === 'open' ? NOW + 86_400 : null, created: NOW - 40 * 86_400,
    status_transitions: { paid_at: s.status === 'paid' ? NOW - 60 : null, voided_at: s.status === 'void' ? NOW - 60 : null, marked_uncollectible_at: null, finalized_at: NOW - 40 * 86_400 },
    lines: { object: 'list', data: [], has_more: false, url: '' }, parent: null, metadata: {},
  } as unknown as Stripe.Invoice;
}

function paymentsOf(s: Shape): Stripe.InvoicePayment[] {
  return s.payments.map((p, i) => ({
    id: `inpay_${i}`, object: 'invoice_payment', invoice: 'in_1', status: p.paid ? 'paid' : 'open', currency: 'usd', amount_paid: p.paid ? s.amountDue : null, amount_requested: s.amountDue, created: p.at,
    payment: { type: 'payment_intent', payment_intent: { id: `pi_${i}`, object: 'payment_intent', payment_method: 'pm_1', last_payment_error: p.paid || !p.decline ? null : { decline_code: p.decline, code: 'card_declined', advice_code: null, message: 'declined' } } },
  })) as unknown as Stripe.InvoicePayment[];
}

const current: fc.Arbitrary<PlannedCase | null> = fc.option(
  fc.record({
    stage: fc.constantFrom<DunningStage>('new', 'contacted', 'awaiting_customer', 'recovered', 'lost'),
    failure_mark: fc.integer({ min: 0, max: 8 }),
    amount_at_risk: fc.integer({ min: 0, max: 100_000 }),
    opened_at: fc.integer({ min: NOW - 60 * 86_400, max: NOW }),
  }).map((c) => ({ ...c, payment_method_at_decline: null, currency: 'usd', attempt_count: c.failure_mark, next_payment_attempt: null, decline_code: null, advice_code: null, category: 'unknown' as const, last_failure_at: null, subscription_id: null })),
  { nil: null },
);

const isOpen = (stage: DunningStage) => stage === 'new' || stage === 'contacted' || stage === 'awaiting_customer';

describe('team case derivation from Stripe objects', () => {
  it('never writes what a person decided; paid recovers any open case; a closed case only ever gets a new one', () => {
    fc.assert(
      fc.property(shape, current, fc.boolean(), (s, c, gone) => {
        const observed = observeInvoiceObjects({ invoiceId: 'in_1', invoice: gone ? null : invoiceOf(s), payments: gone ? [] : paymentsOf(s), subscription: null, customer: null, caseCustomerId: c ? 'cus_1' : null });
        if (!observed) {
          expect(c).toBeNull();
          return;
        }
        const plan = planStripeCase(c, observed, NOW);
        if (plan.kind === 'refresh') for (const k of Object.keys(plan.changes)) expect(PERSON_COLUMNS).not.toContain(k);
        // The opening is Stripe's fact: it only ever moves back to a first failure that was not known
        // when the case opened, never later and never on a case whose failure time was known.
        if (plan.kind === 'refresh' && plan.changes.opened_at !== undefined) {
          expect(c!.last_failure_at).toBeNull();
          expect(plan.changes.opened_at).toBeLessThan(c!.opened_at);
        }
        if (c && !isOpen(c.stage)) expect(['none', 'open']).toContain(plan.kind);
        if (c && isOpen(c.stage) && !gone && s.status === 'paid') {
          expect(plan).toMatchObject({ kind: 'close', to: 'recovered', reason: 'paid' });
          if (plan.kind === 'close' && c.amount_at_risk > 0) expect(plan.recoveredAmount).toBeLessThanOrEqual(c.amount_at_risk);
        }
        if (c && isOpen(c.stage) && gone) expect(plan).toMatchObject({ kind: 'close', to: 'lost', reason: 'object_gone' });
        if (plan.kind === 'close') expect(plan.closedAt).toBeGreaterThanOrEqual(c!.opened_at);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the latest declined attempt from its PaymentIntent: code, category, first and last failure', () => {
    const s: Shape = { status: 'open', amountDue: 4200, attemptCount: 2, payments: [{ paid: false, decline: 'expired_card', at: NOW - 7200 }, { paid: false, decline: 'lost_card', at: NOW - 60 }] };
    const observed = observeInvoiceObjects({ invoiceId: 'in_1', invoice: invoiceOf(s), payments: paymentsOf(s), subscription: null, customer: null, caseCustomerId: null })!;
    expect(observed.observation).toEqual({ kind: 'failing', failureMark: 2 });
    expect(observed.failure).toMatchObject({ declineCode: 'lost_card', paymentMethodId: 'pm_1', firstFailureAt: NOW - 7200, lastFailureAt: NOW - 60 });
    const plan = planStripeCase(null, observed, NOW);
    expect(plan).toMatchObject({ kind: 'open', fields: { decline_code: 'lost_card', category: 'hard', amount_at_risk: 4200, attempt_count: 2, next_payment_attempt: NOW + 86_400 }, openedAt: NOW - 7200 });
  });

  it('an open invoice that counts attempts before its payments are synced opens a case, without a decline yet', () => {
    const s: Shape = { status: 'open', amountDue: 900, attemptCount: 1, payments: [] };
    const observed = observeInvoiceObjects({ invoiceId: 'in_1', invoice: invoiceOf(s), payments: [], subscription: null, customer: null, caseCustomerId: null })!;
    expect(planStripeCase(null, observed, NOW)).toMatchObject({ kind: 'open', fields: { decline_code: null, category: 'unknown', attempt_count: 1 } });
  });
});
