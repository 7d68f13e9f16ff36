import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testServices, type TestServices } from '../helpers/services';
import { DAY, StripeRows, type FailureSpec } from '../helpers/dunning-fixtures';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { CaseRecord } from '../../electron/services/dunning/case-store';
import { MANUAL_DUNNING_STAGES, type ManualDunningStage } from '../../shared/contract/dunning';

// The stage machine end to end: random sequences of what Stripe does to an invoice (and its
// subscription) interleaved with what people do to its cases, through the real cache, ingest,
// reconcile, handlers and audit log.

type Step =
  | { kind: 'fail'; code: string }
  | { kind: 'pay' }
  | { kind: 'void' }
  | { kind: 'uncollectible' }
  | { kind: 'cancel_subscription' }
  | { kind: 'resync' }
  | { kind: 'manual'; to: ManualDunningStage; target: 'head' | 'oldest' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('insufficient_funds', 'lost_card', 'generic_decline', 'expired_card', 'authentication_required').map((code) => ({ kind: 'fail' as const, code })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pay' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'void' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'uncollectible' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'cancel_subscription' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'resync' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('manual' as const), to: fc.constantFrom(...MANUAL_DUNNING_STAGES), target: fc.constantFrom<Array<'head' | 'oldest'>>('head', 'oldest') }) },
);

/** A plausible Stripe: failures only on an open invoice; paid and void are final; uncollectible can still be paid or voided. */
interface StripeModel {
  status: 'open' | 'paid' | 'void' | 'uncollectible';
  failures: FailureSpec[];
  subscription: 'past_due' | 'canceled';
}

describe('dunning stages over random event sequences (real services)', () => {
  let s: TestServices;
  let run = 0;
  const nowS = Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    s = await testServices({ skipDemoSeed: true });
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('keeps terminal cases closed, recovered only when paid, and leaves exactly one audit row per manual move', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        run++;
        const customer = `cus_prop${run}`;
        const invoice = `in_prop${run}`;
        const sub = `sub_prop${run}`;
        const rows = new StripeRows(s.ctx.db, 'demo', nowS);
        rows.customer(customer);
        const stripe: StripeModel = { status: 'open', failures: [{ declineCode: 'generic_decline', created: nowS - 20 * DAY }], subscription: 'past_due' };
        const write = () => {
          rows.subscription(sub, customer, stripe.subscription, { latestInvoice: invoice });
          rows.invoice(invoice, { customer, subscription: sub, status: stripe.status, failures: stripe.failures, amountDue: 7_000, paidAt: stripe.status === 'paid' ? nowS : null });
          reconcileDunning(s.ctx, 'demo', [customer]);
        };
        const cases = () => s.ctx.db.prepare('SELECT * FROM dunning_cases WHERE customer_id = ? ORDER BY id').all(customer) as CaseRecord[];
        const stageAudits = (ids: number[]) =>
          (s.ctx.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'dunning.stage' AND target_id IN (SELECT value FROM json_each(?))`).get(JSON.stringify(ids.map(String))) as { n: number }).n;
        write();
        expect(cases()).toHaveLength(1);

        let manualMoves = 0;
        const touchedIds = new Set<number>(cases().map((c) => c.id));
        for (const st of steps) {
          const before = cases();
          const attemptsBefore = stripe.failures.length;
          if (st.kind === 'manual') {
            const target = st.target === 'head' ? before.at(-1)! : before[0]!;
            const auditsBefore = stageAudits([target.id]);
            const r = await s.table.dispatch('dunning.setStage', { caseIds: [target.id], stage: st.to }, { actor: 'ana' });
            expect(r.ok).toBe(true);
            manualMoves++;
            expect(stageAudits([target.id])).toBe(auditsBefore + 1);
          } else {
            if (st.kind === 'fail' && stripe.status === 'open') stripe.failures = [...stripe.failures, { declineCode: st.code, created: nowS - 10 * DAY + stripe.failures.length * 3600 }];
            if (st.kind === 'pay' && (stripe.status === 'open' || stripe.status === 'uncollectible')) stripe.status = 'paid';
            if (st.kind === 'void' && (stripe.status === 'open' || stripe.status === 'uncollectible')) stripe.status = 'void';
            if (st.kind === 'uncollectible' && stripe.status === 'open') stripe.status = 'uncollectible';
            if (st.kind === 'cancel_subscription') stripe.subscription = 'canceled';
            write();
          }
          const after = cases();
          after.forEach((c) => touchedIds.add(c.id));
          // Closed cases are frozen.
          for (const c of before) if (c.stage === 'recovered' || c.stage === 'lost') expect(after.find((a) => a.id === c.id)).toEqual(c);
          // A new case only after a new failure, and only once the previous one closed.
          if (after.length > before.length) {
            expect(after.length).toBe(before.length + 1);
            expect(stripe.failures.length).toBeGreaterThan(attemptsBefore);
            expect(['recovered', 'lost']).toContain(before.at(-1)!.stage);
          }
          // At most one open case, and it is the newest.
          const open = after.filter((c) => ['new', 'contacted', 'awaiting_customer'].includes(c.stage));
          expect(open.length).toBeLessThanOrEqual(1);
          if (open.length) expect(open[0]!.id).toBe(after.at(-1)!.id);
          // Recovered implies paid.
          for (const c of after) {
            if (c.stage === 'recovered') {
              expect(stripe.status).toBe('paid');
              expect(c.recovered_amount).toBe(7_000);
              expect(c.closed_reason).toBe('paid');
            }
          }
        }
        // Every manual move left exactly one audit row (accepted: ok; refused: error with the reason).
        expect(stageAudits([...touchedIds])).toBe(manualMoves);
      }),
      { numRuns: 60 },
    );
  });
});
