import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../electron/services/db/migrate';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { migration007 } from '../../electron/services/db/migrations/007-account-modes';

const BEFORE = migration007.version - 1;
const AFTER = migration007.version;

// Migration 007: test and live mode of one Stripe account become two workspaces ("acct_X" and
// "acct_X:live"). A cache already mixed up by the old behaviour (a live key added after a test key
// relabelled everything LIVE) is untangled by the mode Stripe gave each customer.

function openBefore(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, BEFORE);
  expect(schemaVersion(db)).toBe(BEFORE);
  return db;
}

function seedCustomer(db: Database.Database, account: string, id: string, livemode: 0 | 1) {
  db.prepare('INSERT INTO customers (account_id, id, name, email, livemode, created, synced_at_ms) VALUES (?, ?, ?, ?, ?, 1, 1)').run(account, id, `Name ${id}`, `${id}@example.com`, livemode);
  db.prepare("INSERT INTO subscriptions (account_id, id, customer_id, status, currency, created, synced_at_ms) VALUES (?, ?, ?, 'past_due', 'usd', 1, 1)").run(account, `sub_${id}`, id);
  db.prepare("INSERT INTO subscription_items (account_id, id, subscription_id) VALUES (?, ?, ?)").run(account, `si_${id}`, `sub_${id}`);
  db.prepare("INSERT INTO invoices (account_id, id, customer_id, currency, status, created, synced_at_ms) VALUES (?, ?, ?, 'usd', 'open', 1, 1)").run(account, `in_${id}`, id);
  // An attempt without customer_id: found through its invoice.
  db.prepare("INSERT INTO payment_attempts (account_id, id, invoice_id, status, currency, created) VALUES (?, ?, ?, 'failed', 'usd', 1)").run(account, `inpay_${id}`, `in_${id}`);
  db.prepare("INSERT INTO payment_methods (account_id, id, customer_id, type, created, synced_at_ms) VALUES (?, ?, ?, 'card', 1, 1)").run(account, `pm_${id}`, id);
  db.prepare("INSERT INTO timeline_events (account_id, id, customer_id, type, summary, created) VALUES (?, ?, ?, 'invoice.payment_failed', 'failed', 1)").run(account, `evt_${id}`, id);
  const c = db
    .prepare("INSERT INTO dunning_cases (account_id, customer_id, invoice_id, currency, opened_at, stage_changed_at, subject) VALUES (?, ?, ?, 'usd', 1, 1, ?)")
    .run(account, id, `in_${id}`, `invoice:in_${id}`);
  db.prepare("INSERT INTO dunning_case_history (case_id, at_ms, actor, kind) VALUES (?, 1, 'stripe', 'opened')").run(c.lastInsertRowid);
  db.prepare("INSERT INTO notes (account_id, customer_id, dunning_case_id, body, author, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, 'ana', 1, 1)").run(account, id, c.lastInsertRowid, `note about ${id}`);
  db.prepare("INSERT INTO portal_links (account_id, customer_id, flow, url, created_by, created_at_ms) VALUES (?, ?, 'home', 'https://billing.stripe.com/p/session/x', 'ana', 1)").run(account, id);
  db.prepare("INSERT INTO copilot_proposals (id, account_id, customer_id, type, title, reason, source, created_at_ms) VALUES (?, ?, ?, 'retry_payment', 't', 'r', 'state', 1)").run(`prop_${id}`, account, id);
  db.prepare("INSERT INTO audit_log (account_id, at_ms, actor, action, target_type, target_id, result) VALUES (?, 1, 'ana', 'note.add', 'customer', ?, 'ok')").run(account, id);
}

