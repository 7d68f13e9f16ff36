import type pg from 'pg';
import type { MirrorEntry } from '../../electron/services/sync/apply-mirror-entry';
import { readMirror } from '../../electron/team-server/stores/stripe-mirror';
import type { StripeStore } from '../stripe-server';
import { cacheFromEntries } from './memory-mirror';
import { cachedMirror, expectedMirror, mirrorDiff, type Mirror } from './stripe-mirror';

// Compares the team server's PostgreSQL mirror with the loopback Stripe server: the mirror (its
// objects, or its feed from the start) is replayed into a fresh desk cache through the desk's
// ingest and compared in every column the product reads, like the desk's own sync tests.
// jsonb keeps object keys in its own order (metadata, addresses): JSON columns are compared with
// sorted keys; Stripe's hashes carry no order.

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}

function canonical<T extends Mirror>(m: T): T {
  for (const table of ['customers', 'subscriptions', 'items', 'invoices', 'attempts', 'paymentMethods'] as const) {
    for (const row of Object.values(m[table])) for (const col of Object.keys(row)) if (col.endsWith('_json') && typeof row[col] === 'string') row[col] = JSON.stringify(sortedKeys(JSON.parse(row[col] as string)));
  }
  return m;
}

export async function mirrorEntries(db: Pick<pg.Pool, 'query'>, accountId: string): Promise<MirrorEntry[]> {
  return (await readMirror(db, accountId)).map((r) => ({ type: r.type, id: r.id, object: r.data, deleted: r.deleted, sourceTs: r.source_ts }));
}

export async function feedEntries(db: Pick<pg.Pool, 'query'>, accountId: string): Promise<MirrorEntry[]> {
  const { rows } = await db.query<{ seq: number; entity: string; entity_id: string; op: string; data: MirrorEntry['object'] }>(
    "SELECT seq::int AS seq, entity, entity_id, op, data FROM feed_entries WHERE account_id = $1 AND entity LIKE 'stripe.%' ORDER BY seq",
    [accountId],
  );
  return rows.map((r) => ({ type: r.entity.slice('stripe.'.length) as MirrorEntry['type'], id: r.entity_id, object: r.data, deleted: r.op === 'delete', sourceTs: r.seq }));
}

export function diffEntriesWithServer(store: StripeStore, accountId: string, entries: MirrorEntry[]): string[] {
  const db = cacheFromEntries(accountId, entries);
  try {
    const actual = cachedMirror(db, accountId);
    const diff = mirrorDiff(canonical(expectedMirror(store, new Set(Object.keys(actual.paymentMethods)))), canonical(actual), 10);
    for (const id of actual.deletedCustomers) if (!store.collection('customer').isDeleted(id)) diff.push(`customers: ${id} deleted in the mirror but not on the server`);
    return diff;
  } finally {
    db.close();
  }
}

export async function diffMirrorWithServer(db: Pick<pg.Pool, 'query'>, store: StripeStore, accountId: string): Promise<{ snapshot: string[]; feed: string[] }> {
  return {
    snapshot: diffEntriesWithServer(store, accountId, await mirrorEntries(db, accountId)),
    feed: diffEntriesWithServer(store, accountId, await feedEntries(db, accountId)),
  };
}
