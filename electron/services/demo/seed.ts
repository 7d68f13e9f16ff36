import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { ingestCustomer } from '../stripe/ingest';
import { DEMO_ACCOUNT } from '../workspace/workspace';

// PLACEHOLDER: the full deterministic demo generator replaces this (see the demo workspace work).

export interface DemoSeedOptions {
  seed?: number;
  customers?: number;
  now: number;
}

export function demoIsSeeded(db: Database.Database): boolean {
  const row = db.prepare('SELECT COUNT(*) AS n FROM customers WHERE account_id = ?').get(DEMO_ACCOUNT.id) as { n: number };
  return row.n > 0;
}

export function seedDemoWorkspace(db: Database.Database, options: DemoSeedOptions): { customers: number } {
  const count = options.customers ?? 50;
  const nowSec = Math.floor(options.now / 1000);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const c = { id: `cus_demo${String(i).padStart(6, '0')}`, object: 'customer', name: `Demo Customer ${i}`, email: `customer${i}@example.com`, created: nowSec - i * 3600, livemode: false, metadata: {}, balance: 0, delinquent: false, invoice_settings: { default_payment_method: null } } as unknown as Stripe.Customer;
      ingestCustomer(db, DEMO_ACCOUNT.id, c, nowSec);
    }
  })();
  return { customers: count };
}
