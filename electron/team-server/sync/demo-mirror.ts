import type pg from 'pg';
import { demoCatalog, iterateDemoCustomers, type DemoCustomerBundle, type DemoGenerateOptions } from '../../services/demo/generate';
import { DEFAULT_DEMO_ANCHOR_MS, toUnixSeconds } from '../../services/demo/time';
import { DEMO_ACCOUNT } from '../../services/workspace/workspace';
import { inTransaction } from '../db';
import { applyObject } from '../mirror/apply';
import type { StripeObjectLike } from '../mirror/rules';
import type { FeedStore } from '../stores/feed';
import type { PgStripeAccounts } from '../stores/stripe-accounts';
import { PgMirrorTx } from '../stores/stripe-mirror';

// `team-server --demo`: the desk's demo data set (services/demo) written into the mirror as the
// Stripe objects it is made of, through the mirror's own rules and feed, so a newcomer's desks
// see a populated team without any Stripe account. The demo account has no key: nothing syncs it.
// Seeding again is a no-op (every version is the anchor's; the guard keeps what is held).

const CUSTOMERS_PER_TRANSACTION = 100;

export interface DemoMirrorCounts {
  customers: number;
  objects: number;
}

export async function seedDemoMirror(pool: pg.Pool, feed: Pick<FeedStore, 'append'>, accounts: PgStripeAccounts, options: DemoGenerateOptions = {}): Promise<DemoMirrorCounts> {
  await accounts.upsert({ id: DEMO_ACCOUNT.id, name: DEMO_ACCOUNT.name, livemode: false, isDemo: true });
  const ts = toUnixSeconds(options.anchor ?? DEFAULT_DEMO_ANCHOR_MS);
  const counts: DemoMirrorCounts = { customers: 0, objects: 0 };
  const write = (objects: StripeObjectLike[]) =>
    inTransaction(pool, async (tx) => {
      const m = new PgMirrorTx(tx, DEMO_ACCOUNT.id, feed);
      await m.prefetch(objects.map((o) => o.id));
      // Strict: the same anchor time again is not newer, so a second seeding writes nothing.
      for (const o of objects) await applyObject(m, o, ts, 'strict');
      counts.objects += await m.flush();
    });
  await write(demoCatalog(options).products as unknown as StripeObjectLike[]);
  let chunk: DemoCustomerBundle[] = [];
  const flushChunk = async () => {
    const objects = chunk.flatMap((b) => [b.customer, ...b.paymentMethods, ...b.subscriptions, ...b.invoices]) as unknown as StripeObjectLike[];
    await write(objects);
    counts.customers += chunk.length;
    chunk = [];
  };
  for (const bundle of iterateDemoCustomers(options)) {
    chunk.push(bundle);
    if (chunk.length >= CUSTOMERS_PER_TRANSACTION) await flushChunk();
  }
  if (chunk.length) await flushChunk();
  await pool.query("UPDATE stripe_sync_state SET backfill_complete = true, last_synced_at_ms = $2 WHERE account_id = $1", [DEMO_ACCOUNT.id, Date.now()]);
  return counts;
}
