import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { applyEventPayloadsToMirror, applyFetchedToMirror, applyObject, finishMirrorEvents } from '../../electron/team-server/mirror/apply';
import { MemoryMirror } from '../helpers/memory-mirror';

// The mirror's reading of events and re-fetches, case by case (the delivery property covers the
// combinations): what would show an agent a wrong invoice or customer if it regressed.

const V = '2026-10-28.endive';
const ev = (id: string, type: string, created: number, object: Record<string, unknown>, api_version = V) => ({ id, object: 'event', type, created, api_version, data: { object } }) as unknown as Stripe.Event;

describe('applying events and re-fetches to the mirror', () => {
  it('a payload in another API version is not written; the object is re-fetched', async () => {
    const m = new MemoryMirror();
    const out = await applyEventPayloadsToMirror(m, [ev('evt_1', 'customer.updated', 10, { id: 'cus_1', object: 'customer', name: 'Old shape' }, '2024-06-20')], V);
    expect(m.rows.size).toBe(0);
    expect(out.refetch).toEqual([{ type: 'customer', id: 'cus_1' }]);
  });

  it('two versions of one second: the second is a conflict and the object is re-fetched', async () => {
    const m = new MemoryMirror();
    const out = await applyEventPayloadsToMirror(m, [ev('evt_1', 'customer.updated', 10, { id: 'cus_1', object: 'customer', name: 'A' }), ev('evt_2', 'customer.updated', 10, { id: 'cus_1', object: 'customer', name: 'B' })], V);
    expect(out.refetch).toEqual([{ type: 'customer', id: 'cus_1' }]);
    await applyFetchedToMirror(m, [{ ref: { type: 'customer', id: 'cus_1' }, object: { id: 'cus_1', object: 'customer', name: 'B' }, ts: 10 }]);
    expect(m.rows.get('cus_1')?.object?.name).toBe('B');
  });

  it('the same event twice in a batch, or after it was recorded, is applied once', async () => {
    const m = new MemoryMirror();
    const e = ev('evt_1', 'customer.updated', 10, { id: 'cus_1', object: 'customer', name: 'A' });
    const first = await applyEventPayloadsToMirror(m, [e, e], V);
    expect(first.fresh.map((x) => x.id)).toEqual(['evt_1']);
    await finishMirrorEvents(m, first.fresh);
    expect((await applyEventPayloadsToMirror(m, [e], V)).fresh).toEqual([]);
    expect(m.feed).toHaveLength(1);
  });

  it('a payment event re-fetches the invoice payments; payments Stripe no longer lists are removed', async () => {
    const m = new MemoryMirror();
    for (const id of ['inpay_1', 'inpay_2']) await applyObject(m, { id, object: 'invoice_payment', invoice: 'in_1' }, 5, 'strict');
    const out = await applyEventPayloadsToMirror(m, [ev('evt_1', 'invoice.payment_failed', 10, { id: 'in_1', object: 'invoice', status: 'open' })], V);
    expect(out.refetch).toEqual([{ type: 'invoice_payments', id: 'in_1' }]);
    await applyFetchedToMirror(m, [{ ref: { type: 'invoice_payments', id: 'in_1' }, object: null, payments: [{ id: 'inpay_2', object: 'invoice_payment', invoice: 'in_1' } as unknown as Stripe.InvoicePayment], ts: 11 }]);
    expect(m.rows.get('inpay_1')?.deleted).toBe(true);
    expect(m.rows.get('inpay_2')?.deleted).toBe(false);
  });

  it('an invoice Stripe no longer has (deleted draft, re-fetch 404) leaves with its payments, for good', async () => {
    const m = new MemoryMirror();
    await applyObject(m, { id: 'in_1', object: 'invoice', status: 'draft' }, 5, 'strict');
    await applyObject(m, { id: 'inpay_1', object: 'invoice_payment', invoice: 'in_1' }, 5, 'strict');
    await applyFetchedToMirror(m, [{ ref: { type: 'invoice', id: 'in_1' }, object: null, ts: 20 }]);
    expect([m.rows.get('in_1')?.deleted, m.rows.get('inpay_1')?.deleted]).toEqual([true, true]);
    // A page listed before the deletion cannot bring either back.
    await applyObject(m, { id: 'in_1', object: 'invoice', status: 'draft' }, 30, 'latest');
    await applyObject(m, { id: 'inpay_1', object: 'invoice_payment', invoice: 'in_1' }, 30, 'latest');
    expect([m.rows.get('in_1')?.deleted, m.rows.get('inpay_1')?.deleted]).toEqual([true, true]);
  });

  it('customer.deleted tombstones the customer even when a newer version was held', async () => {
    const m = new MemoryMirror();
    await applyObject(m, { id: 'cus_1', object: 'customer', name: 'A' }, 50, 'strict');
    await applyEventPayloadsToMirror(m, [ev('evt_1', 'customer.deleted', 40, { id: 'cus_1', object: 'customer', deleted: true })], V);
    expect(m.rows.get('cus_1')).toMatchObject({ deleted: true, object: { name: 'A' } });
  });
});
