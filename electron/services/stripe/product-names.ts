import type Database from 'better-sqlite3';
import type Stripe from 'stripe';

// Product names for subscription items. The subscription list can expand at most 4 levels, so
// `data.items.data.price.product` is out of reach: items arrive with the product as an id. The
// names are looked up once per product (few per account), kept here, and refreshed by
// product.updated events.

export class ProductNames {
  private readonly names = new Map<string, string | null>();

  constructor(
    private readonly db: Database.Database,
    private readonly accountId: string,
  ) {
    const rows = db.prepare('SELECT DISTINCT product_id, product_name FROM subscription_items WHERE account_id = ? AND product_id IS NOT NULL AND product_name IS NOT NULL').all(accountId) as { product_id: string; product_name: string }[];
    for (const r of rows) this.names.set(r.product_id, r.product_name);
  }

  lookup = (productId: string): string | null => this.names.get(productId) ?? null;

  has(productId: string): boolean {
    return this.names.has(productId);
  }

  /** Records a name (from a fetch or a product event) and renames the items already cached. */
  set(productId: string, name: string | null): void {
    const before = this.names.get(productId);
    this.names.set(productId, name);
    if (before !== undefined && before !== name) {
      this.db.prepare('UPDATE subscription_items SET product_name = ? WHERE account_id = ? AND product_id = ?').run(name, this.accountId, productId);
    }
  }

  /** Product ids of these subscriptions whose names are not known yet. */
  static productIds(subs: Stripe.Subscription[]): string[] {
    const ids = new Set<string>();
    for (const s of subs) for (const i of s.items?.data ?? []) {
      const p = i.price?.product;
      if (typeof p === 'string') ids.add(p);
    }
    return [...ids];
  }

  /** Fetches the names not known yet (one request per new product). */
  async ensure(client: Stripe, subs: Stripe.Subscription[]): Promise<void> {
    for (const id of ProductNames.productIds(subs)) {
      if (this.names.has(id)) continue;
      try {
        const p = await client.products.retrieve(id);
        this.names.set(id, p.name ?? null);
      } catch (err) {
        if ((err as { code?: string }).code === 'resource_missing') this.names.set(id, null);
        else throw err;
      }
    }
  }
}
