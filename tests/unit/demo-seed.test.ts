import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openCache } from '../../electron/services/db/open';
import { clearDemoWorkspace, demoIsSeeded, seedDemoWorkspace } from '../../electron/services/demo/seed';
import { generateDemoObjects } from '../../electron/services/demo/generate';
import { isKnownDeclineCode } from '../../shared/domain/decline-codes';
import { tempDir } from '../helpers/services';
import { createServices } from '../../electron/services';
import { silentLogger } from '../../electron/services/core/log';

// Seeding writes the generated objects through the sync's ingest path: the cache ends up with
// exactly the rows the objects describe, and seeding again does not duplicate anything.

const count = (db: Database.Database, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

function demoCounts(db: Database.Database) {
  const demo = (table: string, where = '') => count(db, `SELECT COUNT(*) AS n FROM ${table} WHERE account_id = 'demo' ${where}`);
  return {
    customers: demo('customers'),
    subscriptions: demo('subscriptions'),
    invoices: demo('invoices'),
    payment_methods: demo('payment_methods'),
    failing_payments: demo('payment_attempts', "AND status = 'failed'"),
    timeline_events: demo('timeline_events'),
  };
}

describe('seeding the demo workspace through ingest', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });

  function freshCache(): Database.Database {
    const { dir, cleanup } = tempDir();
    const { db } = openCache(path.join(dir, 'cache.db'));
    cleanups.push(() => {
      db.close();
      cleanup();
    });
    return db;
  }

  it('writes every customer, card, subscription, invoice, failed attempt and timeline event, and reports those counts', () => {
    const db = freshCache();
    expect(demoIsSeeded(db)).toBe(false);
    const counts = seedDemoWorkspace(db, { seed: 9, customers: 250 });
    const objects = generateDemoObjects({ seed: 9, customers: 250 });
    expect(demoIsSeeded(db)).toBe(true);
    expect(counts).toEqual(demoCounts(db));
    expect(counts.customers).toBe(250);
    expect(counts.invoices).toBe(objects.invoices.length);
    expect(counts.subscriptions).toBe(objects.subscriptions.length);
    expect(counts.payment_methods).toBe(objects.paymentMethods.length);
    expect(counts.timeline_events).toBe(objects.timeline.length);
    expect(counts.failing_payments).toBeGreaterThan(20);
    expect(count(db, "SELECT COUNT(*) AS n FROM subscription_items WHERE account_id = 'demo'")).toBe(objects.subscriptions.reduce((n, s) => n + s.items.data.length, 0));
    expect(count(db, "SELECT COUNT(*) AS n FROM accounts WHERE id = 'demo' AND is_demo = 1")).toBe(1);
  });

  it('leaves rows complete: subscription ids via parent, decline codes on failed attempts, default cards, every status', () => {
    const db = freshCache();
    seedDemoWorkspace(db, { seed: 9, customers: 250 });
    expect(count(db, "SELECT COUNT(*) AS n FROM invoices WHERE account_id = 'demo' AND billing_reason != 'manual' AND subscription_id IS NULL")).toBe(0);
    expect(count(db, "SELECT COUNT(*) AS n FROM invoices WHERE account_id = 'demo' AND subscription_id IS NOT NULL")).toBeGreaterThan(500);
    const declines = db.prepare("SELECT decline_code, failure_code, card_last4 FROM payment_attempts WHERE account_id = 'demo' AND status = 'failed'").all() as Array<{ decline_code: string; failure_code: string; card_last4: string }>;
    for (const d of declines) {
      expect(isKnownDeclineCode(d.decline_code), d.decline_code).toBe(true);
      expect(d.failure_code).toBeTruthy();
      expect(d.card_last4).toMatch(/^\d{4}$/);
    }
    // A customer's default card is a payment method row of theirs.
    expect(
      count(db, `SELECT COUNT(*) AS n FROM customers c WHERE c.account_id = 'demo' AND c.default_payment_method_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = 'demo' AND p.id = c.default_payment_method_id AND p.customer_id = c.id)`),
    ).toBe(0);
    const statuses = (db.prepare("SELECT DISTINCT status FROM subscriptions WHERE account_id = 'demo' ORDER BY status").all() as { status: string }[]).map((r) => r.status);
    expect(statuses).toEqual(['active', 'canceled', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid']);
    const currencies = (db.prepare("SELECT DISTINCT currency FROM invoices WHERE account_id = 'demo' ORDER BY currency").all() as { currency: string }[]).map((r) => r.currency);
    expect(currencies).toEqual(['eur', 'gbp', 'jpy', 'kwd', 'usd']);
    expect(count(db, "SELECT COUNT(*) AS n FROM invoices WHERE account_id = 'demo' AND status = 'open' AND next_payment_attempt IS NOT NULL")).toBeGreaterThan(0);
  });

  it('seeding the same data set again changes nothing and duplicates nothing', () => {
    const db = freshCache();
    const first = seedDemoWorkspace(db, { seed: 4, customers: 120 });
    const snapshot = db.prepare("SELECT id, status, amount_due, attempt_count FROM invoices WHERE account_id = 'demo' ORDER BY id").all();
    const second = seedDemoWorkspace(db, { seed: 4, customers: 120 });
    expect(second).toEqual(first);
    expect(demoCounts(db)).toEqual(first);
    expect(db.prepare("SELECT id, status, amount_due, attempt_count FROM invoices WHERE account_id = 'demo' ORDER BY id").all()).toEqual(snapshot);
  });

  it('clearing replaces the demo data set but keeps notes people wrote and other accounts\' rows', () => {
    const db = freshCache();
    seedDemoWorkspace(db, { seed: 4, customers: 40 });
    db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_real', 'Real', 0, 0, 0)").run();
    db.prepare("INSERT INTO customers (account_id, id, created, synced_at_ms) VALUES ('acct_real', 'cus_real', 1, 1)").run();
    const customer = (db.prepare("SELECT id FROM customers WHERE account_id = 'demo' LIMIT 1").get() as { id: string }).id;
    db.prepare("INSERT INTO notes (account_id, customer_id, body, author, created_at_ms, updated_at_ms) VALUES ('demo', ?, 'called them', 'agent', 1, 1)").run(customer);
    clearDemoWorkspace(db);
    expect(demoCounts(db)).toEqual({ customers: 0, subscriptions: 0, invoices: 0, payment_methods: 0, failing_payments: 0, timeline_events: 0 });
    expect(count(db, "SELECT COUNT(*) AS n FROM notes WHERE account_id = 'demo'")).toBe(1);
    expect(count(db, "SELECT COUNT(*) AS n FROM customers WHERE account_id = 'acct_real'")).toBe(1);
    const replaced = seedDemoWorkspace(db, { seed: 5, customers: 30 });
    expect(demoCounts(db)).toEqual(replaced);
  });

  it('refuses a bad customer count before writing any demo row', () => {
    const db = freshCache();
    expect(() => seedDemoWorkspace(db, { customers: -5 })).toThrow(/customer count/);
    expect(demoIsSeeded(db)).toBe(false);
  });
});

