import { classifyDecline, describeAdviceCode, describeDeclineCode, type DeclineCategory } from '../../../shared/domain/decline-codes';

// A failed payment attempt in words an agent can repeat to the customer, and what to do next:
// Stripe's advice code when the network sent one, else the step the decline's category calls for.

const NEXT_STEP: Record<DeclineCategory, string> = {
  authentication: 'The customer must complete authentication (3D Secure): send them the invoice link or a portal link.',
  hard: 'Stripe will not retry this card. Ask the customer for a different payment method.',
  expired_card: 'Ask the customer to update their card details.',
  insufficient_funds: 'Retrying after the customer’s next payday often succeeds; Smart Retries will try again.',
  soft: 'A retry usually succeeds; Smart Retries will try again.',
  unknown: 'Check the payment in the Stripe Dashboard for details.',
};

export interface DeclineWords {
  explanation: string;
  advice: string;
  category: DeclineCategory;
}

/** Words for a failed attempt; null for an attempt that did not fail. */
export function explainDecline(attempt: { status: string; decline_code: string | null; failure_code: string | null; advice_code: string | null }): DeclineWords | null {
  if (attempt.status !== 'failed') return null;
  // A card_declined failure carries its reason in decline_code; other failures (expired_card,
  // incorrect_cvc, authentication_required…) are the failure code itself.
  const code = attempt.decline_code ?? (attempt.failure_code !== 'card_declined' ? attempt.failure_code : null);
  const category = classifyDecline(code);
  return {
    explanation: describeDeclineCode(code),
    advice: describeAdviceCode(attempt.advice_code) ?? NEXT_STEP[category],
    category,
  };
}
