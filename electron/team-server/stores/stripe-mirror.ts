import type Stripe from 'stripe';
import type { Tx } from '../db';
import type { MirrorTx } from '../mirror/apply';
import type { MirrorType, MirrorVersion, MirrorWrite, StripeObjectLike } from '../mirror/rules';
import { deriveInvoiceCases, invoicesTouched } from '../dunning/derive-cases';
import { stripeChange, type FeedChange, type FeedStore } from './feed';

// The Stripe mirror in PostgreSQL (migration 002), one transaction at a time. The rules of what to
// write are mirror/rules.ts; this store only reads the held versions (in bulk, locking the rows
// for the transaction so two writers cannot interleave on one object) and writes the result with
// its feed entries in the same transaction. Writes are buffered and sent as one statement at
// `flush()`, which the caller runs before COMMIT.

interface Held extends MirrorVersion {
  type: MirrorType;
}

interface Pending {
  type: MirrorType;
  id: string;
  parent_id: string | null;
  data: StripeObjectLike | null;
  source_ts: number;
  deleted: boolean;
}

/** The feed entry of a mirror version (the feed's convention: the Stripe object, or a deletion without data). */
export function feedChangeOfObject(accountId: string, p: { type: MirrorType; id: string; data: StripeObjectLike | null; deleted: boolean }): FeedChange {
  return stripeChange(accountId, p.deleted || !p.data ? { id: p.id, object: p.type, deleted: true } : p.data);
}

export class PgMirrorTx implements MirrorTx {
  private readonly held_ = new Map<string, Held | null>();
  private readonly pending = new Map<string, Pending>();

  /** Invoices and subscriptions this transaction wrote: their dunning cases are derived at `flush`. */
  private readonly touchedInvoices = new Set<string>();
  private readonly touchedSubscriptions = new Set<string>();

  constructor(
    readonly tx: Tx,
    readonly accountId: string,
    private readonly feed: Pick<FeedStore, 'append'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads (and locks) the held versions of these ids in one query. */
  async prefetch(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.held_.has(id));
    if (!missing.length) return;
    const { rows } = await this.tx.query<{ id: string; type: MirrorType; source_ts: number; deleted: boolean }>(
      'SELECT id, type, source_ts, deleted FROM stripe_objects WHERE account_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
      [this.accountId, missing],
    );
    for (const id of missing) this.held_.set(id, null);
    for (const r of rows) this.held_.set(r.id, { type: r.type, sourceTs: r.source_ts, deleted: r.deleted });
  }

  async held(id: string): Promise<Held | null> {
    if (!this.held_.has(id)) await this.prefetch([id]);
    return this.held_.get(id) ?? null;
  }

  async put(write: MirrorWrite, next: MirrorVersion): Promise<void> {
    this.held_.set(write.id, { type: write.type, ...next });
    if (write.type === 'invoice') this.touchedInvoices.add(write.id);
    else if (write.type === 'invoice_payment' && write.parentId) this.touchedInvoices.add(write.parentId);
    else if (write.type === 'subscription') this.touchedSubscriptions.add(write.id);
    const before = this.pending.get(write.id);
    this.pending.set(write.id, {
      type: write.type,
      id: write.id,
      parent_id: write.parentId ?? before?.parent_id ?? null,
      data: write.op === 'upsert' ? write.object : (before?.data ?? null),
      source_ts: next.sourceTs,
      deleted: next.deleted,
    });
  }

  async paymentIdsOf(invoiceId: string): Promise<string[]> {
    const { rows } = await this.tx.query<{ id: string }>("SELECT id FROM stripe_objects WHERE account_id = $1 AND parent_id = $2 AND type = 'invoice_payment' AND NOT deleted", [this.accountId, invoiceId]);
    const ids = new Set(rows.map((r) => r.id));
    for (const p of this.pending.values()) {
      if (p.type !== 'invoice_payment') continue;
      if (p.deleted) ids.delete(p.id);
      else if (p.parent_id === invoiceId) ids.add(p.id);
    }
    return [...ids];
  }

  async isEventApplied(eventId: string): Promise<boolean> {
    const { rows } = await this.tx.query('SELECT 1 FROM stripe_applied_events WHERE account_id = $1 AND event_id = $2', [this.accountId, eventId]);
    return rows.length > 0;
  }

  /**
   * Records the event as applied, and takes a delivery of it out of the webhook inbox in the same
   * transaction: the events poll often applies an event before the writer reaches its delivery, and
   * the inbox must not keep announcing work that is done.
   */
  async markEventApplied(e: Pick<Stripe.Event, 'id' | 'type' | 'created'>): Promise<boolean> {
    const r = await this.tx.query('INSERT INTO stripe_applied_events (account_id, event_id, type, created) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [this.accountId, e.id, e.type, e.created]);
    await this.tx.query('DELETE FROM stripe_webhook_inbox WHERE account_id = $1 AND event_id = $2', [this.accountId, e.id]);
    return (r.rowCount ?? 0) > 0;
  }

  /**
   * Writes the buffered versions and their feed entries, then the dunning cases of the invoices
   * they touched (same transaction, feed entries after the objects'); returns how many objects changed.
   */
  async flush(): Promise<number> {
    const written = await this.flushObjects();
    const invoices = [...this.touchedInvoices];
    const subscriptions = [...this.touchedSubscriptions];
    this.touchedInvoices.clear();
    this.touchedSubscriptions.clear();
    if (invoices.length || subscriptions.length) {
      await deriveInvoiceCases(this.tx, this.accountId, this.feed, await invoicesTouched(this.tx, this.accountId, invoices, subscriptions), this.now());
    }
    return written;
  }

  private async flushObjects(): Promise<number> {
    const rows = [...this.pending.values()];
    this.pending.clear();
    if (!rows.length) return 0;
    const { rows: stored } = await this.tx.query<{ id: string; type: MirrorType; data: StripeObjectLike | null; deleted: boolean }>(
      `INSERT INTO stripe_objects AS o (account_id, id, type, parent_id, data, source_ts, deleted)
       SELECT $1, r.id, r.type, r.parent_id, r.data, r.source_ts, r.deleted
       FROM jsonb_to_recordset($2::jsonb) AS r(id text, type text, parent_id text, data jsonb, source_ts bigint, deleted boolean)
       ON CONFLICT (account_id, id) DO UPDATE SET
         type = excluded.type,
         parent_id = COALESCE(excluded.parent_id, o.parent_id),
         -- A deletion that carries no object keeps the last one (a deleted customer's history).
         data = CASE WHEN excluded.data IS NULL AND excluded.deleted THEN o.data ELSE excluded.data END,
         source_ts = excluded.source_ts,
         deleted = excluded.deleted,
         updated_at = now()
       RETURNING id, type, data, deleted`,
      [this.accountId, JSON.stringify(rows)],
    );
    await this.feed.append(this.tx, stored.map((r) => feedChangeOfObject(this.accountId, r)));
    return stored.length;
  }
}

/** Read side: the live and deleted objects of an account, for tests, the bench and the snapshot. */
export async function readMirror(tx: Pick<Tx, 'query'>, accountId: string): Promise<Array<{ type: MirrorType; id: string; data: StripeObjectLike | null; source_ts: number; deleted: boolean }>> {
  const { rows } = await tx.query('SELECT type, id, data, source_ts, deleted FROM stripe_objects WHERE account_id = $1 ORDER BY id', [accountId]);
  return rows;
}
