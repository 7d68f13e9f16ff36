import type { DemoCurrency } from './locales';
import type { BillingSlot, CollectionMethod, InvoiceFate } from './plan-types';
import { Weighted, type Rng } from './rng';
import { DAY } from './time';

// Invoices outside any subscription (billing_reason `manual`, no parent): services sold once.
// Amounts per currency in minor units, priced like the plans (about the same value everywhere).

const SERVICES: ReadonlyArray<{ description: string; amount: Record<DemoCurrency, number> }> = [
  { description: 'Onboarding and data migration package', amount: { usd: 150000, eur: 140000, gbp: 120000, jpy: 220000, kwd: 460000 } },
  { description: 'Custom report development (8 hours)', amount: { usd: 120000, eur: 110000, gbp: 95000, jpy: 180000, kwd: 370000 } },
  { description: 'Additional API calls (1M)', amount: { usd: 4900, eur: 4500, gbp: 3900, jpy: 7500, kwd: 15000 } },
  { description: 'Team training session (2 hours)', amount: { usd: 30000, eur: 28000, gbp: 24000, jpy: 45000, kwd: 92000 } },
  { description: 'Historical data import (per year of data)', amount: { usd: 25000, eur: 23000, gbp: 20000, jpy: 38000, kwd: 77000 } },
];

const FATES = new Weighted<InvoiceFate>([['send_paid', 55], ['paid', 12], ['send_open', 15], ['draft_held', 8], ['manual_void', 10]]);

export function planOneOffInvoice(rng: Rng, currency: DemoCurrency, from: number, anchor: number, hasCard: boolean): BillingSlot {
  const service = rng.pick(SERVICES);
  const quantity = service.amount.usd < 10000 ? rng.range(1, 5) : 1;
  let fate = FATES.pick(rng);
  if (fate === 'paid' && !hasCard) fate = 'send_paid';
  const collection: CollectionMethod = fate === 'paid' ? 'charge_automatically' : 'send_invoice';
  const at = rng.range(Math.min(from + DAY, anchor - DAY), anchor - DAY);
  const amount = service.amount[currency] * quantity;
  return {
    at,
    subscription: null,
    billingReason: 'manual',
    collection,
    daysUntilDue: collection === 'send_invoice' ? 30 : null,
    fate,
    lines: [{ price: null, description: service.description, quantity, amount, periodStart: at, periodEnd: at, subscriptionItemId: null }],
    periodStart: at,
    periodEnd: at,
    description: rng.chance(0.5) ? 'Thank you for your business.' : null,
  };
}
