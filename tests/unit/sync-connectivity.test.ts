import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StreamHub } from '../../electron/services/core/events';
import type { ServiceContext } from '../../electron/services/core/context';
import { Connectivity } from '../../electron/services/sync/connectivity';
import type { ConnectivityChange } from '../../shared/contract/streams';

// Requests overlap, so their outcomes arrive in any order: the state is what the most recently
// sent attempt saw, whatever order the answers come back in, and the stream announces each change
// once (never "offline" twice in a row, never a flap caused by an old request's late answer).

function tracker() {
  const hub = new StreamHub();
  const seen: ConnectivityChange[] = [];
  hub.subscribe((channel, payload) => {
    if (channel === 'connectivity') seen.push(payload as ConnectivityChange);
  });
  return { c: new Connectivity({ hub } as unknown as ServiceContext), seen };
}

const attempt = fc.record({ reached: fc.boolean(), error: fc.constantFrom('ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1', 'ETIMEDOUT timeout', 'socket hang up') });

describe('connectivity', () => {
  it('starts online, goes offline on a network failure, back on any HTTP answer (even 429/500)', () => {
    const { c, seen } = tracker();
    expect(c.isOnline('acct_1')).toBe(true);
    c.observeAttempt('acct_1', { status: null, error: 'ECONNREFUSED', startedMs: 1 });
    expect(c.isOnline('acct_1')).toBe(false);
    expect(c.state('acct_1').message).toMatch(/could not be reached/);
    expect(c.isOnline('acct_2')).toBe(true);
    c.observeAttempt('acct_1', { status: 500, error: null, startedMs: 2 });
    expect(c.isOnline('acct_1')).toBe(true);
    expect(seen.map((s) => s.online)).toEqual([false, true]);
  });

  it('property: the latest-sent attempt decides, whatever order the answers arrive in; one notice per change', () => {
    fc.assert(
      fc.property(fc.array(attempt, { minLength: 1, maxLength: 30 }).chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs.map((_, i) => i), { minLength: xs.length, maxLength: xs.length }))), ([attempts, order]) => {
        const { c, seen } = tracker();
        for (const i of order) {
          const a = attempts[i]!;
          c.observeAttempt('acct_1', a.reached ? { status: 200, error: null, startedMs: i } : { status: null, error: a.error, startedMs: i });
        }
        expect(c.isOnline('acct_1')).toBe(attempts[attempts.length - 1]!.reached);
        for (let k = 1; k < seen.length; k++) expect(seen[k]!.online).not.toBe(seen[k - 1]!.online);
        if (seen.length) expect(seen[0]!.online).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