function seedBefore007(db: Database.Database) {
  // acct_Mixed: a test key first (cus_T…), then a live key of the same account (cus_L…) that
  // relabelled the account LIVE and shared its rows, sync state and settings.
  db.prepare("INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES ('acct_Mixed', 'Mixed Co', 1, 0, 10), ('acct_TestOnly', 'Test Co', 0, 0, 20), ('acct_LiveOnly', 'Live Co', 1, 0, 30), ('demo', 'Demo workspace', 0, 1, 5)").run();
  seedCustomer(db, 'acct_Mixed', 'cus_T1', 0);
  seedCustomer(db, 'acct_Mixed', 'cus_L1', 1);
  seedCustomer(db, 'acct_TestOnly', 'cus_X1', 0);
  seedCustomer(db, 'acct_LiveOnly', 'cus_Y1', 1);
  seedCustomer(db, 'demo', 'cus_D1', 0);
  db.prepare("INSERT INTO sync_state (account_id, backfill_complete, events_cursor, last_synced_at_ms) VALUES ('acct_Mixed', 1, 'evt_cursorLive', 99), ('acct_TestOnly', 1, 'evt_cursorTest', 98), ('acct_LiveOnly', 1, 'evt_cursorLO', 97)").run();
  db.prepare("INSERT INTO applied_events (account_id, event_id, type, created, applied_at_ms) VALUES ('acct_Mixed', 'evt_a', 'x', 1, 1), ('acct_TestOnly', 'evt_b', 'x', 1, 1)").run();
  db.prepare("INSERT INTO audit_log (account_id, at_ms, actor, action, target_type, target_id, result) VALUES ('acct_Mixed', 1, 'ana', 'stripe_key.set', 'account', 'acct_Mixed', 'ok')").run();
  const set = db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?)');
  set.run('active_account', JSON.stringify('acct_Mixed'));
  set.run('portal.return_url:acct_Mixed', JSON.stringify('https://mixed.example/account'));
  set.run('portal.return_url:acct_TestOnly', JSON.stringify('https://test.example/account'));
  set.run('env_account:live:ab12', JSON.stringify({ id: 'acct_Mixed', name: 'Mixed Co', livemode: true, isDemo: false }));
  set.run('agent_name', JSON.stringify('ana'));
}

const ROW_TABLES = ['customers', 'subscriptions', 'subscription_items', 'invoices', 'payment_attempts', 'payment_methods', 'timeline_events', 'dunning_cases', 'notes', 'portal_links', 'copilot_proposals'];

/** account_id of every row of the customer in every table that holds one. */
function whereRowsOf(db: Database.Database, customer: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  // Seeded ids embed the customer id: si_cus_…, in_cus_… (attempts carry only their invoice).
  const byCustomer: Record<string, string> = { customers: 'id', subscription_items: "replace(id, 'si_', '')", payment_attempts: "replace(invoice_id, 'in_', '')" };
  for (const t of ROW_TABLES) {
    const col = byCustomer[t] ?? 'customer_id';
    out[t] = (db.prepare(`SELECT DISTINCT account_id FROM ${t} WHERE ${col} = ?`).all(customer) as Array<{ account_id: string }>).map((r) => r.account_id);
  }
  out.audit_log = (db.prepare("SELECT DISTINCT account_id FROM audit_log WHERE target_id = ?").all(customer) as Array<{ account_id: string }>).map((r) => r.account_id);
  return out;
}

const everywhere = (account: string) => Object.fromEntries([...ROW_TABLES, 'audit_log'].map((t) => [t, [account]]));

