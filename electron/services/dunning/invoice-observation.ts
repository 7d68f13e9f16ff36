import type { StripeObservation } from './stage-machine';

// What Stripe says about one invoice, for dunning, from the few facts that decide it. The desk
// reads these facts from its cache tables (observe.ts), the team server from the Stripe objects
// of its mirror (observe-invoice-object.ts); both ask this one rule.

export interface InvoiceFacts {
  /** false when the invoice no longer exists (deleted, or removed by a full resync). */
  exists: boolean;
  status: string | null;
  amountPaid: number;
  attemptCount: number;
  subscriptionStatus: string | null;
  /** When the latest failed payment attempt happened, if one is known. */
  lastFailedAt: number | null;
  /** Whether any payment attempt of the invoice is known (else attempt_count alone says it failed). */
  attemptsKnown: boolean;
}

export function invoiceObservation(f: InvoiceFacts): StripeObservation {
  if (!f.exists) return { kind: 'gone' };
  switch (f.status) {
    case 'paid':
      return { kind: 'paid', amountPaid: f.amountPaid };
    case 'void':
      return { kind: 'voided' };
    case 'uncollectible':
      return { kind: 'uncollectible' };
  }
  if (f.subscriptionStatus === 'canceled' || f.subscriptionStatus === 'incomplete_expired') return { kind: 'subscription_canceled' };
  const failed = f.lastFailedAt != null || (f.attemptCount > 0 && !f.attemptsKnown);
  if (f.status === 'open' && (failed || f.subscriptionStatus === 'past_due' || f.subscriptionStatus === 'unpaid')) {
    return { kind: 'failing', failureMark: f.attemptCount };
  }
  return { kind: 'quiet' };
}
