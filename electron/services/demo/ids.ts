import { base62, type Rng } from './rng';

// Stripe-looking ids that are unique by construction: each embeds its owner's index (the customer
// index, or CATALOG_SCOPE for products and prices) and a per-owner counter, padded with random
// characters so they read like real ids (`in_1Qx…`, 24 characters after the prefix).

/** Owner index of objects that belong to no customer (products, prices). */
export const CATALOG_SCOPE = 62 ** 5 - 1;

export type LongIdPrefix = 'pm' | 'sub' | 'in' | 'il' | 'ii' | 'pi' | 'ch' | 'inpay' | 'evt' | 'txn' | 'price';

export class IdFactory {
  private readonly counters = new Map<string, number>();
  private readonly scopeCode: string;

  constructor(
    private readonly rng: Rng,
    scope: number,
  ) {
    this.scopeCode = base62(scope, 5);
  }

  private nextCount(prefix: string): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return base62(n, 3);
  }

  /** `cus_`/`prod_` style: 14 characters, one per owner (or a few for products). */
  short(prefix: 'cus' | 'prod' | 'si'): string {
    return `${prefix}_${this.rng.chars(1)}${this.scopeCode}${this.nextCount(prefix)}${this.rng.chars(5)}`;
  }

  /** `in_1…`/`pi_3…` style: a version digit then 23 characters. */
  long(prefix: LongIdPrefix): string {
    const version = prefix === 'pi' || prefix === 'ch' || prefix === 'txn' ? '3' : '1';
    return `${prefix}_${version}${this.rng.chars(2)}${this.scopeCode}${this.nextCount(prefix)}${this.rng.chars(13)}`;
  }
}