describe('migration 007: one workspace per (Stripe account, mode)', () => {
  it('untangles a mixed account: live customers and their rows move to acct_…:live, test ones stay; others keep their rows', () => {
    const db = openBefore();
    seedBefore007(db);
    migrate(db, MIGRATIONS, AFTER);
    expect(schemaVersion(db)).toBe(AFTER);

    expect(db.prepare('SELECT id, stripe_account_id, name, livemode, is_demo FROM accounts ORDER BY id').all()).toEqual([
      { id: 'acct_LiveOnly:live', stripe_account_id: 'acct_LiveOnly', name: 'Live Co', livemode: 1, is_demo: 0 },
      { id: 'acct_Mixed', stripe_account_id: 'acct_Mixed', name: 'Mixed Co', livemode: 0, is_demo: 0 },
      { id: 'acct_Mixed:live', stripe_account_id: 'acct_Mixed', name: 'Mixed Co', livemode: 1, is_demo: 0 },
      { id: 'acct_TestOnly', stripe_account_id: 'acct_TestOnly', name: 'Test Co', livemode: 0, is_demo: 0 },
      { id: 'demo', stripe_account_id: 'demo', name: 'Demo workspace', livemode: 0, is_demo: 1 },
    ]);
    expect(whereRowsOf(db, 'cus_T1')).toEqual(everywhere('acct_Mixed'));
    expect(whereRowsOf(db, 'cus_L1')).toEqual(everywhere('acct_Mixed:live'));
    expect(whereRowsOf(db, 'cus_X1')).toEqual(everywhere('acct_TestOnly'));
    expect(whereRowsOf(db, 'cus_Y1')).toEqual(everywhere('acct_LiveOnly:live'));
    expect(whereRowsOf(db, 'cus_D1')).toEqual(everywhere('demo'));
    // Case history and notes still hang off their case.
    expect(db.prepare('SELECT COUNT(*) AS n FROM dunning_case_history h JOIN dunning_cases c ON c.id = h.case_id').get()).toEqual({ n: 5 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('the sync state goes with the mode of the key last stored; the other workspace backfills afresh', () => {
    const db = openBefore();
    seedBefore007(db);
    migrate(db, MIGRATIONS, AFTER);
    const state = db.prepare('SELECT account_id, backfill_complete, events_cursor, last_synced_at_ms FROM sync_state ORDER BY account_id').all();
    expect(state).toEqual([
      { account_id: 'acct_LiveOnly:live', backfill_complete: 1, events_cursor: 'evt_cursorLO', last_synced_at_ms: 97 },
      { account_id: 'acct_Mixed', backfill_complete: 0, events_cursor: null, last_synced_at_ms: null },
      { account_id: 'acct_Mixed:live', backfill_complete: 1, events_cursor: 'evt_cursorLive', last_synced_at_ms: 99 },
      { account_id: 'acct_TestOnly', backfill_complete: 1, events_cursor: 'evt_cursorTest', last_synced_at_ms: 98 },
    ]);
    expect(db.prepare('SELECT account_id, event_id FROM applied_events ORDER BY event_id').all()).toEqual([
      { account_id: 'acct_Mixed:live', event_id: 'evt_a' },
      { account_id: 'acct_TestOnly', event_id: 'evt_b' },
    ]);
    expect(db.prepare("SELECT account_id FROM audit_log WHERE action = 'stripe_key.set'").get()).toEqual({ account_id: 'acct_Mixed:live' });
  });

  it('settings that named a live account name its live workspace; the rest are untouched', () => {
    const db = openBefore();
    seedBefore007(db);
    migrate(db, MIGRATIONS, AFTER);
    const settings = Object.fromEntries((db.prepare('SELECT key, value_json FROM settings').all() as Array<{ key: string; value_json: string }>).map((r) => [r.key, JSON.parse(r.value_json)]));
    expect(settings).toEqual({
      active_account: 'acct_Mixed:live',
      'portal.return_url:acct_Mixed:live': 'https://mixed.example/account',
      'portal.return_url:acct_TestOnly': 'https://test.example/account',
      'env_account:live:ab12': { id: 'acct_Mixed:live', stripeAccountId: 'acct_Mixed', name: 'Mixed Co', livemode: true, isDemo: false },
      agent_name: 'ana',
    });
  });

  it('one workspace per account and mode from now on', () => {
    const db = openBefore();
    seedBefore007(db);
    migrate(db, MIGRATIONS, AFTER);
    expect(() => db.prepare("INSERT INTO accounts (id, stripe_account_id, name, livemode, is_demo, added_at_ms) VALUES ('acct_Mixed:dup', 'acct_Mixed', 'x', 1, 0, 1)").run()).toThrow(/UNIQUE/);
  });

  it('an empty cache migrates', () => {
    const db = openBefore();
    migrate(db, MIGRATIONS, AFTER);
    expect(db.prepare('SELECT COUNT(*) AS n FROM accounts').get()).toEqual({ n: 0 });
  });
});
