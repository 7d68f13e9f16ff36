import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretBox, TeamSecretMismatchError, TeamSecretMissingError } from '../../electron/team-server/secret-box';

// Keys at rest in the team database: sealed with BSC_TEAM_SECRET, never readable without it.

const box = new SecretBox('correct horse battery staple 0123');

describe('team secret box', () => {
  it('opens what it sealed, for any text; the sealed form never contains the plaintext', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), (plain) => {
        const sealed = box.seal(plain);
        expect(box.open(sealed)).toBe(plain);
        if (plain.length >= 4) expect(sealed).not.toContain(plain);
      }),
      { numRuns: 50 },
    );
  });

  it('seals the same key differently each time (random salt and IV)', () => {
    expect(box.seal('sk_test_abc123abc123')).not.toBe(box.seal('sk_test_abc123abc123'));
  });

  it('refuses a wrong secret and a tampered value in words', () => {
    const sealed = box.seal('sk_test_abc123abc123');
    expect(() => new SecretBox('another secret, long enough').open(sealed)).toThrow(TeamSecretMismatchError);
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/cannot be decrypted with this BSC_TEAM_SECRET/);
    expect(() => box.open('plain-text-key')).toThrow(/not in the sealed format/);
  });

  it('needs BSC_TEAM_SECRET, and a long one', () => {
    expect(() => SecretBox.fromEnv({})).toThrow(TeamSecretMissingError);
    expect(() => SecretBox.fromEnv({ BSC_TEAM_SECRET: 'short' })).toThrow(/too short: use at least 16 characters/);
  });
});
