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
  const names: Array<{ id: string; name: string | null }> = [];
  let denied: string | null = null;
  for (const id of unknown) {
    if (denied) {
      names.push({ id, name: null });
      continue;
    }
    try {
      const p = await client.products.retrieve(id);
      names.push({ id, name: p.name ?? null });
    } catch (err) {
      denied = missingPermission(err);
      if (denied || (err as { code?: string }).code === 'resource_missing') names.push({ id, name: null });
      else throw err;
    }
  }
  await sink.recordProductNames(names);
  return denied;
}
