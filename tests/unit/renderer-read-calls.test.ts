import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALL_NAMES, type DataChanged } from '../../shared/contract';
import { isStaleAfter, mergeChanges, READ_CALLS, type ReadCallName } from '../../renderer/src/api/read-calls';

// What a `data.changed` notice makes stale in the renderer's query cache: exactly the answers that
// show the rows that changed, and for a customer's own answers only that customer's.

type Kind = DataChanged['kinds'][number];
const KINDS: Kind[] = ['customers', 'subscriptions', 'invoices', 'payment_methods', 'dunning', 'notes', 'portal_links', 'audit', 'accounts', 'kb'];
const NAMES = Object.keys(READ_CALLS) as ReadCallName[];

describe('read calls and change notices', () => {
  it('every read call of the table is a call of the contract', () => {
    for (const name of NAMES) expect(CALL_NAMES).toContain(name);
  });

  it('a note on one customer stales that customer, not another one, nor the list or the queue', () => {
    const change = { kinds: ['notes', 'audit'] as Kind[], customerIds: ['cus_A'] };
    expect(isStaleAfter('customers.get', { customerId: 'cus_A' }, change)).toBe(true);
    expect(isStaleAfter('customers.get', { customerId: 'cus_B' }, change)).toBe(false);
    expect(isStaleAfter('customers.list', { limit: 200 }, change)).toBe(false);
    expect(isStaleAfter('dunning.list', { filters: {}, sort: { by: 'amount', dir: 'desc' } }, change)).toBe(false);
    expect(isStaleAfter('portal.history', { limit: 200 }, change)).toBe(false);
  });

  it('a dunning change stales the queue and the customer panel of the customers it names', () => {
    const change = { kinds: ['dunning'] as Kind[], customerIds: ['cus_A'] };
    expect(isStaleAfter('dunning.list', { filters: {}, sort: { by: 'age', dir: 'asc' } }, change)).toBe(true);
    expect(isStaleAfter('dunning.list', { filters: { customerId: 'cus_A' } }, change)).toBe(true);
    expect(isStaleAfter('dunning.list', { filters: { customerId: 'cus_B' } }, change)).toBe(false);
    expect(isStaleAfter('dunning.metrics', {}, change)).toBe(true);
    expect(isStaleAfter('kb.status', {}, change)).toBe(false);
  });

  it('a sync page without customer ids stales every customer answer it could touch', () => {
    const change = { kinds: ['customers', 'invoices'] as Kind[] };
    expect(isStaleAfter('customers.get', { customerId: 'cus_Z' }, change)).toBe(true);
    expect(isStaleAfter('customers.search', { query: 'gra', limit: 20 }, change)).toBe(true);
    expect(isStaleAfter('customers.list', { limit: 200 }, change)).toBe(true);
  });

  it('property: an accounts change stales everything; a change of kinds a call does not show never stales it', () => {
    const input = fc.record({ customerId: fc.constantFrom('cus_A', 'cus_B'), filters: fc.record({ customerId: fc.constantFrom('cus_A', 'cus_B') }) });
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), input, fc.subarray(KINDS, { minLength: 1 }), fc.option(fc.subarray(['cus_A', 'cus_B', 'cus_C'])), (name, given, kinds, ids) => {
        const change = { kinds, ...(ids ? { customerIds: ids } : {}) };
        const shows = READ_CALLS[name].shows as readonly Kind[];
        const stale = isStaleAfter(name, given, change);
        if (kinds.includes('accounts')) expect(stale).toBe(true);
        else if (!kinds.some((k) => shows.includes(k))) expect(stale).toBe(false);
        else if (!ids) expect(stale).toBe(true);
      }),
    );
  });

  it('property: a burst merged into one notice stales everything any of its notices would have', () => {
    const input = fc.record({ customerId: fc.constantFrom('cus_A', 'cus_B'), filters: fc.record({ customerId: fc.constantFrom('cus_A', 'cus_B') }) });
    const change = fc.record({ kinds: fc.subarray(KINDS, { minLength: 1 }), customerIds: fc.option(fc.subarray(['cus_A', 'cus_B', 'cus_C']), { nil: undefined }) });
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), input, fc.array(change, { minLength: 1, maxLength: 6 }), (name, given, burst) => {
        const clean = burst.map((c) => (c.customerIds ? c : { kinds: c.kinds }));
        const merged = clean.reduce((a, b) => mergeChanges(a, b));
        if (clean.some((c) => isStaleAfter(name, given, c))) expect(isStaleAfter(name, given, merged)).toBe(true);
      }),
    );
  });
});
