import { describe, expect, it } from 'vitest';
import { classifyDecline, describeAdviceCode, describeDeclineCode, NON_RETRYABLE_DECLINE_CODES } from '../../shared/domain/decline-codes';
import { DECLINE_CATEGORIES } from '../../shared/contract/dunning';
import { effectiveDeclineCode } from '../../electron/services/dunning/reconcile';

// Stripe's published card decline codes (docs.stripe.com/declines/codes), each with the dunning
// category it must land in. `highest_risk_level` is a Radar outcome on Stripe's non-retryable
// list (Smart Retries) rather than an issuer code; it is listed here because it must classify hard.
const PUBLISHED: ReadonlyArray<[code: string, category: string]> = [
  ['authentication_required', 'authentication'],
  ['approve_with_id', 'soft'],
  ['call_issuer', 'soft'],
  ['card_not_supported', 'soft'],
  ['card_velocity_exceeded', 'soft'],
  ['currency_not_supported', 'soft'],
  ['do_not_honor', 'soft'],
  ['do_not_try_again', 'soft'],
  ['duplicate_transaction', 'soft'],
  ['expired_card', 'expired_card'],
  ['fraudulent', 'soft'],
  ['generic_decline', 'soft'],
  ['incorrect_number', 'hard'],
  ['incorrect_cvc', 'soft'],
  ['incorrect_pin', 'soft'],
  ['incorrect_zip', 'soft'],
  ['insufficient_funds', 'insufficient_funds'],
  ['invalid_account', 'soft'],
  ['invalid_amount', 'soft'],
  ['invalid_cvc', 'soft'],
  ['invalid_expiry_month', 'soft'],
  ['invalid_expiry_year', 'soft'],
  ['invalid_number', 'soft'],
  ['invalid_pin', 'soft'],
  ['issuer_not_available', 'soft'],
  ['lost_card', 'hard'],
  ['merchant_blacklist', 'soft'],
  ['new_account_information_available', 'soft'],
  ['no_action_taken', 'soft'],
  ['not_permitted', 'soft'],
  ['offline_pin_required', 'soft'],
  ['online_or_offline_pin_required', 'soft'],
  ['pickup_card', 'hard'],
  ['pin_try_exceeded', 'soft'],
  ['processing_error', 'soft'],
  ['reenter_transaction', 'soft'],
  ['restricted_card', 'soft'],
  ['revocation_of_all_authorizations', 'hard'],
  ['revocation_of_authorization', 'hard'],
  ['security_violation', 'soft'],
  ['service_not_allowed', 'soft'],
  ['stolen_card', 'hard'],
  ['stop_payment_order', 'soft'],
  ['testmode_decline', 'soft'],
  ['transaction_not_allowed', 'soft'],
  ['try_again_later', 'soft'],
  ['withdrawal_count_limit_exceeded', 'soft'],
  ['highest_risk_level', 'hard'],
];

describe('decline classification', () => {
  it.each(PUBLISHED)('%s → %s', (code, category) => {
    expect(classifyDecline(code)).toBe(category);
  });

  it('covers every category name exactly as the queue filters them', () => {
    const seen = new Set(PUBLISHED.map(([, c]) => c));
    seen.add(classifyDecline(null));
    expect([...seen].sort()).toEqual([...DECLINE_CATEGORIES].sort());
  });

  it('puts every code of Stripe\'s non-retryable list in hard or authentication', () => {
    for (const code of NON_RETRYABLE_DECLINE_CODES) expect(['hard', 'authentication']).toContain(classifyDecline(code));
  });

  it('says unknown without decline data, and soft for a code Stripe adds later', () => {
    expect(classifyDecline(null)).toBe('unknown');
    expect(classifyDecline(undefined)).toBe('unknown');
    expect(classifyDecline('')).toBe('unknown');
    expect(classifyDecline('some_future_code')).toBe('soft');
  });

  it('explains every published code in its own words (not the generic fallback)', () => {
    for (const [code] of PUBLISHED) expect(describeDeclineCode(code), code).not.toMatch(/^The card was declined \(/);
    expect(describeDeclineCode('some_future_code')).toBe('The card was declined (some_future_code).');
    expect(describeDeclineCode(null)).toBe('No decline reason was recorded.');
  });

  it('explains Stripe\'s advice codes', () => {
    expect(describeAdviceCode('try_again_later')).toMatch(/later/);
    expect(describeAdviceCode('do_not_try_again')).toMatch(/different payment method/);
    expect(describeAdviceCode('confirm_card_data')).toMatch(/confirm or update/);
    expect(describeAdviceCode(null)).toBeNull();
  });

  it('classifies from the specific failure code when the decline code is missing, never from the generic card_declined', () => {
    expect(effectiveDeclineCode(null, 'expired_card')).toBe('expired_card');
    expect(effectiveDeclineCode('lost_card', 'card_declined')).toBe('lost_card');
    expect(effectiveDeclineCode(null, 'card_declined')).toBeNull();
    expect(effectiveDeclineCode(null, null)).toBeNull();
  });
});
