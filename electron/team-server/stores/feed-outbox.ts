import type { Tx } from '../db';

// Appending to the change feed (the tables of migration 001) inside the caller's transaction, so
// no change commits without its entry. Entries are numbered under a transaction-scoped advisory
// lock taken right before the first append: sequence numbers are then handed out in commit order,
// and a follower that has read everything up to N can never later find an N-1 committed behind it.
// The NOTIFY is delivered by PostgreSQL at commit (and dropped on rollback), waking the live
// streams of every instance.

/** Fixed key of the feed's append lock, the same as team-core's feed store (stores/feed.ts on work/team). */
const FEED_APPEND_LOCK = 0x6273_6302;
export const FEED_CHANNEL = 'bsc_feed';

export interface FeedAppend {
  accountId: string;
  /** What kind of thing changed, e.g. 'stripe.customer' or 'team.note'. */
  entity: string;
  entityId: string;
  op: 'upsert' | 'delete';
  data: unknown;
}

/**
 * Appends the entries; several of one entity in one transaction keep only the last (they commit
 * together, so a follower needs only the final state, and the order of sequence numbers within a
 * statement then never matters).
 */
export async function appendFeedEntries(tx: Tx, all: FeedAppend[]): Promise<number[]> {
  const byEntity = new Map<string, FeedAppend>();
  for (const e of all) {
    const key = `${e.accountId}\u0000${e.entity}\u0000${e.entityId}`;
    byEntity.delete(key);
    byEntity.set(key, e);
  }
  const entries = [...byEntity.values()];
  if (!entries.length) return [];
  await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_APPEND_LOCK]);
  const { rows } = await tx.query<{ seq: number }>(
    `WITH input AS (
       SELECT nextval('feed_seq') AS seq, e.account_id, e.entity, e.entity_id, e.op, e.data, e.ord
       FROM jsonb_to_recordset($1::jsonb) AS e(account_id text, entity text, entity_id text, op text, data jsonb, ord int)
       ORDER BY e.ord
     ), written AS (
       INSERT INTO feed_entries (seq, account_id, entity, entity_id, op, data)
       SELECT seq, account_id, entity, entity_id, op, data FROM input
       RETURNING seq, account_id, entity, entity_id, op, data
     ), latest AS (
       INSERT INTO feed_latest (account_id, entity, entity_id, seq, op, data)
       SELECT account_id, entity, entity_id, seq, op, data FROM written
       ON CONFLICT (account_id, entity, entity_id) DO UPDATE SET seq = excluded.seq, op = excluded.op, data = excluded.data
     )
     SELECT seq FROM written ORDER BY seq`,
    // A deletion carries no data (the feed's convention): the entity id says what went.
    [JSON.stringify(entries.map((e, ord) => ({ account_id: e.accountId, entity: e.entity, entity_id: e.entityId, op: e.op, data: e.op === 'delete' ? null : e.data, ord })))],
  );
  const seqs = rows.map((r) => r.seq);
  await tx.query('SELECT pg_notify($1, $2)', [FEED_CHANNEL, String(seqs[seqs.length - 1])]);
  return seqs;
}
