import type Stripe from 'stripe';
import { ProductNames } from '../stripe/product-names';
import type { SyncSink } from './sink';

// Subscription items arrive with their product as an id (the 4-level expand limit), so the names
// are fetched once per product the sink does not know yet and recorded before the items are written.

export async function ensureProductNames(sink: SyncSink, client: Stripe, subs: Stripe.Subscription[]): Promise<void> {
  const ids = ProductNames.productIds(subs);
  if (!ids.length) return;
  const unknown = await sink.unknownProductIds(ids);
  if (!unknown.length) return;
  const names: Array<{ id: string; name: string | null }> = [];
  for (const id of unknown) {
    try {
      const p = await client.products.retrieve(id);
      names.push({ id, name: p.name ?? null });
    } catch (err) {
      if ((err as { code?: string }).code === 'resource_missing') names.push({ id, name: null });
      else throw err;
    }
  }
  await sink.recordProductNames(names);
}
