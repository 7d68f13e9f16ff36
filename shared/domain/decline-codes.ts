// Decline codes from Stripe's published list (docs: /declines/codes), with wording an agent can
// repeat to a customer, and the dunning category each belongs to.

export type DeclineCategory = 'authentication' | 'hard' | 'expired_card' | 'insufficient_funds' | 'soft' | 'unknown';

/** Stripe never retries these automatically (Smart Retries); a new payment method is needed. */
export const NON_RETRYABLE_DECLINE_CODES = [
  'incorrect_number',
  'lost_card',
  'pickup_card',
  'stolen_card',
  'revocation_of_authorization',
  'revocation_of_all_authorizations',
  'authentication_required',
  'highest_risk_level',
] as const;

const DESCRIPTIONS: Record<string, string> = {
  approve_with_id: 'The payment cannot be authorized. Retrying usually succeeds.',
  authentication_required: 'The bank requires the customer to authenticate (3D Secure) this payment.',
  call_issuer: 'The card was declined for an unknown reason; the customer should call their bank.',
  card_not_supported: 'The card does not support this type of purchase.',
  card_velocity_exceeded: 'The customer has exceeded the balance, credit limit or transaction amount limit on the card.',
  currency_not_supported: 'The card does not support the currency of the charge.',
  do_not_honor: 'The bank declined the payment without giving a reason.',
  do_not_try_again: 'The bank asked that this payment not be retried.',
  duplicate_transaction: 'An identical payment was submitted very recently.',
  expired_card: 'The card has expired.',
  fraudulent: 'The payment was declined because Stripe suspects it is fraudulent.',
  generic_decline: 'The card was declined for an unknown reason.',
  highest_risk_level: 'Stripe Radar blocked the payment as highest risk.',
  incorrect_cvc: 'The CVC number is incorrect.',
  incorrect_number: 'The card number is incorrect.',
  incorrect_pin: 'The PIN entered is incorrect.',
  incorrect_zip: 'The postal code is incorrect.',
  insufficient_funds: 'The card has insufficient funds to complete the purchase.',
  invalid_account: 'The card, or the account it is connected to, is invalid.',
  invalid_amount: 'The amount is invalid or exceeds the amount allowed.',
  invalid_cvc: 'The CVC number is incorrect.',
  invalid_expiry_month: 'The expiry month is invalid.',
  invalid_expiry_year: 'The expiry year is invalid.',
  invalid_number: 'The card number is incorrect.',
  invalid_pin: 'The PIN entered is incorrect (card-present payments only).',
  issuer_not_available: 'The card issuer could not be reached. Retrying usually succeeds.',
  lost_card: 'The card was reported lost.',
  merchant_blacklist: 'The payment matches a value on the account\'s block list.',
  new_account_information_available: 'The card or account has new information available (for example a new expiry).',
  no_action_taken: 'The bank declined the payment without giving a reason.',
  not_permitted: 'The payment is not permitted by the bank.',
  offline_pin_required: 'The card requires a PIN.',
  online_or_offline_pin_required: 'The card requires a PIN.',
  pickup_card: 'The card cannot be used (it may have been reported lost or stolen).',
  pin_try_exceeded: 'The allowed number of PIN tries was exceeded.',
  processing_error: 'An error occurred while processing the card. Retrying usually succeeds.',
  reenter_transaction: 'The bank could not process the payment. Retrying usually succeeds.',
  restricted_card: 'The card cannot be used for this payment (it may have been reported lost or stolen).',
  revocation_of_all_authorizations: 'The customer revoked all authorizations for this merchant.',
  revocation_of_authorization: 'The customer revoked the authorization for this recurring payment.',
  security_violation: 'The bank declined the payment for a security reason.',
  service_not_allowed: 'The bank does not allow this type of payment.',
  stolen_card: 'The card was reported stolen.',
  stop_payment_order: 'The customer asked the bank to stop this payment.',
  testmode_decline: 'A Stripe test card number was used in live mode.',
  transaction_not_allowed: 'The bank does not allow this payment.',
  try_again_later: 'The bank declined for now. Retrying later usually succeeds.',
  withdrawal_count_limit_exceeded: 'The customer has exceeded the balance or credit limit on the card.',
};

/** Stripe's advice codes (PaymentIntent.last_payment_error.advice_code). */
const ADVICE: Record<string, string> = {
  confirm_card_data: 'Ask the customer to confirm or update their card details.',
  do_not_try_again: 'Do not retry this card; ask for a different payment method.',
  try_again_later: 'Retrying later is likely to succeed.',
};

export function describeDeclineCode(code: string | null | undefined): string {
  if (!code) return 'No decline reason was recorded.';
  return DESCRIPTIONS[code] ?? `The card was declined (${code}).`;
}

export function describeAdviceCode(code: string | null | undefined): string | null {
  if (!code) return null;
  return ADVICE[code] ?? null;
}

export function isKnownDeclineCode(code: string): boolean {
  return code in DESCRIPTIONS;
}

export const KNOWN_DECLINE_CODES: readonly string[] = Object.keys(DESCRIPTIONS);

/** The dunning category of a decline code: decides whether a retry can work or a new card is needed. */
export function classifyDecline(code: string | null | undefined): DeclineCategory {
  if (!code) return 'unknown';
  if (code === 'authentication_required') return 'authentication';
  if ((NON_RETRYABLE_DECLINE_CODES as readonly string[]).includes(code)) return 'hard';
  if (code === 'expired_card') return 'expired_card';
  if (code === 'insufficient_funds') return 'insufficient_funds';
  return 'soft';
}