describe('the app opening with no key', () => {
  it('seeds the demo workspace on first start, and leaves it alone on the next start', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const options = { dbPath: path.join(dir, 'cache.db'), env: {}, demo: { seed: 2, customers: 30 } };
      const first = await createServices(options, { logger: silentLogger });
      const db = first.ctx.db;
      expect(first.ctx.workspace.isDemo()).toBe(true);
      expect(count(db, "SELECT COUNT(*) AS n FROM customers WHERE account_id = 'demo'")).toBe(30);
      expect(count(db, "SELECT COUNT(*) AS n FROM invoices WHERE account_id = 'demo'")).toBeGreaterThan(60);
      const someone = (db.prepare("SELECT id FROM customers WHERE account_id = 'demo' LIMIT 1").get() as { id: string }).id;
      db.prepare("UPDATE customers SET name = 'Edited by a test' WHERE account_id = 'demo' AND id = ?").run(someone);
      await first.close();

      const second = await createServices(options, { logger: silentLogger });
      expect(count(second.ctx.db, "SELECT COUNT(*) AS n FROM customers WHERE account_id = 'demo'")).toBe(30);
      // A second seeding would have written the generated name back over the edit.
      expect((second.ctx.db.prepare("SELECT name FROM customers WHERE account_id = 'demo' AND id = ?").get(someone) as { name: string }).name).toBe('Edited by a test');
      await second.close();
    } finally {
      cleanup();
    }
  });
});
