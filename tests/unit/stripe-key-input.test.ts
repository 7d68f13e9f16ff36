import { describe, expect, it } from 'vitest';
import { hintForKeyInput, nextStepForKeyError } from '../../renderer/src/features/settings/stripe-key-input';

// The Settings form's early answer about a pasted key: which kind it is, test or live, or why it
// will be refused — without ever repeating the key.

const TEST_KEY = 'sk_test_51AbCdEfGhIjKlMnOp';
const LIVE_RK = 'rk_live_51AbCdEfGhIjKlMnOp';

describe('hintForKeyInput', () => {
  it('says nothing for an empty field', () => {
    expect(hintForKeyInput('')).toBeNull();
    expect(hintForKeyInput('   ')).toBeNull();
  });

  it.each([
    [TEST_KEY, 'info', /Secret key, test mode/],
    [`  ${TEST_KEY}\n`, 'info', /test mode/],
    [LIVE_RK, 'warn', /Restricted key, LIVE mode.*real customers/],
  ])('%j → %s', (input, tone, text) => {
    const hint = hintForKeyInput(input)!;
    expect(hint.tone).toBe(tone);
    expect(hint.submittable).toBe(true);
    expect(hint.text).toMatch(text);
  });

  it.each([
    ['pk_test_51AbCdEfGhIjKlMnOp', /publishable key/],
    ['pk_live_51AbCdEfGhIjKlMnOp', /publishable key/],
    ['whsec_AbCdEfGhIjKlMnOp', /webhook signing secret/],
    ['sk_test_', /part of a Stripe key/],
    ['sk_test_51AbC dEfGhIjKlMnOp', /part of a Stripe key/],
    ['sk_prod_51AbCdEfGhIjKlMnOp', /part of a Stripe key/],
    ['sk-proj-abcdefghijklmnopqrstuvwxyz', /does not look like a Stripe API key/],
    ['hello', /does not look like a Stripe API key/],
  ])('%j is refused before sending: %s', (input, text) => {
    const hint = hintForKeyInput(input)!;
    expect(hint.tone).toBe('error');
    expect(hint.submittable).toBe(false);
    expect(hint.text).toMatch(text);
  });

  it('never repeats the key', () => {
    for (const key of [TEST_KEY, LIVE_RK, 'pk_test_51AbCdEfGhIjKlMnOp', 'sk_test_51AbC dEfGhIjKlMnOp']) {
      expect(hintForKeyInput(key)!.text).not.toContain(key.slice(8, 20));
    }
  });
});

describe('nextStepForKeyError', () => {
  it.each([
    ['unauthorized', /did not accept/],
    ['offline', /could not be reached/],
    ['bad_input', /Nothing was sent/],
    ['not_configured', /could not be stored safely/],
    ['rate_limited', /slow down/],
    ['internal', /not saved/],
  ] as const)('%s → %s', (code, text) => {
    expect(nextStepForKeyError({ code })).toMatch(text);
  });
});
