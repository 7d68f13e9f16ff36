import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { fieldLabel, issueInWords } from '../../electron/services/core/input-words';

// What an agent reads when the services refuse an input: words about their field, never zod's
// schema sentences; a schema's own message is kept.

const schema = z
  .object({
    name: z.string().min(1).max(80),
    returnUrl: z.string().url(),
    amountMin: z.number().int().min(0).max(1_000_000),
    stages: z.array(z.enum(['new', 'contacted'])).min(1).max(3),
    baseUrl: z.string().refine((u) => u.startsWith('http'), { message: 'must be an http(s) URL' }),
  })
  .strict();
const valid = { name: 'Ana', returnUrl: 'https://example.com', amountMin: 5, stages: ['new'], baseUrl: 'http://x' };

function refusal(patch: Record<string, unknown>): string {
  const input = { ...valid, ...patch };
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return issueInWords(r.error.issues[0]!, input);
}

describe('refused input in words', () => {
  it('names the field and the limit the agent hit', () => {
    expect(refusal({ name: 'x'.repeat(81) })).toBe('Name is too long: at most 80 characters (this one has 81).');
    expect(refusal({ name: '' })).toBe('Name is empty.');
    expect(refusal({ returnUrl: 'example' })).toBe('Return URL must be a web address like https://example.com.');
    expect(refusal({ amountMin: -1 })).toBe('Amount min must be at least 0.');
    expect(refusal({ amountMin: 1.5 })).toBe('Amount min must be a whole number.');
    expect(refusal({ stages: ['paid'] })).toBe('Stages must be one of: new, contacted.');
    expect(refusal({ stages: [] })).toBe('Stages: choose at least one.');
    expect(refusal({ extra: 1 })).toBe('Unexpected field: extra.');
    expect(refusal({ name: undefined })).toBe('Name is missing.');
  });

  it("keeps a schema's own message, with its field", () => {
    expect(refusal({ baseUrl: 'file:///etc/passwd' })).toBe('Base URL: must be an http(s) URL');
  });

  it('never passes zod wording through, whatever the input', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('name', 'returnUrl', 'amountMin', 'stages', 'baseUrl', 'other'), fc.anything()), (patch) => {
        const input = { ...valid, ...patch };
        const r = schema.safeParse(input);
        if (r.success) return;
        const words = issueInWords(r.error.issues[0]!, input);
        expect(words).not.toMatch(/Too big|Too small|Invalid input|Invalid option|expected string|received/);
      }),
      { numRuns: 300 },
    );
    expect(fieldLabel(['filters', 'customerId'])).toBe('Customer ID');
    expect(fieldLabel([])).toBe('The input');
  });
});
