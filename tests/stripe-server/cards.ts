import type { CardInit, PaymentError } from './shapes';

// Stripe's test payment methods (`pm_card_visa`, `pm_card_visa_chargeDeclined…`): attaching one
// creates a new card payment method; the declining ones make every later charge fail that way.

export interface TestCard {
  card: CardInit;
  decline?: PaymentError;
}

export const TEST_PAYMENT_METHODS: Record<string, TestCard> = {
  pm_card_visa: { card: { brand: 'visa', last4: '4242' } },
  pm_card_mastercard: { card: { brand: 'mastercard', last4: '4444' } },
  pm_card_amex: { card: { brand: 'amex', last4: '8431' } },
  pm_card_visa_debit: { card: { brand: 'visa', last4: '5556', funding: 'debit' } },
  pm_card_chargeDeclined: { card: { brand: 'visa', last4: '0002' }, decline: { declineCode: 'generic_decline' } },
  pm_card_visa_chargeDeclined: { card: { brand: 'visa', last4: '0341' }, decline: { declineCode: 'generic_decline' } },
  pm_card_chargeDeclinedInsufficientFunds: { card: { brand: 'visa', last4: '9995' }, decline: { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' } },
  pm_card_visa_chargeDeclinedInsufficientFunds: { card: { brand: 'visa', last4: '9995' }, decline: { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' } },
  pm_card_chargeDeclinedLostCard: { card: { brand: 'visa', last4: '9987' }, decline: { declineCode: 'lost_card', adviceCode: 'do_not_try_again' } },
  pm_card_visa_chargeDeclinedLostCard: { card: { brand: 'visa', last4: '9987' }, decline: { declineCode: 'lost_card', adviceCode: 'do_not_try_again' } },
  pm_card_chargeDeclinedStolenCard: { card: { brand: 'visa', last4: '9979' }, decline: { declineCode: 'stolen_card', adviceCode: 'do_not_try_again' } },
  pm_card_visa_chargeDeclinedStolenCard: { card: { brand: 'visa', last4: '9979' }, decline: { declineCode: 'stolen_card', adviceCode: 'do_not_try_again' } },
  pm_card_chargeDeclinedExpiredCard: { card: { brand: 'visa', last4: '0069' }, decline: { declineCode: 'expired_card', code: 'expired_card', adviceCode: 'confirm_card_data' } },
  pm_card_chargeDeclinedIncorrectCvc: { card: { brand: 'visa', last4: '0127' }, decline: { declineCode: 'incorrect_cvc', code: 'incorrect_cvc', adviceCode: 'confirm_card_data' } },
  pm_card_chargeDeclinedProcessingError: { card: { brand: 'visa', last4: '0119' }, decline: { declineCode: 'processing_error', code: 'processing_error', adviceCode: 'try_again_later' } },
  pm_card_visa_chargeDeclinedFraudulent: { card: { brand: 'visa', last4: '0019' }, decline: { declineCode: 'fraudulent', adviceCode: 'do_not_try_again' } },
  pm_card_authenticationRequired: { card: { brand: 'visa', last4: '3184' }, decline: { declineCode: 'authentication_required', code: 'authentication_required' } },
};

/** Stripe's non-retryable decline codes (Smart Retries stop on these). */
export const NON_RETRYABLE = new Set([
  'incorrect_number', 'lost_card', 'pickup_card', 'stolen_card', 'revocation_of_authorization',
  'revocation_of_all_authorizations', 'authentication_required', 'highest_risk_level',
]);

const MESSAGES: Record<string, string> = {
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  processing_error: 'An error occurred while processing your card. Try again in a little bit.',
  lost_card: 'Your card was declined.',
  stolen_card: 'Your card was declined.',
  authentication_required: 'Your card was declined. This transaction requires authentication.',
};

export function declineMessage(declineCode: string): string {
  return MESSAGES[declineCode] ?? 'Your card was declined.';
}
