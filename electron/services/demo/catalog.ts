import Stripe from 'stripe';
import { CATALOG_SCOPE, IdFactory } from './ids';
import { DEMO_CURRENCIES, type DemoCurrency } from './locales';
import { moneyText } from './money-text';
import { Rng, Weighted } from './rng';
import { DAY } from './time';

// What the demo merchant sells: four plans and two add-ons, each priced monthly and yearly in
// every demo currency. Amounts are integer minor units chosen per currency (¥2,800, not ¥28.00;
// KWD 5.900 written as 5900, and a multiple of 10 as Stripe requires for three-decimal currencies).

export type PlanTier = 'starter' | 'team' | 'business' | 'enterprise';
export type ProductKey = PlanTier | 'priority_support' | 'extra_storage';
export type Interval = 'month' | 'year';

interface ProductSpec {
  key: ProductKey;
  name: string;
  description: string;
  /** Billed per seat (or per unit for storage): the quantity varies. */
  perUnit: boolean;
  unitLabel: string | null;
  /** Monthly price in minor units per currency; yearly is ten months (two free). */
  monthly: Record<DemoCurrency, number>;
}

const PRODUCT_SPECS: readonly ProductSpec[] = [
  { key: 'starter', name: 'Starter', description: 'For individuals: one workspace, core reports.', perUnit: false, unitLabel: null, monthly: { usd: 1900, eur: 1900, gbp: 1600, jpy: 2800, kwd: 5900 } },
  { key: 'team', name: 'Team', description: 'Shared dashboards and roles, billed per seat.', perUnit: true, unitLabel: 'seat', monthly: { usd: 1200, eur: 1100, gbp: 1000, jpy: 1800, kwd: 3700 } },
  { key: 'business', name: 'Business', description: 'SSO, audit log and API access, billed per seat.', perUnit: true, unitLabel: 'seat', monthly: { usd: 2900, eur: 2700, gbp: 2400, jpy: 4400, kwd: 8900 } },
  { key: 'enterprise', name: 'Enterprise', description: 'Unlimited seats, dedicated success manager, 99.9% SLA.', perUnit: false, unitLabel: null, monthly: { usd: 49900, eur: 45900, gbp: 39900, jpy: 75000, kwd: 153000 } },
  { key: 'priority_support', name: 'Priority Support', description: 'One-hour first response, phone support.', perUnit: false, unitLabel: null, monthly: { usd: 9900, eur: 8900, gbp: 7900, jpy: 15000, kwd: 30500 } },
  { key: 'extra_storage', name: 'Extra Storage (100 GB)', description: 'Additional storage in blocks of 100 GB.', perUnit: true, unitLabel: 'block', monthly: { usd: 500, eur: 500, gbp: 400, jpy: 750, kwd: 1500 } },
];

export const PLAN_TIERS: readonly PlanTier[] = ['starter', 'team', 'business', 'enterprise'];

export const PLAN_TIER_WEIGHTS = new Weighted<PlanTier>([['starter', 38], ['team', 34], ['business', 20], ['enterprise', 8]]);

/** Seats bought on a per-seat plan. */
export const SEAT_RANGE: Record<PlanTier, readonly [number, number]> = { starter: [1, 1], team: [2, 25], business: [5, 120], enterprise: [1, 1] };

export interface CatalogPrice {
  product: ProductSpec & { id: string };
  currency: DemoCurrency;
  interval: Interval;
  unitAmount: number;
  /** The Price as the API lists it (`product` is an id). */
  price: Stripe.Price;
  /** The same Price with its Product expanded, as held by subscription items. */
  priceWithProduct: Stripe.Price;
  /** The legacy Plan mirror every subscription item still carries. */
  plan: Stripe.Plan;
  /** "$12.00 / month", for line descriptions. */
  label: string;
}

export interface DemoCatalog {
  products: Stripe.Product[];
  prices: Stripe.Price[];
  price(product: ProductKey, currency: DemoCurrency, interval: Interval): CatalogPrice;
}

const decimals = new Map<string, Stripe.Decimal>();

/** Stripe's decimal-string fields, as the SDK hands them out (frozen, shared: they never change). */
export function decimal(value: number): Stripe.Decimal {
  const key = String(value);
  let d = decimals.get(key);
  if (!d) decimals.set(key, (d = Stripe.Decimal.from(key)));
  return d;
}

export function buildCatalog(seed: number, anchorSec: number): DemoCatalog {
  const rng = Rng.stream(seed, 'catalog');
  const ids = new IdFactory(rng, CATALOG_SCOPE);
  const created = anchorSec - 4 * 365 * DAY;
  const products: Stripe.Product[] = [];
  const prices: Stripe.Price[] = [];
  const byKey = new Map<string, CatalogPrice>();

  for (const spec of PRODUCT_SPECS) {
    const productId = ids.short('prod');
    const priceIds = new Map<string, string>();
    for (const currency of DEMO_CURRENCIES) for (const interval of ['month', 'year'] as const) priceIds.set(`${currency}:${interval}`, ids.long('price'));
    const product: Stripe.Product = {
      id: productId,
      object: 'product',
      active: true,
      created,
      default_price: priceIds.get('usd:month')!,
      description: spec.description,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: { tier: spec.key },
      name: spec.name,
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      tax_code: null,
      tax_details: null,
      type: 'service',
      unit_label: spec.unitLabel,
      updated: created + 30 * DAY,
      url: null,
    };
    products.push(product);
    for (const currency of DEMO_CURRENCIES) {
      for (const interval of ['month', 'year'] as const) {
        const unitAmount = spec.monthly[currency] * (interval === 'year' ? 10 : 1);
        const id = priceIds.get(`${currency}:${interval}`)!;
        const price: Stripe.Price = {
          id,
          object: 'price',
          active: true,
          billing_scheme: 'per_unit',
          created,
          currency,
          custom_unit_amount: null,
          livemode: false,
          lookup_key: `${spec.key}_${interval}ly_${currency}`,
          metadata: {},
          nickname: `${spec.name} ${interval === 'month' ? 'monthly' : 'yearly'}`,
          product: productId,
          recurring: { interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
          tax_behavior: 'unspecified',
          tiers_mode: null,
          transform_quantity: null,
          type: 'recurring',
          unit_amount: unitAmount,
          unit_amount_decimal: decimal(unitAmount),
        };
        const plan: Stripe.Plan = {
          id,
          object: 'plan',
          active: true,
          amount: unitAmount,
          amount_decimal: decimal(unitAmount),
          billing_scheme: 'per_unit',
          created,
          currency,
          interval,
          interval_count: 1,
          livemode: false,
          metadata: {},
          meter: null,
          nickname: price.nickname,
          product: productId,
          tiers_mode: null,
          transform_usage: null,
          trial_period_days: null,
          usage_type: 'licensed',
        };
        prices.push(price);
        byKey.set(`${spec.key}:${currency}:${interval}`, {
          product: { ...spec, id: productId },
          currency,
          interval,
          unitAmount,
          price,
          priceWithProduct: { ...price, product },
          plan,
          label: `${moneyText(unitAmount, currency)} / ${interval}`,
        });
      }
    }
  }

  return {
    products,
    prices,
    price(product, currency, interval) {
      const p = byKey.get(`${product}:${currency}:${interval}`);
      if (!p) throw new Error(`no demo price for ${product} ${currency} ${interval}`);
      return p;
    },
  };
}
