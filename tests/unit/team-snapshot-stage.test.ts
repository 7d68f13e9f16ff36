import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SnapshotStage } from '../../electron/services/team/snapshot-stage';

// The desk stages a team snapshot's lines (as text, not parsed) and applies them in rank order,
// whatever order the server streamed them in (it sends them by entity name).

const line = (seq: number, entity: string, id: string, data: unknown = { id }) => `{"seq":${seq},"account":"acct_1","entity":${JSON.stringify(entity)},"id":${JSON.stringify(id)},"op":"upsert","data":${JSON.stringify(data)}}`;

describe('team snapshot stage', () => {
  it('gives back every staged entry in apply order: products, customers, other Stripe objects, cases, then team rows', () => {
    const db = new Database(':memory:');
    const stage = new SnapshotStage(db);
    // The server's order (account, entity, id): cases and notes before customers, products after invoices.
    stage.add([line(9, 'dunning_case', '1'), line(10, 'dunning_history', '1'), line(11, 'note', '1')]);
    stage.add([line(2, 'stripe.customer', 'cus_A'), line(3, 'stripe.customer', 'cus_B'), line(5, 'stripe.invoice', 'in_A')]);
    stage.add([line(6, 'stripe.invoice_payment', 'inpay_A'), line(1, 'stripe.product', 'prod_A'), line(4, 'stripe.subscription', 'sub_A')]);
    const order = [...stage.entries()].map((e) => `${e.entity}:${e.id}`);
    expect(order).toEqual([
      'stripe.product:prod_A',
      'stripe.customer:cus_A',
      'stripe.customer:cus_B',
      'stripe.invoice:in_A',
      'stripe.invoice_payment:inpay_A',
      'stripe.subscription:sub_A',
      'dunning_case:1',
      'dunning_history:1',
      'note:1',
    ]);
    stage.drop();
    expect(db.prepare("SELECT COUNT(*) AS n FROM temp.sqlite_master WHERE name = 'team_snapshot_stage'").get()).toEqual({ n: 0 });
  });

  it('reads an entry whole, quotes and all, and ranks a line whose keys come in another order by parsing it', () => {
    const db = new Database(':memory:');
    const stage = new SnapshotStage(db);
    const odd = JSON.stringify({ entity: 'stripe.product', seq: 7, account: 'acct_1', id: 'prod_Z', op: 'upsert', data: { id: 'prod_Z' } });
    stage.add([line(8, 'stripe.customer', 'cus_"Q"', { id: 'cus_"Q"', name: 'Zoë "Q" O\'Neil' }), odd]);
    const entries = [...stage.entries()];
    expect(entries.map((e) => e.id)).toEqual(['prod_Z', 'cus_"Q"']);
    expect(entries[1].data).toEqual({ id: 'cus_"Q"', name: 'Zoë "Q" O\'Neil' });
  });

  it('pages through more entries than one read page holds without losing or repeating any', () => {
    const db = new Database(':memory:');
    const stage = new SnapshotStage(db);
    const lines = Array.from({ length: 2_500 }, (_, i) => line(i + 1, i % 2 ? 'stripe.invoice' : 'stripe.customer', `x_${i}`));
    stage.add(lines);
    const ids = [...stage.entries()].map((e) => e.id);
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids).size).toBe(2_500);
    expect(ids.slice(0, 1_250).every((id) => Number(id.slice(2)) % 2 === 0)).toBe(true);
  });
});
