import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../electron/services/db/migrate';
import { searchCustomers } from '../../electron/services/search/search-customers';
import { buildCustomer360 } from '../../electron/services/customers/customer-360';
import { listCustomers } from '../../electron/services/customers/list';
import { customer, invoice, paymentMethod, seed, subscription } from '../helpers/customer-fixtures';

// Every statement the search and the 360 view run must reach rows through an index. Without
// ANALYZE statistics SQLite's planner can pick an account-wide index and scan it (this happened:
// 100× slower at 100k customers), so the plans themselves are checked, for every statement used.

function capturePlans(run: (db: Database.Database) => void): Array<{ sql: string; plan: string }> {
  const db = new Database(':memory:');
  migrate(db);
  seed(db, 'acct_A', [
    customer({ id: 'cus_a', name: 'Alice Johnson', email: 'alice@example.com', phone: '+1 415 555 0101', defaultPaymentMethod: 'pm_a' }),
    customer({ id: 'cus_b', name: '山田太郎', email: 'taro@example.jp' }),
    paymentMethod({ id: 'pm_a', customer: 'cus_a', last4: '4242', expMonth: 1, expYear: 2040 }),
    subscription({ id: 'sub_a', customer: 'cus_a', items: [{ id: 'si_a', unitAmount: 100, interval: 'month' }] }),
    invoice({ id: 'in_a', customer: 'cus_a', number: 'AB-0001', amountDue: 100, attempts: [{ id: 'inpay_a', status: 'paid', amount: 100 }] }),
  ]);
  const seen = new Map<string, Database.Statement>();
  const original = db.prepare.bind(db);
  (db as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
    const s = original(sql);
    seen.set(sql, s);
    return s;
  }) as typeof db.prepare;
  run(db);
  const out: Array<{ sql: string; plan: string }> = [];
  for (const [sql, s] of seen) {
    if (!/^\s*(SELECT|WITH)/i.test(sql)) continue;
    const params = s.reader ? new Array(countParams(sql)).fill('x') : [];
    const named = /@\w+/.test(sql) ? Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], 'x'])) : null;
    const plan = (named ? original(`EXPLAIN QUERY PLAN ${sql}`).all(named) : original(`EXPLAIN QUERY PLAN ${sql}`).all(...params)) as Array<{ detail: string }>;
    out.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 120), plan: plan.map((p) => p.detail).join(' | ') });
  }
  return out;
}

function countParams(sql: string): number {
  return (sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length;
}

const MIRRORED = ['customers', 'subscriptions', 'subscription_items', 'invoices', 'payment_attempts', 'payment_methods', 'dunning_cases', 'notes', 'timeline_events', 'portal_links'];

function expectIndexed(plans: Array<{ sql: string; plan: string }>) {
  expect(plans.length).toBeGreaterThan(3);
  for (const { sql, plan } of plans) {
    for (const table of MIRRORED) {
      // A bare "SCAN <table>" (or its alias) reads every row of the account.
      expect.soft(plan, `${sql}\n  -> ${plan}`).not.toMatch(new RegExp(`\\bSCAN (${table}|[cspiadx])\\b(?! VIRTUAL)`));
    }
    expect.soft(plan, `${sql}\n  -> ${plan}`).not.toContain('customers_list');
    // An index used with nothing but the account (or the account and an open range) walks the
    // whole account: the same trap in another shape.
    expect.soft(plan, `${sql}\n  -> ${plan}`).not.toMatch(/INDEX \w+ \(account_id=\?( AND \w+[<>]\?)?\)/);
  }
}

describe('query plans', () => {
  it('search statements all use an index (ids, email, invoice number, last4, phone, words, typos, CJK)', () => {
    const plans = capturePlans((db) => {
      for (const q of ['cus_a', 'sub_a', 'in_a', 'pi_inpay_a', 'ch_inpay_a', 'pm_a', 'inpay_a', 'si_a', 'in_a1', 'alice@example.com', 'AB-0001', 'AB-', '4242', '415 555 0101', 'alice', 'jonhson', '@example.com', '太郎', 'alice@exmaple.com'])
        searchCustomers(db, 'acct_A', q);
    });
    expectIndexed(plans);
  });

  it('the 360 view reads each section through the customer indexes', () => {
    expectIndexed(capturePlans((db) => buildCustomer360(db, 'acct_A', 'cus_a', Date.now())));
  });

  it('the customer list pages through its own partial index', () => {
    const plans = capturePlans((db) => listCustomers(db, 'acct_A', 0, 50));
    expect(plans.map((p) => p.plan).join('\n')).toMatch(/customers_list/);
    expect(plans.every((p) => !/USE TEMP B-TREE FOR ORDER BY/.test(p.plan))).toBe(true);
  });
});
