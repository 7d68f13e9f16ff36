import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, type CaseEvent, type CaseState, type StripeObservation } from '../../electron/services/dunning/stage-machine';
import { isOpenDunningStage, MANUAL_DUNNING_STAGES, type DunningStage } from '../../shared/contract/dunning';

// The pure machine over one subject's chain of cases, driven by random event sequences.

interface ChainCase extends CaseState {
  /** The events that closed it, for the invariants. */
  closedBy?: CaseEvent;
}

function apply(chain: ChainCase[], event: CaseEvent): { chain: ChainCase[]; decision: ReturnType<typeof decide> } {
  const head = chain.at(-1) ?? null;
  const decision = decide(head, event);
  const next = chain.map((c) => ({ ...c }));
  const failureMark = event.type === 'stripe' && event.observation.kind === 'failing' ? event.observation.failureMark : 0;
  switch (decision.kind) {
    case 'open':
      next.push({ stage: 'new', failureMark, amountAtRisk: 1_000 });
      break;
    case 'refresh':
      next[next.length - 1]!.failureMark = failureMark;
      break;
    case 'move':
      next[next.length - 1]!.stage = decision.to;
      if (!isOpenDunningStage(decision.to)) next[next.length - 1]!.closedBy = event;
      break;
  }
  return { chain: next, decision };
}

const observation: fc.Arbitrary<(mark: number) => StripeObservation> = fc.oneof(
  fc.constant((mark: number) => ({ kind: 'failing' as const, failureMark: mark })),
  fc.nat(5_000).map((amount) => () => ({ kind: 'paid' as const, amountPaid: amount })),
  fc.constant(() => ({ kind: 'voided' as const })),
  fc.constant(() => ({ kind: 'uncollectible' as const })),
  fc.constant(() => ({ kind: 'subscription_canceled' as const })),
  // The subscription active again (paid elsewhere, or the amount unknown: null).
  fc.option(fc.nat(5_000)).map((amount) => () => ({ kind: 'subscription_active' as const, amountPaid: amount })),
  fc.constant(() => ({ kind: 'gone' as const })),
  fc.constant(() => ({ kind: 'quiet' as const })),
);

/** Stripe events (failure marks only ever grow, as attempt_count does) and manual moves, interleaved. */
const events = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('stripe' as const), obs: observation, bump: fc.boolean() }),
      fc.record({ kind: fc.constant('manual' as const), to: fc.constantFrom<Array<(typeof MANUAL_DUNNING_STAGES)[number] | 'recovered'>>(...MANUAL_DUNNING_STAGES, 'recovered') }),
    ),
    { maxLength: 40 },
  )
  .map((steps) => {
    let mark = 0;
    return steps.map((s): CaseEvent => {
      if (s.kind === 'manual') return { type: 'manual', to: s.to };
      if (s.bump) mark++;
      return { type: 'stripe', observation: s.obs(mark) };
    });
  });

describe('dunning stage machine (property)', () => {
  it('terminal cases are never left; only a new failure opens a new case; at most one case is open, the newest', () => {
    fc.assert(
      fc.property(events, (seq) => {
        let chain: ChainCase[] = [];
        for (const event of seq) {
          const before = chain;
          const { chain: after, decision } = apply(chain, event);
          // closed cases are frozen
          before.forEach((c, i) => {
            if (!isOpenDunningStage(c.stage)) expect(after[i]).toEqual(c);
          });
          // the chain grows only by a failure newer than anything the head saw
          if (after.length > before.length) {
            expect(event.type === 'stripe' && event.observation.kind === 'failing').toBe(true);
            const head = before.at(-1);
            if (head) {
              expect(isOpenDunningStage(head.stage)).toBe(false);
              expect((event as { observation: { failureMark: number } }).observation.failureMark).toBeGreaterThan(head.failureMark);
            }
          }
          expect(after.filter((c) => isOpenDunningStage(c.stage)).length).toBeLessThanOrEqual(1);
          after.slice(0, -1).forEach((c) => expect(isOpenDunningStage(c.stage)).toBe(false));
          if (decision.kind === 'refused') expect(event.type).toBe('manual');
          chain = after;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the generator produces every observation, and recoveries by both paid and subscription_active', () => {
    const kinds = new Set<string>();
    const recoveredBy = new Set<string>();
    for (const seq of fc.sample(events, { numRuns: 300, seed: 7 })) {
      let chain: ChainCase[] = [];
      for (const event of seq) {
        if (event.type === 'stripe') kinds.add(event.observation.kind);
        chain = apply(chain, event).chain;
      }
      for (const c of chain) if (c.stage === 'recovered' && c.closedBy?.type === 'stripe') recoveredBy.add(c.closedBy.observation.kind);
    }
    expect([...kinds].sort()).toEqual(['failing', 'gone', 'paid', 'quiet', 'subscription_active', 'subscription_canceled', 'uncollectible', 'voided']);
    expect([...recoveredBy].sort()).toEqual(['paid', 'subscription_active']);
  });

  it('recovered implies paid: only a paid (or subscription active again) observation recovers a case, and an open case it reaches always recovers', () => {
    fc.assert(
      fc.property(events, (seq) => {
        let chain: ChainCase[] = [];
        for (const event of seq) {
          const headOpen = chain.length > 0 && isOpenDunningStage(chain.at(-1)!.stage);
          const { chain: after, decision } = apply(chain, event);
          if (headOpen && event.type === 'stripe' && (event.observation.kind === 'paid' || event.observation.kind === 'subscription_active')) {
            expect(after.at(-1)!.stage).toBe('recovered');
            const atRisk = chain.at(-1)!.amountAtRisk;
            expect(decision).toMatchObject({ kind: 'move', to: 'recovered' });
            const amount = (decision as { recoveredAmount: number }).recoveredAmount;
            expect(amount).toBeGreaterThanOrEqual(0);
            expect(amount).toBeLessThanOrEqual(atRisk);
          }
          chain = after;
        }
        for (const c of chain) {
          if (c.stage === 'recovered') {
            expect(c.closedBy?.type).toBe('stripe');
            expect(['paid', 'subscription_active']).toContain((c.closedBy as { observation: StripeObservation }).observation.kind);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a manual move is accepted only from an open stage to a different open stage or lost; never to recovered', () => {
    const stages: DunningStage[] = ['new', 'contacted', 'awaiting_customer', 'recovered', 'lost'];
    for (const from of stages) {
      for (const to of [...MANUAL_DUNNING_STAGES, 'recovered'] as const) {
        const d = decide({ stage: from, failureMark: 0, amountAtRisk: 1 }, { type: 'manual', to });
        const expected = isOpenDunningStage(from) && to !== 'recovered' && to !== from;
        expect(d.kind, `${from} → ${to}`).toBe(expected ? 'move' : 'refused');
        if (d.kind === 'refused') expect(d.reason.length).toBeGreaterThan(10);
      }
    }
  });

  it('recovers what was at risk: a payment larger than the amount at risk counts up to it', () => {
    expect(decide({ stage: 'contacted', failureMark: 1, amountAtRisk: 4_000 }, { type: 'stripe', observation: { kind: 'paid', amountPaid: 5_000 } })).toEqual({
      kind: 'move',
      to: 'recovered',
      reason: 'paid',
      recoveredAmount: 4_000,
    });
    expect(decide({ stage: 'new', failureMark: 1, amountAtRisk: 4_000 }, { type: 'stripe', observation: { kind: 'voided' } })).toEqual({ kind: 'move', to: 'lost', reason: 'voided' });
  });
});
