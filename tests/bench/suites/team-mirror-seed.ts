import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { inTransaction } from '../../../electron/team-server/db';
import { applyObject } from '../../../electron/team-server/mirror/apply';
import type { StripeObjectLike } from '../../../electron/team-server/mirror/rules';
import { PgMirrorTx } from '../../../electron/team-server/stores/stripe-mirror';
import { embeddedIds, ensureSyncState } from '../../../electron/team-server/sync/pg-sink';
import type { TeamServer } from '../../../electron/team-server/app';
import { fetchList, LIST_RESOURCES } from './list-pages';

// The team benches' shortcut to a team server holding a big account: the objects the loopback
// Stripe server holds, read page by page as the backfill lists them (same pages, expands), written
// through the server's own mirror writer (PgMirrorTx: the mirror rules, the feed entries, the
// dunning cases derived before COMMIT) as the backfill's sink does, but several pages per
// transaction and without the limiter, the lease fence or the checkpoint. The account is keyless
// on the team server (as --demo's is), so nothing syncs it afterwards: every Stripe request the
// loopback server sees after this is someone else's.

const PAGES_PER_TRANSACTION = 10;

export interface MirrorSeed {
  objects: number;
  pages: number;
  seconds: number;
}

export async function seedMirrorFromStripe(team: TeamServer, o: { stripeUrl: string; key: string; accountId: string; name: string }): Promise<MirrorSeed> {
  const started = performance.now();
  await team.sync.accounts.upsert({ id: o.accountId, name: o.name, livemode: false });
  await ensureSyncState(team.pool, o.accountId);
  const url = new URL(o.stripeUrl);
  const stripe = new Stripe(o.key, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 2 });
  const seed: MirrorSeed = { objects: 0, pages: 0, seconds: 0 };
  const write = (objects: StripeObjectLike[]) =>
    inTransaction(team.pool, async (tx) => {
      const m = new PgMirrorTx(tx, o.accountId, team.feed);
      await m.prefetch(objects.flatMap((x) => [x.id, ...embeddedIds(x)]));
      const ts = Math.floor(Date.now() / 1000);
      for (const x of objects) await applyObject(m, x, ts, 'strict');
      seed.objects += await m.flush();
    });

  // Products first: subscription items name them (the backfill records their names the same way).
  const products: StripeObjectLike[] = [];
  for await (const p of stripe.products.list({ limit: 100 })) products.push(p as unknown as StripeObjectLike);
  await write(products);

  for (const resource of LIST_RESOURCES) {
    let after: string | undefined;
    let more = true;
    // The next pages are read while the previous ones are written.
    const readChunk = async (): Promise<StripeObjectLike[]> => {
      const chunk: StripeObjectLike[] = [];
      for (let k = 0; k < PAGES_PER_TRANSACTION && more; k++) {
        const page = await fetchList(stripe, resource, after);
        seed.pages++;
        chunk.push(...(page.data as unknown as StripeObjectLike[]));
        more = page.has_more && page.data.length > 0;
        after = page.data[page.data.length - 1]?.id;
      }
      return chunk;
    };
    let next = readChunk();
    for (;;) {
      const chunk = await next;
      if (!chunk.length) break;
      next = more ? readChunk() : Promise.resolve([]);
      await write(chunk);
    }
  }
  await team.pool.query('UPDATE stripe_sync_state SET backfill_complete = true, last_synced_at_ms = $2 WHERE account_id = $1', [o.accountId, Date.now()]);
  seed.seconds = (performance.now() - started) / 1000;
  return seed;
}
