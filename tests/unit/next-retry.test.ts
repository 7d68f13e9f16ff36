import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextRetryWords } from '../../renderer/src/ui/next-retry';

// A retry time already past must not read as an ordinary "23 hours ago" beside "Next retry".

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('next retry in words', () => {
  it('a future retry reads "in …"; a past one says it is overdue and not reported yet', () => {
    expect(nextRetryWords(NOW / 1000 + 4 * 86_400, NOW)).toEqual({ text: 'in 4 days', overdue: false });
    expect(nextRetryWords(NOW / 1000 - 23 * 3600, NOW)).toEqual({ text: 'was due 23 hours ago: not reported by Stripe yet', overdue: true });
    expect(nextRetryWords(NOW / 1000 - 10, NOW)).toEqual({ text: 'due now', overdue: true });
  });

  it('is overdue exactly when the time is past, for any time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }), (offset) => {
        const words = nextRetryWords(NOW / 1000 + offset, NOW);
        expect(words.overdue).toBe(offset < 0);
        expect(words.text).not.toMatch(/^\d.* ago$/);
      }),
    );
  });
});
