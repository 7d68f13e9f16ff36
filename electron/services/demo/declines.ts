import { classifyDecline, NON_RETRYABLE_DECLINE_CODES } from '../../../shared/domain/decline-codes';
import { Weighted } from './rng';

// Card declines as Stripe reports them, weighted roughly as subscription businesses see them
// (insufficient funds and "generic" bank declines dominate; lost/stolen cards are rare).

export interface DeclineSpec {
  /** PaymentIntent.last_payment_error.decline_code. */
  declineCode: string;
  /** last_payment_error.code and Charge.failure_code: card_declined unless Stripe uses a specific code. */
  errorCode: string;
  /** The customer-safe message Stripe returns. */
  message: string;
  /** Typical advice code (null when banks usually send none). */
  adviceCode: 'try_again_later' | 'do_not_try_again' | 'confirm_card_data' | null;
  /** ISO 8583 response code seen as Charge.outcome.network_decline_code. */
  networkCode: string | null;
  /** Declined by the network, or stopped before it (Radar, Stripe's own checks). */
  networkStatus: 'declined_by_network' | 'not_sent_to_network';
  outcomeType: 'issuer_declined' | 'blocked' | 'invalid';
  sellerMessage: string;
}

const DECLINED = 'Your card was declined.';
const BANK_NO_DETAILS = 'The bank did not return any further details with this decline.';

function spec(declineCode: string, partial: Partial<DeclineSpec> = {}): DeclineSpec {
  return {
    declineCode,
    errorCode: 'card_declined',
    message: DECLINED,
    adviceCode: null,
    networkCode: null,
    networkStatus: 'declined_by_network',
    outcomeType: 'issuer_declined',
    sellerMessage: `The bank returned the decline code \`${declineCode}\`.`,
    ...partial,
  };
}

export const DECLINE_SPECS: Readonly<Record<string, DeclineSpec>> = {
  insufficient_funds: spec('insufficient_funds', { message: 'Your card has insufficient funds.', adviceCode: 'try_again_later', networkCode: '51' }),
  generic_decline: spec('generic_decline', { networkCode: '05', sellerMessage: BANK_NO_DETAILS }),
  do_not_honor: spec('do_not_honor', { networkCode: '05', adviceCode: 'try_again_later' }),
  expired_card: spec('expired_card', { errorCode: 'expired_card', message: 'Your card has expired.', adviceCode: 'confirm_card_data', networkCode: '54' }),
  authentication_required: spec('authentication_required', { errorCode: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.', networkCode: '1A' }),
  card_velocity_exceeded: spec('card_velocity_exceeded', { message: 'Your card has exceeded its amount limit.', adviceCode: 'try_again_later', networkCode: '65' }),
  try_again_later: spec('try_again_later', { adviceCode: 'try_again_later', networkCode: '19' }),
  processing_error: spec('processing_error', { errorCode: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.', adviceCode: 'try_again_later', networkCode: '96', networkStatus: 'not_sent_to_network', outcomeType: 'invalid' }),
  transaction_not_allowed: spec('transaction_not_allowed', { networkCode: '57', adviceCode: 'do_not_try_again' }),
  lost_card: spec('lost_card', { adviceCode: 'do_not_try_again', networkCode: '41' }),
  stolen_card: spec('stolen_card', { adviceCode: 'do_not_try_again', networkCode: '43' }),
  incorrect_number: spec('incorrect_number', { errorCode: 'incorrect_number', message: 'Your card number is incorrect.', adviceCode: 'confirm_card_data', networkCode: '14' }),
  incorrect_cvc: spec('incorrect_cvc', { errorCode: 'incorrect_cvc', message: "Your card's security code is incorrect.", adviceCode: 'confirm_card_data', networkCode: 'N7' }),
  do_not_try_again: spec('do_not_try_again', { adviceCode: 'do_not_try_again', networkCode: 'R0' }),
  call_issuer: spec('call_issuer', { networkCode: '01' }),
  invalid_account: spec('invalid_account', { adviceCode: 'do_not_try_again', networkCode: '78' }),
  issuer_not_available: spec('issuer_not_available', { adviceCode: 'try_again_later', networkCode: '91' }),
  pickup_card: spec('pickup_card', { adviceCode: 'do_not_try_again', networkCode: '04' }),
  restricted_card: spec('restricted_card', { adviceCode: 'do_not_try_again', networkCode: '62' }),
  revocation_of_authorization: spec('revocation_of_authorization', { adviceCode: 'do_not_try_again', networkCode: 'R1' }),
  withdrawal_count_limit_exceeded: spec('withdrawal_count_limit_exceeded', { adviceCode: 'try_again_later', networkCode: '65' }),
  fraudulent: spec('fraudulent', { networkCode: '59', sellerMessage: BANK_NO_DETAILS }),
  reenter_transaction: spec('reenter_transaction', { adviceCode: 'try_again_later', networkCode: '19' }),
  card_not_supported: spec('card_not_supported', { message: 'Your card does not support this type of purchase.', networkCode: '57' }),
  new_account_information_available: spec('new_account_information_available', { adviceCode: 'confirm_card_data', networkCode: '14' }),
  highest_risk_level: spec('highest_risk_level', { networkStatus: 'not_sent_to_network', outcomeType: 'blocked', networkCode: null, sellerMessage: 'Stripe blocked this payment as too risky.' }),
};

/** Relative frequencies of first declines on recurring card payments. */
export const DECLINE_WEIGHTS = new Weighted<string>([
  ['insufficient_funds', 300],
  ['generic_decline', 200],
  ['do_not_honor', 110],
  ['expired_card', 80],
  ['authentication_required', 50],
  ['card_velocity_exceeded', 35],
  ['try_again_later', 30],
  ['processing_error', 25],
  ['transaction_not_allowed', 20],
  ['lost_card', 15],
  ['incorrect_cvc', 14],
  ['incorrect_number', 12],
  ['stolen_card', 10],
  ['do_not_try_again', 10],
  ['call_issuer', 10],
  ['issuer_not_available', 10],
  ['invalid_account', 8],
  ['fraudulent', 8],
  ['pickup_card', 5],
  ['restricted_card', 5],
  ['revocation_of_authorization', 5],
  ['withdrawal_count_limit_exceeded', 5],
  ['reenter_transaction', 4],
  ['card_not_supported', 4],
  ['new_account_information_available', 4],
  ['highest_risk_level', 3],
]);

const NON_RETRYABLE: ReadonlySet<string> = new Set(NON_RETRYABLE_DECLINE_CODES);

/** Smart Retries will try again after this decline (Stripe never retries the non-retryable list). */
export function isRetryable(declineCode: string): boolean {
  return !NON_RETRYABLE.has(declineCode);
}

/** The payment can succeed later with the same card (a retry, or the customer authenticating). */
export function sameCardCanRecover(declineCode: string): boolean {
  const category = classifyDecline(declineCode);
  return category === 'soft' || category === 'insufficient_funds' || category === 'authentication';
}

/**
 * Smart Retries: up to 8 tries within two weeks of the first. Offsets in days from the first
 * attempt; the actual times get a few hours of jitter.
 */
export const RETRY_SCHEDULE_DAYS: readonly number[] = [0, 1, 3, 5, 7, 9, 11, 13];
