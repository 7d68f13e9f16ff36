import fc from 'fast-check';
import type Stripe from 'stripe';
import type { FetchedObject, RefetchRef } from '../../electron/services/sync/apply-events';
import { SDK_API_VERSION } from '../../electron/services/sync/clients';
import type { BackfillResource } from '../../electron/services/sync/sync-state';
import { StripeStore } from '../stripe-server';
import { ServerClock } from '../stripe-server/clock';
import { randomMutation } from '../stripe-server/mutations';
import { rng, seedAccount } from '../stripe-server/seed';
import type { StripeObject } from '../stripe-server/shapes';

// Scenarios for the delivery properties (the desk cache's and the team server mirror's): an
// account seeded on an in-memory test server, then mutated, with every event it emitted and list
// pages (snapshots) taken at different times; a re-fetch is answered from the final state, as a
// real fetch made after the event would be. `deliveryOrder` shuffles, duplicates and batches.

export const ACCOUNT = 'acct_1PropertyTest0001';
export const SCENARIOS = 24;

export interface PageUnit {
  kind: 'page';
  resource: BackfillResource;
  items: unknown[];
  ts: number;
}
export interface Scenario {
  store: StripeStore;
  events: Stripe.Event[];
  pages: PageUnit[];
  finalTs: number;
}

function snapshot(store: StripeStore, ts: number, random: () => number, partial: boolean): PageUnit[] {
  const customers = store.all('customer').map((c) => {
    const pm = c.invoice_settings?.default_payment_method;
    return pm ? { ...c, invoice_settings: { ...c.invoice_settings, default_payment_method: store.get('payment_method', pm) ?? pm } } : c;
  });
  const payments = store.all('invoice_payment').map((p) => {
    const pi = store.get('payment_intent', p.payment.payment_intent)!;
    return { ...p, payment: { ...p.payment, payment_intent: { ...pi, latest_charge: store.get('charge', pi.latest_charge) ?? pi.latest_charge } } };
  });
  const lists: Array<[BackfillResource, StripeObject[]]> = [
    ['customers', customers],
    ['payment_methods', store.all('payment_method').filter((pm) => pm.customer && store.get('customer', pm.customer))],
    ['subscriptions', store.all('subscription')],
    ['invoices', store.all('invoice')],
    ['invoice_payments', payments as StripeObject[]],
  ];
  const units: PageUnit[] = [];
  for (const [resource, items] of lists) {
    const kept = partial ? items.filter(() => random() < 0.4) : items;
    for (let i = 0; i < kept.length; ) {
      const size = 1 + Math.floor(random() * 4);
      units.push({ kind: 'page', resource, items: kept.slice(i, i + size), ts });
      i += size;
    }
  }
  return units;
}

export function buildScenario(index: number): Scenario {
  const clock = new ServerClock(() => 1_790_000_000_000);
  const store = new StripeStore({ clock, accountId: ACCOUNT });
  const random = rng(1000 + index);
  seedAccount(store, { customers: 5, seed: index });
  const events: Stripe.Event[] = [];
  store.onEvent((e) => events.push(e as unknown as Stripe.Event));
  const pages = snapshot(store, clock.now(), random, false);
  const mutations = 30;
  for (let i = 0; i < mutations; i++) {
    // Several changes in one second, often: the order of same-second versions is unknowable.
    if (random() < 0.35) clock.advance(1);
    // Some events rendered in an older API version: their payloads must not be trusted.
    store.eventApiVersion = random() < 0.08 ? '2024-06-20' : SDK_API_VERSION;
    randomMutation(store, index * 10_000 + i);
    if (random() < 0.1) pages.push(...snapshot(store, clock.now(), random, true));
  }
  store.eventApiVersion = SDK_API_VERSION;
  clock.advance(1);
  return { store, events, pages, finalTs: clock.now() };
}

export function fetchFinal(store: StripeStore, ref: RefetchRef, ts: number): FetchedObject {
  switch (ref.type) {
    case 'customer': {
      if (store.collection('customer').isDeleted(ref.id)) return { ref, object: { id: ref.id, object: 'customer', deleted: true }, ts };
      const c = store.get('customer', ref.id);
      const pm = c?.invoice_settings?.default_payment_method;
      return { ref, object: c && pm ? { ...c, invoice_settings: { ...c.invoice_settings, default_payment_method: store.get('payment_method', pm) } } : (c ?? null), ts };
    }
    case 'invoice_payments': {
      const payments = store.paymentsOf(ref.id).map((p) => {
        const pi = store.get('payment_intent', p.payment.payment_intent)!;
        return { ...p, payment: { ...p.payment, payment_intent: { ...pi, latest_charge: store.get('charge', pi.latest_charge) } } };
      });
      return { ref, object: null, payments: payments as unknown as Stripe.InvoicePayment[], ts };
    }
    default:
      return { ref, object: store.get(ref.type, ref.id) ?? null, ts };
  }
}

export type DeliveryUnit = PageUnit | { kind: 'events'; events: Stripe.Event[] };

/** The scenario's pages and events, shuffled, some events duplicated, cut into batches. */
export function deliveryOrder(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }): DeliveryUnit[] {
  const random = rng(plan.seed);
  const events = [...s.events];
  for (const e of s.events) if (random() < plan.duplicate) events.push(e);
  // Shuffle (Fisher-Yates with the plan's seed).
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  const units: DeliveryUnit[] = [...s.pages];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * plan.maxBatch);
    units.push({ kind: 'events', events: events.slice(i, i + size) });
    i += size;
  }
  for (let i = units.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [units[i], units[j]] = [units[j], units[i]];
  }
  return units;
}

/** A delivery plan for `deliveryOrder`: which scenario, the shuffle's seed, how often an event comes twice, the batch size. */
export const deliveryPlan = fc.record({
  scenario: fc.nat(SCENARIOS - 1),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  duplicate: fc.double({ min: 0, max: 0.6, noNaN: true }),
  maxBatch: fc.integer({ min: 1, max: 12 }),
});
