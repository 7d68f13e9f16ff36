import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../shared/contract/customers';
import { groupHits, sharedEmailHeading } from '../../renderer/src/features/customers/group-hits';

// The palette's grouping of customers who share one email: kept in the service's order, and the
// heading tells the agent when not all of them are among the results.

const hit = (id: string, email: string | null, sameEmailCount: number) => ({ id, email, sameEmailCount }) as unknown as SearchHit;

describe('palette: customers sharing an email', () => {
  it('pulls them together at the place of the best-ranked one', () => {
    const segments = groupHits([hit('cus_a', 'x@a.io', 1), hit('cus_b', 'Shared@b.io', 2), hit('cus_c', 'y@c.io', 1), hit('cus_d', 'shared@B.io', 2)]);
    expect(segments.map((s) => (s.kind === 'single' ? s.hit.id : s.hits.map((h) => h.id).join('+')))).toEqual(['cus_a', 'cus_b+cus_d', 'cus_c']);
  });

  it('says all of them are shown when they are', () => {
    const [group] = groupHits([hit('cus_b', 'shared@b.io', 2), hit('cus_d', 'shared@b.io', 2)]);
    expect(group!.kind === 'shared-email' && sharedEmailHeading(group!)).toBe('2 customers share shared@b.io');
  });

  it('says when only some of them are among the results, and how to see all', () => {
    const [group] = groupHits([hit('cus_b', 'shared@b.io', 3)]);
    expect(group!.kind === 'shared-email' && sharedEmailHeading(group!)).toBe('3 customers share shared@b.io · 1 shown here: search the full email to see all');
  });
});
