import type Database from 'better-sqlite3';
import { workspaceIdFor } from '../../../../shared/domain/workspace-id';
import type { Migration } from './types';

// Test and live mode of one Stripe account become two workspaces (shared/domain/workspace-id.ts):
// before, both keys resolved to the same acct_ id, so adding a live key replaced the test key and
// relabelled the cached test customers, invoices, cases and notes as LIVE.
//
// Every row stays keyed by `account_id`, which now holds the workspace id; `accounts` gains the
// Stripe account id beside the existing livemode column, one row per (account, mode). Existing
// rows are sorted by the mode Stripe gave their customer (customers.livemode comes from the API
// object), so a cache that was already mixed up is untangled: rows of live customers move to
// "<acct>:live", rows of test customers stay under "<acct>". Rows with no customer (sync state,
// applied events, tombstones, audit of account settings) go with the mode the account row had: the
// mode of the key last stored, whose sync wrote them. A workspace that gains rows this way but was
// not the one last synced starts with a fresh sync state, so its next sync backfills it in full.
// Keys live outside the cache (secrets.json / the environment): the workspace finds a key stored
// under the bare account id and moves it to its new id on first use (Workspace.stripeKeyFor).

interface AccountRow {
  id: string;
  name: string;
  livemode: number;
  added_at_ms: number;
}

/** How to find the customer a row belongs to, per table (snapshot tables `m007_sub`/`m007_inv`). */
function customerExpression(table: string, columns: string[]): string {
  if (table === 'customers') return 'id';
  if (table === 'subscription_items') return '(SELECT customer_id FROM m007_sub s WHERE s.id = subscription_id)';
  if (table === 'payment_attempts') return 'coalesce(customer_id, (SELECT customer_id FROM m007_inv i WHERE i.id = invoice_id))';
  if (table === 'audit_log') return "CASE WHEN target_type = 'customer' THEN target_id END";
  if (columns.includes('customer_id')) return 'customer_id';
  return 'NULL';
}

function tablesKeyedByAccount(db: Database.Database): Array<{ name: string; customer: string }> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'accounts'").all() as Array<{ name: string }>;
  return tables.flatMap(({ name }) => {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>).map((c) => c.name);
    return columns.includes('account_id') ? [{ name, customer: customerExpression(name, columns) }] : [];
  });
}

function splitAccount(db: Database.Database, account: AccountRow, tables: Array<{ name: string; customer: string }>): void {
  const testId = account.id;
  const liveId = workspaceIdFor(account.id, true);
  const lastKeyLive = account.livemode === 1;
  db.exec('DELETE FROM m007_live; DELETE FROM m007_test; DELETE FROM m007_sub; DELETE FROM m007_inv;');
  db.prepare('INSERT INTO m007_live SELECT id FROM customers WHERE account_id = ? AND livemode = 1').run(testId);
  db.prepare('INSERT INTO m007_test SELECT id FROM customers WHERE account_id = ? AND livemode = 0').run(testId);
  db.prepare('INSERT INTO m007_sub SELECT id, customer_id FROM subscriptions WHERE account_id = ?').run(testId);
  db.prepare('INSERT INTO m007_inv SELECT id, customer_id FROM invoices WHERE account_id = ?').run(testId);
  const liveCustomers = (db.prepare('SELECT COUNT(*) AS n FROM m007_live').get() as { n: number }).n;
  const testCustomers = (db.prepare('SELECT COUNT(*) AS n FROM m007_test').get() as { n: number }).n;
  if (!lastKeyLive && liveCustomers === 0) return; // a test-only account: nothing moves

  db.prepare('INSERT INTO accounts (id, name, livemode, is_demo, added_at_ms, stripe_account_id) VALUES (?, ?, 1, 0, ?, ?)').run(liveId, account.name, account.added_at_ms, account.id);
  for (const t of tables) {
    db.prepare(
      `UPDATE "${t.name}" SET account_id = @liveId WHERE account_id = @testId AND
         (CASE WHEN ${t.customer} IN (SELECT id FROM m007_live) THEN 1 WHEN ${t.customer} IN (SELECT id FROM m007_test) THEN 0 ELSE @lastKeyLive END) = 1`,
    ).run({ liveId, testId, lastKeyLive: lastKeyLive ? 1 : 0 });
  }
  db.prepare('INSERT OR IGNORE INTO sync_state (account_id) VALUES (?)').run(liveId);
  if (lastKeyLive && testCustomers === 0) {
    db.prepare('DELETE FROM accounts WHERE id = ?').run(testId);
  } else {
    db.prepare('UPDATE accounts SET livemode = 0 WHERE id = ?').run(testId);
    db.prepare('INSERT OR IGNORE INTO sync_state (account_id) VALUES (?)').run(testId);
  }
  if (lastKeyLive) moveSettings(db, testId, liveId);
}

/** Settings that named the account (the chosen account, per-account portal settings) follow the live rows. */
function moveSettings(db: Database.Database, testId: string, liveId: string): void {
  db.prepare("UPDATE settings SET value_json = ? WHERE key = 'active_account' AND value_json = ?").run(JSON.stringify(liveId), JSON.stringify(testId));
  const suffix = `:${testId}`;
  const keyed = db.prepare('SELECT key FROM settings WHERE substr(key, -length(?)) = ?').all(suffix, suffix) as Array<{ key: string }>;
  for (const { key } of keyed) db.prepare('UPDATE OR REPLACE settings SET key = ? WHERE key = ?').run(`${key.slice(0, -suffix.length)}:${liveId}`, key);
  // The environment key's remembered account (CLI, harness): a live key's entry names the live workspace.
  const remembered = db.prepare("SELECT key, value_json FROM settings WHERE key LIKE 'env_account:live:%'").all() as Array<{ key: string; value_json: string }>;
  for (const r of remembered) {
    try {
      const value = JSON.parse(r.value_json) as { id?: string } | null;
      if (value?.id === testId) db.prepare('UPDATE settings SET value_json = ? WHERE key = ?').run(JSON.stringify({ ...value, id: liveId, stripeAccountId: testId }), r.key);
    } catch {
      // an unreadable remembered account is only a cache of the account lookup: the next start redoes it
    }
  }
}

export const migration007: Migration = {
  version: 7,
  name: 'accounts keyed by (Stripe account, mode): test and live workspaces side by side',
  up: (db) => {
    db.exec(`
      ALTER TABLE accounts ADD COLUMN stripe_account_id TEXT;
      UPDATE accounts SET stripe_account_id = id;
      CREATE TEMP TABLE m007_live (id TEXT PRIMARY KEY);
      CREATE TEMP TABLE m007_test (id TEXT PRIMARY KEY);
      CREATE TEMP TABLE m007_sub (id TEXT PRIMARY KEY, customer_id TEXT);
      CREATE TEMP TABLE m007_inv (id TEXT PRIMARY KEY, customer_id TEXT);
    `);
    // Rows move between account ids one table at a time; the references are checked at commit.
    db.pragma('defer_foreign_keys = ON');
    const tables = tablesKeyedByAccount(db);
    const accounts = db.prepare("SELECT id, name, livemode, added_at_ms FROM accounts WHERE is_demo = 0 AND id NOT LIKE '%:live'").all() as AccountRow[];
    for (const a of accounts) splitAccount(db, a, tables);
    db.exec(`
      DROP TABLE m007_live; DROP TABLE m007_test; DROP TABLE m007_sub; DROP TABLE m007_inv;
      CREATE UNIQUE INDEX accounts_stripe_mode ON accounts(stripe_account_id, livemode);
    `);
  },
};
