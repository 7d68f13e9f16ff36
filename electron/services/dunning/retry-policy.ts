import type { RetryEligibility } from '../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';

// Whether a person may retry a failed payment now, and the idempotency key of that retry. Pure.

export interface RetryFacts {
  category: DeclineCategory;
  declineCode: string | null;
  paymentMethodAtDecline: string | null;
  currentPaymentMethod: string | null;
}

/**
 * Hard and authentication declines cannot succeed on the same card (Stripe never retries them
 * either): the customer must add a new card or authenticate. A retry is refused for them unless
 * the payment method changed since the decline.
 */
export function retryEligibility(f: RetryFacts): RetryEligibility {
  const changed = f.currentPaymentMethod != null && f.currentPaymentMethod !== f.paymentMethodAtDecline;
  if (f.category === 'hard' && !changed) {
    return {
      allowed: false,
      paymentMethodChanged: false,
      reason: `Retry refused: the card was declined with "${f.declineCode ?? 'a non-retryable code'}", which will not succeed on the same card. Send the customer a payment-method-update link; once they add a new card, a retry is allowed.`,
    };
  }
  if (f.category === 'authentication' && !changed) {
    return {
      allowed: false,
      paymentMethodChanged: false,
      reason: 'Retry refused: the bank requires the customer to authenticate (3D Secure) this payment, which an off-session retry cannot do. Send the customer the invoice or a payment-method-update link so they can authenticate.',
    };
  }
  return { allowed: true, paymentMethodChanged: changed, reason: null };
}

export interface RetryKeyFacts {
  accountId: string;
  caseId: number;
  invoiceId: string;
  attemptCount: number;
  /** Retries on this case that ended with a definitive answer (declined or paid). */
  settledRetries: number;
  paymentMethod: string | null;
}

/**
 * One key per (case, Stripe attempt count, settled retries, payment method). A double click sends
 * the same key, so Stripe makes one charge and replays its answer to the second request. A retry
 * after a definitive decline, or after the customer changed their card, gets a new key; a retry
 * after a network failure keeps the old one, so a request that did reach Stripe is not repeated.
 */
export function retryIdempotencyKey(f: RetryKeyFacts): string {
  return ['dunning-retry', f.accountId, `case${f.caseId}`, f.invoiceId, `a${f.attemptCount}`, `r${f.settledRetries}`, f.paymentMethod ?? 'default'].join(':');
}

/** The case facts a retry reads (the desk's row and the team server's row both give them). */
export interface RetryCase {
  id: number;
  invoiceId: string;
  category: DeclineCategory;
  declineCode: string | null;
  /** The card the last attempt was declined on. */
  paymentMethodAtDecline: string | null;
  attemptCount: number;
}

/**
 * The one retry rule of the desk and the team server: whether it is allowed (a hard or
 * authentication decline only on a card other than the declined one) and its idempotency key.
 * `currentPaymentMethod` is what Stripe would charge now (`paymentMethodStripeCharges`).
 */
export function planRetry(accountId: string, c: RetryCase, currentPaymentMethod: string | null, settledRetries: number): { eligibility: RetryEligibility; idempotencyKey: string } {
  return {
    eligibility: retryEligibility({ category: c.category, declineCode: c.declineCode, paymentMethodAtDecline: c.paymentMethodAtDecline, currentPaymentMethod }),
    idempotencyKey: retryIdempotencyKey({ accountId, caseId: c.id, invoiceId: c.invoiceId, attemptCount: c.attemptCount, settledRetries, paymentMethod: currentPaymentMethod }),
  };
}
