import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideMirrorWrite, writesForObject, type MirrorType, type MirrorVersion, type MirrorWrite } from '../../electron/team-server/mirror/rules';

// The mirror's guard: what an agent would see go wrong without it is a customer coming back from
// the dead, a paid invoice shown open again after a replayed event, or a stale list page undoing
// a change that happened while the page was in flight.

const obj = (type: MirrorType, id = 'x_1') => ({ id, object: type });
const up = (type: MirrorType, sourceTs: number, mode: 'strict' | 'latest' = 'strict'): MirrorWrite => ({ op: 'upsert', type, id: 'x_1', object: obj(type), sourceTs, mode, parentId: null });
const del = (type: MirrorType, sourceTs: number): MirrorWrite => ({ op: 'delete', type, id: 'x_1', sourceTs, parentId: null });
const live = (sourceTs: number): MirrorVersion => ({ sourceTs, deleted: false });
const dead = (sourceTs: number): MirrorVersion => ({ sourceTs, deleted: true });

describe('decideMirrorWrite', () => {
  it.each([
    ['first version of an object', null, up('invoice', 10), true, false],
    ['strict: a newer second replaces', live(10), up('invoice', 11), true, false],
    ['strict: an older second is ignored', live(10), up('invoice', 9), false, false],
    ['strict: the same second is a conflict (re-fetch)', live(10), up('invoice', 10), false, true],
    ['latest: a fetch of the same second replaces', live(10), up('invoice', 10, 'latest'), true, false],
    ['latest: an older fetch is ignored', live(10), up('invoice', 9, 'latest'), false, false],
    ['a deleted customer never comes back, even with a newer version', dead(10), up('customer', 50, 'latest'), false, false],
    ['a deleted draft invoice never comes back', dead(10), up('invoice', 50, 'latest'), false, false],
    ['a removed invoice payment comes back with a newer version', dead(10), up('invoice_payment', 11), true, false],
    ['a removed invoice payment stays removed for an older version', dead(10), up('invoice_payment', 9, 'latest'), false, false],
    ['a customer deletion wins over a newer held version', live(20), del('customer', 10), true, false],
    ['a deletion of an unseen customer leaves a tombstone', null, del('customer', 10), true, false],
    ['an older removal of an invoice payment does not remove a newer version', live(20), del('invoice_payment', 10), false, false],
    ['a second deletion of a customer is a no-op', dead(10), del('customer', 20), false, false],
  ])('%s', (_label, held, write, apply, conflict) => {
    const d = decideMirrorWrite(held, write);
    expect({ apply: d.apply, conflict: d.conflict }).toEqual({ apply, conflict });
  });

  it('an invoice payment of a deleted invoice is not written', () => {
    expect(decideMirrorWrite(null, up('invoice_payment', 10), true).apply).toBe(false);
  });

  it('a deletion keeps the newest time seen (a later stale page cannot pass the tombstone)', () => {
    expect(decideMirrorWrite(live(30), del('customer', 10)).next).toEqual({ sourceTs: 30, deleted: true });
  });

  it('property: any order of upserts ends at the newest version (the guard is order-free)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 30 }), fc.boolean(), (times, strict) => {
        let held: MirrorVersion | null = null;
        for (const t of times) {
          const d = decideMirrorWrite(held, up('subscription', t, strict ? 'strict' : 'latest'));
          if (d.apply) held = d.next;
        }
        expect(held?.sourceTs).toBe(Math.max(...times));
      }),
    );
  });
});

describe('writesForObject', () => {
  it('a customer with its default payment method expanded: two objects, the customer keeps the id', () => {
    const writes = writesForObject({ id: 'cus_1', object: 'customer', invoice_settings: { default_payment_method: { id: 'pm_1', object: 'payment_method', customer: null } } }, 5, 'strict');
    expect(writes.map((w) => [w.type, w.id])).toEqual([['customer', 'cus_1'], ['payment_method', 'pm_1']]);
    const [c, pm] = writes as Array<Extract<MirrorWrite, { op: 'upsert' }>>;
    expect((c.object.invoice_settings as { default_payment_method: unknown }).default_payment_method).toBe('pm_1');
    expect(pm.object.customer).toBe('cus_1');
  });

  it('a deleted customer object is a deletion; an invoice payment is filed under its invoice; unknown types are ignored', () => {
    expect(writesForObject({ id: 'cus_1', object: 'customer', deleted: true }, 5, 'latest')).toEqual([{ op: 'delete', type: 'customer', id: 'cus_1', sourceTs: 5, parentId: null }]);
    expect(writesForObject({ id: 'inpay_1', object: 'invoice_payment', invoice: 'in_1' }, 5, 'latest')[0].parentId).toBe('in_1');
    expect(writesForObject({ id: 'ch_1', object: 'charge' }, 5, 'latest')).toEqual([]);
  });
});
