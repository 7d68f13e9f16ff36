import type Stripe from 'stripe';
import { buildCatalog } from './catalog';
import { buildCustomerBundle, type DemoCustomerBundle, type GeneratorShared } from './customer-bundle';
import { namePools } from './name-pools';
import type { DemoTimelineEvent } from './timeline';
import { DEFAULT_DEMO_ANCHOR_MS, toUnixSeconds } from './time';

// The deterministic demo data set: Stripe API objects of the version the installed SDK pins
// (customers with their default payment method expanded, cards, subscriptions in every status,
// invoices with expanded payments and declines) plus timeline rows. Pure: no clock, no I/O. The
// same options give byte-identical objects on every run.

export type { DemoCustomerBundle } from './customer-bundle';
export type { DemoTimelineEvent } from './timeline';
export { DEFAULT_DEMO_ANCHOR_MS } from './time';

export const DEFAULT_DEMO_SEED = 20_261_101;
export const DEFAULT_DEMO_CUSTOMERS = 2_000;
/** Far beyond any demo or bench; stops a typo from filling memory. */
export const MAX_DEMO_CUSTOMERS = 1_000_000;

export interface DemoGenerateOptions {
  seed?: number;
  customers?: number;
  /** The instant the data describes ("now" in the demo), unix ms. Default DEFAULT_DEMO_ANCHOR_MS. */
  anchor?: number;
}

export interface DemoObjects {
  customers: Stripe.Customer[];
  paymentMethods: Stripe.PaymentMethod[];
  subscriptions: Stripe.Subscription[];
  invoices: Stripe.Invoice[];
  timeline: DemoTimelineEvent[];
  /** The catalog the subscriptions bill (for a Stripe-compatible test server to serve). */
  products: Stripe.Product[];
  prices: Stripe.Price[];
}

interface ResolvedOptions {
  seed: number;
  customers: number;
  anchorSec: number;
}

function resolve(options: DemoGenerateOptions): ResolvedOptions {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const customers = options.customers ?? DEFAULT_DEMO_CUSTOMERS;
  const anchor = options.anchor ?? DEFAULT_DEMO_ANCHOR_MS;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`demo seed must be a non-negative integer, got ${String(seed)}`);
  if (!Number.isSafeInteger(customers) || customers < 0 || customers > MAX_DEMO_CUSTOMERS) {
    throw new RangeError(`demo customer count must be an integer from 0 to ${MAX_DEMO_CUSTOMERS}, got ${String(customers)}`);
  }
  if (!Number.isFinite(anchor)) throw new RangeError(`demo anchor must be a unix time in milliseconds, got ${String(anchor)}`);
  return { seed, customers, anchorSec: toUnixSeconds(anchor) };
}

function shared(o: ResolvedOptions): GeneratorShared {
  return { seed: o.seed, anchor: o.anchorSec, catalog: buildCatalog(o.seed, o.anchorSec), pools: namePools(o.seed) };
}

/**
 * One customer at a time with everything that belongs to them: for large counts (a bench seeding
 * 100,000 customers) that should not all sit in memory at once.
 */
export function* iterateDemoCustomers(options: DemoGenerateOptions = {}): Generator<DemoCustomerBundle> {
  const o = resolve(options);
  const g = shared(o);
  for (let i = 0; i < o.customers; i++) yield buildCustomerBundle(g, i);
}

/** Products and prices of the demo catalog. */
export function demoCatalog(options: Omit<DemoGenerateOptions, 'customers'> = {}): { products: Stripe.Product[]; prices: Stripe.Price[] } {
  const o = resolve({ ...options, customers: 0 });
  const catalog = buildCatalog(o.seed, o.anchorSec);
  return { products: catalog.products, prices: catalog.prices };
}

/** The whole data set in arrays (customers in index order, each customer's objects in time order). */
export function generateDemoObjects(options: DemoGenerateOptions = {}): DemoObjects {
  const o = resolve(options);
  const g = shared(o);
  const out: DemoObjects = { customers: [], paymentMethods: [], subscriptions: [], invoices: [], timeline: [], products: g.catalog.products, prices: g.catalog.prices };
  for (let i = 0; i < o.customers; i++) {
    const b = buildCustomerBundle(g, i);
    out.customers.push(b.customer);
    for (const pm of b.paymentMethods) out.paymentMethods.push(pm);
    for (const s of b.subscriptions) out.subscriptions.push(s);
    for (const inv of b.invoices) out.invoices.push(inv);
    for (const t of b.timeline) out.timeline.push(t);
  }
  return out;
}
