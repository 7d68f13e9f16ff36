import type Database from 'better-sqlite3';
import Stripe from 'stripe';
import { migrate } from '../../electron/services/db/migrate';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { ProductNames } from '../../electron/services/stripe/product-names';
import { applyMirrorEntry, type MirrorEntry } from '../../electron/services/sync/apply-mirror-entry';
import type { MirrorTx } from '../../electron/team-server/mirror/apply';
import type { MirrorType, MirrorVersion, MirrorWrite, StripeObjectLike } from '../../electron/team-server/mirror/rules';
import DatabaseCtor from 'better-sqlite3';

// The mirror's transaction interface over Maps, for the unit properties of the apply rules (the
// PostgreSQL store runs the same rules; its own tests cover the SQL). `toCache` replays the mirror
// into a fresh desk cache through the desk's ingest, so the comparison with the server uses the
// same helpers as the desk's own sync tests.

interface Held extends MirrorVersion {
  type: MirrorType;
  object: StripeObjectLike | null;
  parentId: string | null;
}

export class MemoryMirror implements MirrorTx {
  readonly rows = new Map<string, Held>();
  readonly applied = new Set<string>();
  readonly feed: MirrorEntry[] = [];

  async held(id: string) {
    const r = this.rows.get(id);
    return r ? { type: r.type, sourceTs: r.sourceTs, deleted: r.deleted } : null;
  }

  async put(write: MirrorWrite, next: MirrorVersion) {
    const prev = this.rows.get(write.id);
    const object = write.op === 'upsert' ? write.object : (prev?.object ?? null);
    this.rows.set(write.id, { type: write.type, object, parentId: write.parentId ?? prev?.parentId ?? null, ...next });
    this.feed.push({ type: write.type, id: write.id, object, deleted: next.deleted, sourceTs: next.sourceTs });
  }

  async paymentIdsOf(invoiceId: string) {
    return [...this.rows].filter(([, r]) => r.type === 'invoice_payment' && r.parentId === invoiceId && !r.deleted).map(([id]) => id);
  }

  async markEventApplied(e: Pick<Stripe.Event, 'id'>) {
    if (this.applied.has(e.id)) return false;
    this.applied.add(e.id);
    return true;
  }

  async isEventApplied(id: string) {
    return this.applied.has(id);
  }

  /** The current objects as mirror entries (a snapshot). */
  entries(): MirrorEntry[] {
    return [...this.rows].map(([id, r]) => ({ type: r.type, id, object: r.object, deleted: r.deleted, sourceTs: r.sourceTs }));
  }
}

/** A fresh desk cache holding these mirror entries (products first: subscriptions read their names). */
export function cacheFromEntries(accountId: string, entries: MirrorEntry[]): Database.Database {
  const db = new DatabaseCtor(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  ensureAccount(db, { id: accountId, name: 'Mirror', livemode: false, isDemo: false });
  const names = new ProductNames(db, accountId);
  const ordered = [...entries.filter((e) => e.type === 'product'), ...entries.filter((e) => e.type !== 'product')];
  db.transaction(() => {
    for (const e of ordered) applyMirrorEntry(db, accountId, e, names);
  })();
  return db;
}
