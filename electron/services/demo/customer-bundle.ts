import type Stripe from 'stripe';
import { buildCustomer, customerIdentity } from './build-customer';
import { buildInvoice, type InvoiceBuildContext } from './build-invoice';
import { buildSubscription } from './build-subscription';
import { buildPaymentMethod, cardLabel, CardWallet } from './cards';
import type { DemoCatalog } from './catalog';
import { IdFactory } from './ids';
import type { FakerLocaleKey } from './locales';
import type { LocalePools } from './name-pools';
import { planOneOffInvoice } from './one-off-invoices';
import { personFor } from './people';
import { planSubscription, type PlannedSubscription } from './plan-subscription';
import type { BillingSlot, CollectionMethod, InvoicePlan, SubscriptionStatus, TimelineEventPlan } from './plan-types';
import { Rng, Weighted } from './rng';
import { simulateBilling } from './simulate-billing';
import { timelineRows, type DemoTimelineEvent } from './timeline';
import { DAY, MINUTE } from './time';

// Everything about one demo customer, generated from (seed, customer index) alone.

export interface DemoCustomerBundle {
  customer: Stripe.Customer;
  paymentMethods: Stripe.PaymentMethod[];
  subscriptions: Stripe.Subscription[];
  invoices: Stripe.Invoice[];
  timeline: DemoTimelineEvent[];
}

export interface GeneratorShared {
  seed: number;
  anchor: number;
  catalog: DemoCatalog;
  pools: ReadonlyMap<FakerLocaleKey, LocalePools>;
}

export const DEMO_ACCOUNT_NAME = 'Lumen Analytics';
const STATEMENT_DESCRIPTOR = 'LUMEN ANALYTICS';

/**
 * The first customers get fixed stories so that even a small data set (tests seed a few dozen)
 * shows every subscription status, and a second account sharing an e-mail (customer 5).
 */
const COVERAGE_STATUSES: readonly (readonly SubscriptionStatus[])[] = [
  ['active'], ['past_due'], ['trialing'], ['unpaid'], ['canceled'], ['incomplete'], ['incomplete_expired'], ['paused'],
  ['past_due'], ['active', 'canceled'], ['past_due'], ['canceled'], ['unpaid'], ['past_due'], ['active'], ['past_due'],
];
const COVERAGE_SECOND_ACCOUNT = 5;

const SUBSCRIPTION_COUNT = new Weighted<number>([[0, 6], [1, 80], [2, 11], [3, 3]]);
const FIRST_STATUS = new Weighted<SubscriptionStatus>([
  ['active', 56], ['trialing', 6], ['past_due', 9], ['unpaid', 3.5], ['canceled', 17], ['incomplete', 2], ['incomplete_expired', 2.5], ['paused', 2],
]);
const LATER_STATUS = new Weighted<SubscriptionStatus>([['canceled', 55], ['active', 35], ['past_due', 5], ['unpaid', 2], ['incomplete_expired', 3]]);
const PREFIX_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function statusesFor(rng: Rng, index: number): SubscriptionStatus[] {
  if (index < COVERAGE_STATUSES.length) return [...COVERAGE_STATUSES[index]];
  const count = SUBSCRIPTION_COUNT.pick(rng);
  const statuses: SubscriptionStatus[] = [];
  for (let i = 0; i < count; i++) {
    let s = i === 0 ? FIRST_STATUS.pick(rng) : LATER_STATUS.pick(rng);
    // Paused means "trial ended without a card": only for a customer with nothing else going on.
    if (s === 'paused' && count > 1) s = 'active';
    statuses.push(s);
  }
  return statuses;
}

function isSecondAccount(seed: number, index: number): boolean {
  if (index === COVERAGE_SECOND_ACCOUNT) return true;
  if (index <= COVERAGE_STATUSES.length) return false;
  const roll = (i: number) => Rng.stream(seed, 'second-account', i).chance(0.03);
  return roll(index) && !roll(index - 1);
}

function invoicePrefix(rng: Rng): string {
  let p = '';
  for (let i = 0; i < 4; i++) p += PREFIX_LETTERS[rng.int(PREFIX_LETTERS.length)];
  return p + rng.digits(4);
}

