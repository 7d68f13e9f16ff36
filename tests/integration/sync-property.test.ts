import Database from 'better-sqlite3';
import fc from 'fast-check';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/services/db/migrate';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { ProductNames } from '../../electron/services/stripe/product-names';
import { applyEventPayloads, applyRefetched, finishEvents, type FetchedObject, type RefetchRef } from '../../electron/services/sync/apply-events';
import { ingestPage } from '../../electron/services/sync/backfill';
import { SDK_API_VERSION } from '../../electron/services/sync/clients';
import type { BackfillResource } from '../../electron/services/sync/sync-state';
import { StripeStore } from '../stripe-server';
import { ServerClock } from '../stripe-server/clock';
import { randomMutation } from '../stripe-server/mutations';
import { rng, seedAccount } from '../stripe-server/seed';
import type { StripeObject } from '../stripe-server/shapes';
import { cachedMirror, expectedMirror, mirrorDiff } from '../helpers/stripe-mirror';

// Property (acceptance): the same changes, delivered as events shuffled, duplicated, cut into
// batches of any size and interleaved with backfill pages (snapshots taken at different times),
// always leave the cache identical to the server. No HTTP: the apply functions are called
// directly on an in-memory database; a re-fetch is answered from the server's final state, as a
// real fetch made after the event would be.

const ACCOUNT = 'acct_1PropertyTest0001';
const SCENARIOS = 24;

interface PageUnit {
  kind: 'page';
  resource: BackfillResource;
  items: unknown[];
  ts: number;
}
interface Scenario {
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

function buildScenario(index: number): Scenario {
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

function fetchFinal(store: StripeStore, ref: RefetchRef, ts: number): FetchedObject {
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

let template: Buffer | null = null;
function freshDb(): Database.Database {
  if (!template) {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    ensureAccount(db, { id: ACCOUNT, name: 'Property', livemode: false, isDemo: false });
    template = db.serialize();
    db.close();
  }
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  return db;
}

const scenarios: Scenario[] = Array.from({ length: SCENARIOS }, (_, i) => buildScenario(i));

function deliver(s: Scenario, plan: { seed: number; duplicate: number; maxBatch: number }): string[] {
  const db = freshDb();
  try {
    const random = rng(plan.seed);
    const productNames = new ProductNames(db, ACCOUNT);
    for (const p of s.store.all('product')) productNames.set(p.id, p.name);
    type Unit = PageUnit | { kind: 'events'; events: Stripe.Event[] };
    const events = [...s.events];
    for (const e of s.events) if (random() < plan.duplicate) events.push(e);
    // Shuffle (Fisher-Yates with the plan's seed).
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
    const units: Unit[] = [...s.pages];
    for (let i = 0; i < events.length; ) {
      const size = 1 + Math.floor(random() * plan.maxBatch);
      units.push({ kind: 'events', events: events.slice(i, i + size) });
      i += size;
    }
    for (let i = units.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [units[i], units[j]] = [units[j], units[i]];
    }
    for (const u of units) {
      if (u.kind === 'page') {
        db.transaction(() => ingestPage(db, ACCOUNT, u.resource, u.items, u.ts, productNames))();
        continue;
      }
      let outcome!: ReturnType<typeof applyEventPayloads>;
      db.transaction(() => {
        outcome = applyEventPayloads(db, ACCOUNT, u.events, { apiVersion: SDK_API_VERSION, productNames });
      })();
      const fetched = outcome.refetch.map((r) => fetchFinal(s.store, r, s.finalTs));
      db.transaction(() => {
        applyRefetched(db, ACCOUNT, fetched, productNames);
        finishEvents(db, ACCOUNT, outcome.fresh, 0);
      })();
    }
    const actual = cachedMirror(db, ACCOUNT);
    const diff = mirrorDiff(expectedMirror(s.store, new Set(Object.keys(actual.paymentMethods))), actual, 5);
    for (const id of actual.deletedCustomers) if (!s.store.collection('customer').isDeleted(id)) diff.push(`customers: ${id} wrongly deleted`);
    const applied = (db.prepare('SELECT COUNT(*) AS n FROM applied_events WHERE account_id = ?').get(ACCOUNT) as { n: number }).n;
    if (applied !== s.events.length) diff.push(`applied_events: ${applied} rows for ${s.events.length} distinct events`);
    return diff;
  } finally {
    db.close();
  }
}

describe('sync property: order, duplicates and interleaving do not matter', () => {
  it('scenarios are rich: same-second events, old api versions, deletions, declines', () => {
    const all = scenarios.flatMap((s) => s.events);
    expect(all.length).toBeGreaterThan(SCENARIOS * 30);
    expect(all.some((e) => e.api_version !== SDK_API_VERSION)).toBe(true);
    for (const t of ['customer.deleted', 'invoice.payment_failed', 'payment_method.detached', 'invoice.deleted', 'customer.subscription.updated']) expect(all.some((e) => e.type === t)).toBe(true);
    const sameSecond = scenarios.some((s) => s.events.some((e, i) => i > 0 && e.created === s.events[i - 1].created && (e.data.object as { id: string }).id === (s.events[i - 1].data.object as { id: string }).id));
    expect(sameSecond).toBe(true);
  });

  it('gives the server state whatever the delivery (1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.record({
          scenario: fc.nat(SCENARIOS - 1),
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          duplicate: fc.double({ min: 0, max: 0.6, noNaN: true }),
          maxBatch: fc.integer({ min: 1, max: 12 }),
        }),
        (plan) => {
          expect(deliver(scenarios[plan.scenario], plan)).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
