import type Stripe from 'stripe';
import { ProductNames } from '../stripe/product-names';
import { missingPermission } from './permissions';
import type { SyncSink } from './sink';

// Subscription items arrive with their product as an id (the 4-level expand limit), so the names
// are fetched once per product the sink does not know yet and recorded before the items are written.
// A key that may not read products (a restricted key without Products: Read) leaves the names
// empty; the subscriptions are still written.

/** Returns the permission the key lacked for products (null: names read, or none needed). */
export async function ensureProductNames(sink: SyncSink, client: Stripe, subs: Stripe.Subscription[]): Promise<string | null> {
  const ids = ProductNames.productIds(subs);
  if (!ids.length) return null;
  const unknown = await sink.unknownProductIds(ids);
  if (!unknown.length) return null;
  // Side by side (each a request under the one limiter): a page naming three new products costs one round trip, not three.
  let denied: string | null = null;
  const names = await Promise.all(
    unknown.map(async (id): Promise<{ id: string; name: string | null }> => {
      try {
        const p = await client.products.retrieve(id);
        return { id, name: p.name ?? null };
      } catch (err) {
        const permission = missingPermission(err);
        if (permission) denied = permission;
        else if ((err as { code?: string }).code !== 'resource_missing') throw err;
        return { id, name: null };
      }
    }),
  );
  await sink.recordProductNames(names);
  return denied;
}
