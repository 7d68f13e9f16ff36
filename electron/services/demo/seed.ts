import type Database from 'better-sqlite3';
import { ensureAccount, ingestCustomer, ingestInvoice, ingestPaymentMethod, ingestSubscription } from '../stripe/ingest';
import { DEMO_ACCOUNT } from '../workspace/workspace';
import { DEFAULT_DEMO_CUSTOMERS, iterateDemoCustomers, type DemoCustomerBundle, type DemoGenerateOptions } from './generate';
import { DEFAULT_DEMO_ANCHOR_MS, toUnixSeconds } from './time';

// Writes the generated demo data set into the cache through the same ingest path (mappers and
// guarded upserts) the real sync uses, a few customers per transaction so that no single write
// holds the database for long.

export interface DemoSeedProgress {
  /** Customers written so far, and how many there will be. */
  done: number;
  total: number;
  /** How long the transaction just committed held the database. */
  transactionMs: number;
}

export interface DemoSeedOptions extends DemoGenerateOptions {
  /** Called after each committed chunk (for a progress bar, or a bench of transaction lengths). */
  onProgress?: (progress: DemoSeedProgress) => void;
}

export interface DemoSeedCounts {
  customers: number;
  subscriptions: number;
  invoices: number;
  payment_methods: number;
  /** Payment attempts that ended in a decline (what the dunning queue is built from). */
  failing_payments: number;
  timeline_events: number;
}

/** Customers per transaction: ~5 invoices each, a few milliseconds of writing per chunk. */
const CUSTOMERS_PER_TRANSACTION = 100;

/**
 * Tables holding Stripe-mirrored demo rows (children first), and the sync's tombstones: a
 * tombstoned id would make ingest skip the regenerated object.
 */
const DEMO_MIRROR_TABLES = ['timeline_events', 'payment_attempts', 'invoices', 'subscription_items', 'subscriptions', 'payment_methods', 'customers', 'sync_tombstones'] as const;

export function demoIsSeeded(db: Database.Database): boolean {
  const row = db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(DEMO_ACCOUNT.id) as { n: number };
  return row.n > 0;
}

/**
 * Removes the demo workspace's Stripe-mirrored rows and timeline before writing a fresh data set.
 * Notes, dunning work, portal links and the audit log are people's work and stay.
 */
export function clearDemoWorkspace(db: Database.Database): void {
  db.transaction(() => {
    for (const table of DEMO_MIRROR_TABLES) db.prepare(`DELETE FROM ${table} WHERE account_id = ?`).run(DEMO_ACCOUNT.id);
  })();
}

function failedAttempts(bundle: DemoCustomerBundle): number {
  let n = 0;
  for (const inv of bundle.invoices) {
    for (const p of inv.payments?.data ?? []) {
      const pi = p.payment.payment_intent;
      if (p.status !== 'paid' && pi && typeof pi !== 'string' && pi.last_payment_error) n++;
    }
  }
  return n;
}

export function seedDemoWorkspace(db: Database.Database, options: DemoSeedOptions = {}): DemoSeedCounts {
  ensureAccount(db, DEMO_ACCOUNT);
  const account = DEMO_ACCOUNT.id;
  // The data describes the anchor instant; that is also the Stripe-side time of every version.
  const sourceTs = toUnixSeconds(options.anchor ?? DEFAULT_DEMO_ANCHOR_MS);
  const insertTimeline = db.prepare(
    `INSERT INTO timeline_events (account_id, id, customer_id, type, object_id, summary, created)
     VALUES (@account_id, @id, @customer_id, @type, @object_id, @summary, @created)
     ON CONFLICT (account_id, id) DO UPDATE SET customer_id = excluded.customer_id, type = excluded.type,
       object_id = excluded.object_id, summary = excluded.summary, created = excluded.created`,
  );
  const counts: DemoSeedCounts = { customers: 0, subscriptions: 0, invoices: 0, payment_methods: 0, failing_payments: 0, timeline_events: 0 };

  const writeChunk = db.transaction((bundles: DemoCustomerBundle[]) => {
    for (const b of bundles) {
      // The customer carries its default payment method expanded; ingest writes that one too.
      ingestCustomer(db, account, b.customer, sourceTs);
      const defaultPm = b.customer.invoice_settings.default_payment_method;
      const defaultId = defaultPm && typeof defaultPm !== 'string' ? defaultPm.id : null;
      for (const pm of b.paymentMethods) if (pm.id !== defaultId) ingestPaymentMethod(db, account, pm, sourceTs);
      for (const s of b.subscriptions) ingestSubscription(db, account, s, sourceTs);
      for (const inv of b.invoices) ingestInvoice(db, account, inv, sourceTs);
      for (const t of b.timeline) insertTimeline.run({ account_id: account, ...t });
      counts.customers++;
      counts.payment_methods += b.paymentMethods.length;
      counts.subscriptions += b.subscriptions.length;
      counts.invoices += b.invoices.length;
      counts.failing_payments += failedAttempts(b);
      counts.timeline_events += b.timeline.length;
    }
  });

  const total = options.customers ?? DEFAULT_DEMO_CUSTOMERS;
  const commit = (bundles: DemoCustomerBundle[]) => {
    const started = performance.now();
    writeChunk(bundles);
    options.onProgress?.({ done: counts.customers, total, transactionMs: performance.now() - started });
  };
  let chunk: DemoCustomerBundle[] = [];
  for (const bundle of iterateDemoCustomers(options)) {
    chunk.push(bundle);
    if (chunk.length >= CUSTOMERS_PER_TRANSACTION) {
      commit(chunk);
      chunk = [];
    }
  }
  if (chunk.length) commit(chunk);
  return counts;
}
