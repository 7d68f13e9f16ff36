import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Redactor, maskKey } from '../../electron/services/core/redact';
import { checkStripeKeyShape } from '../../electron/services/core/stripe-key';

describe('redactor', () => {
  it('masks remembered secrets wherever they appear', () => {
    const r = new Redactor();
    r.remember('my-very-secret-model-key');
    expect(r.text('auth failed for my-very-secret-model-key!')).toBe('auth failed for [redacted]!');
  });

  it('masks anything shaped like a Stripe or OpenAI key even when not remembered', () => {
    const r = new Redactor();
    for (const key of ['sk_test_51Habcdefghijklmnopqrstu', 'rk_live_abcdefghijklmnop1234', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'pi_123_secret_abcdef']) {
      expect(r.text(`x ${key} y`)).toBe('x [redacted] y');
    }
  });

  it('never lets a remembered secret through, whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 40 }), fc.string(), fc.string(), (secret, before, after) => {
        const r = new Redactor();
        r.remember(secret);
        expect(r.text(before + secret + after)).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });

  it('redacts nested values', () => {
    const r = new Redactor();
    expect(r.value({ a: [{ b: 'sk_test_abcdefghijkl' }] })).toEqual({ a: [{ b: '[redacted]' }] });
  });

  it('masks a key to its last four characters', () => {
    expect(maskKey('sk_test_abcdefgh1234')).toBe('••••1234');
  });
});

describe('stripe key shape', () => {
  it('tells secret from restricted and test from live', () => {
    expect(checkStripeKeyShape('sk_test_abcdefghijklmnop')).toEqual({ kind: 'secret', livemode: false, hint: 'mnop' });
    expect(checkStripeKeyShape(' rk_live_abcdefghijklmnop ')).toEqual({ kind: 'restricted', livemode: true, hint: 'mnop' });
  });

  it('refuses publishable and malformed keys with words that say what to paste', () => {
    expect(() => checkStripeKeyShape('pk_test_abcdefghijklmnop')).toThrow(/publishable key/);
    for (const bad of ['', 'sk_test_', 'sk_prod_abcdefghijklmnop', 'hello', 'sk_test_abc def ghi jkl', 'sk_test_abcdefghijklmnop\n; rm -rf']) {
      expect(() => checkStripeKeyShape(bad)).toThrow(/does not look like a Stripe API key/);
    }
  });
});
