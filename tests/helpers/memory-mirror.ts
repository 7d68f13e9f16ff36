import type Database from 'better-sqlite3';
import Stripe from 'stripe';
import { migrate } from '../../electron/services/db/migrate';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { ProductNames } from '../../electron/services/stripe/product-names';
import { applyMirrorEntry, type MirrorEntry } from '../../electron/services/sync/apply-mirror-entry';
import { applyEventPayloadsToMirror, applyFetchedToMirror, applyObject, finishMirrorEvents, type MirrorTx } from '../../electron/team-server/mirror/apply';
import { SDK_API_VERSION } from '../../electron/services/sync/clients';
import { deliveryOrder, fetchFinal, type Scenario } from './sync-scenarios';
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
const templates = new Map<string, Buffer>();

/** An empty migrated cache holding the account (migrated once per account, then copied). */
function emptyCache(accountId: string): Database.Database {
  let template = templates.get(accountId);
  if (!template) {
    const db = new DatabaseCtor(':memory:');
    migrate(db);
    ensureAccount(db, { id: accountId, name: 'Mirror', livemode: false, isDemo: false });
    template = db.serialize();
    db.close();
    templates.set(accountId, template);
  }
  const db = new DatabaseCtor(template);
  db.pragma('foreign_keys = ON');
  return db;
}

export function cacheFromEntries(accountId: string, entries: MirrorEntry[]): Database.Database {
  const db = emptyCache(accountId);
  const names = new ProductNames(db, accountId);
  const ordered = [...entries.filter((e) => e.type === 'product'), ...entries.filter((e) => e.type !== 'product')];
  db.transaction(() => {
    for (const e of ordered) applyMirrorEntry(db, accountId, e, names);
  })();
  return db;
}

/**
 * Delivers a scenario to a mirror the way the server does: the products, then each page or event
 * batch (payloads, then the re-fetched objects with the events recorded), each step through
 * `inTx` (one transaction of a PostgreSQL store, or straight to a MemoryMirror).
 */
export async function deliverToMirror(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }, inTx: <T>(fn: (m: MirrorTx & { prefetch?: (ids: string[]) => Promise<void> }) => Promise<T>) => Promise<T>): Promise<void> {
  await inTx(async (m) => {
    for (const p of s.store.all('product')) await applyObject(m, p as StripeObjectLike, 0, 'latest');
  });
  for (const u of deliveryOrder(s, plan)) {
    if (u.kind === 'page') {
      await inTx(async (m) => {
        await m.prefetch?.((u.items as StripeObjectLike[]).map((o) => o.id));
        for (const item of u.items) await applyObject(m, item as StripeObjectLike, u.ts, 'strict');
      });
      continue;
    }
    const outcome = await inTx((m) => applyEventPayloadsToMirror(m, u.events, SDK_API_VERSION));
    await inTx(async (m) => {
      await applyFetchedToMirror(m, outcome.refetch.map((r) => fetchFinal(s.store, r, s.finalTs)));
      await finishMirrorEvents(m, outcome.fresh);
    });
  }
}