export function buildCustomerBundle(g: GeneratorShared, index: number): DemoCustomerBundle {
  const rng = Rng.stream(g.seed, 'customer', index);
  const ids = new IdFactory(Rng.stream(g.seed, 'ids', index), index);
  const anchor = g.anchor;
  const secondAccount = isSecondAccount(g.seed, index);
  const person = personFor(g.seed, secondAccount ? index - 1 : index, g.pools);
  const currency = person.locale.currency;
  const customerId = ids.short('cus');

  // History depth: most customers are recent, a long tail goes back almost two years.
  const maxHistory = Math.floor(22 * 30.44 * DAY * rng.next() ** 2.3) + 2 * DAY;
  const statuses = statusesFor(rng, index);
  const sendInvoices = rng.chance(person.company ? 0.12 : 0.02);
  const collection: CollectionMethod = sendInvoices ? 'send_invoice' : 'charge_automatically';
  const planCtx = { rng, ids, catalog: g.catalog, currency, anchor, maxHistory };
  const subs: PlannedSubscription[] = statuses.map((status, i) => planSubscription(planCtx, status, { collection, firstOfCustomer: i === 0 }));

  const firstActivity = subs.length ? Math.min(...subs.map((s) => s.plan.created)) : anchor - rng.range(DAY, maxHistory);
  const created = firstActivity - rng.range(3 * MINUTE, 40 * MINUTE);

  // Cards: none for a trial that ended without one (paused), often none for invoice-by-e-mail.
  const wallet = new CardWallet(rng, ids, person.locale, anchor, created);
  const onlyTrials = statuses.length > 0 && statuses.every((s) => s === 'trialing');
  const hasCard = statuses.includes('paused') ? false : onlyTrials ? rng.chance(0.7) : sendInvoices ? rng.chance(0.4) : statuses.length === 0 ? rng.chance(0.5) : true;
  if (hasCard) {
    wallet.add(created + MINUTE, 'signup');
    if (anchor - created > 3 * DAY && rng.chance(0.1)) wallet.add(rng.range(created + DAY, anchor - DAY), 'update');
    if (anchor - created > 3 * DAY && rng.chance(0.03)) wallet.add(rng.range(created + DAY, anchor - DAY), 'update');
  }

  const slots: BillingSlot[] = subs.flatMap((s) => s.slots);
  const oneOffs = anchor - created > 3 * DAY && rng.chance(statuses.length ? 0.08 : 0.5) ? rng.range(1, 2) : 0;
  for (let i = 0; i < oneOffs; i++) slots.push(planOneOffInvoice(rng, currency, created, anchor, hasCard));

  const events: TimelineEventPlan[] = [{ type: 'customer.created', objectId: customerId, summary: 'Customer created', created }];
  for (const s of subs) events.push(...s.events);
  const prefix = invoicePrefix(rng);
  const plans: InvoicePlan[] = simulateBilling({ rng, ids, anchor, currency, wallet, invoicePrefix: prefix, events }, slots);

  for (const s of subs) {
    const own = plans.filter((p) => p.slot.subscription === s.plan);
    s.plan.latestInvoiceId = own.length ? own[own.length - 1].id : null;
  }
  for (const card of wallet.cards) {
    const why = card.reason === 'replacement' ? ', replacing an expired card' : card.reason === 'update' ? ', now the default payment method' : '';
    events.push({ type: 'payment_method.attached', objectId: card.id, summary: `${cardLabel(card)} added (expires ${String(card.expMonth).padStart(2, '0')}/${card.expYear})${why}`, created: card.created });
  }

  // Objects, now that every card's expiry is settled.
  const identity = customerIdentity(rng, { person, secondAccount });
  const billing = { address: person.address, email: identity.email, name: identity.name ?? person.name, phone: person.phone, tax_id: null };
  const paymentMethods = wallet.cards.map((c) => buildPaymentMethod(c, customerId, billing));
  const pmById = new Map(paymentMethods.map((pm) => [pm.id, pm]));
  const current = wallet.current();
  const invoiceCtx: InvoiceBuildContext = {
    rng,
    ids,
    customerId,
    currency,
    billing,
    paymentMethods: pmById,
    statementDescriptor: STATEMENT_DESCRIPTOR,
    customer: { email: identity.email, name: identity.name, phone: person.phone, address: person.address },
    accountName: DEMO_ACCOUNT_NAME,
  };
  const invoices = plans.map((p) => buildInvoice(invoiceCtx, p));
  const subscriptions = subs.map((s) => buildSubscription(s.plan, customerId, current?.id ?? null));
  const numbered = plans.filter((p) => p.number != null).length;
  const delinquent = plans.some((p) => p.status === 'open' && (p.attempts.some((a) => a.decline) || (p.dueDate != null && p.dueDate < anchor)));
  const customer = buildCustomer(
    rng,
    {
      id: customerId,
      person,
      secondAccount,
      created,
      currency: subs.length || plans.length ? currency : null,
      delinquent,
      invoicePrefix: prefix,
      nextInvoiceSequence: numbered + 1,
      planTier: subs[0]?.plan.tier ?? null,
      defaultPaymentMethod: current ? pmById.get(current.id)! : null,
    },
    identity,
  );
  return { customer, paymentMethods, subscriptions, invoices, timeline: timelineRows(ids, customerId, events) };
}
