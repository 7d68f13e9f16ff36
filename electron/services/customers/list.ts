import type Database from 'better-sqlite3';
import type { CustomerListRow } from '../../../shared/contract/customers';

/**
 * One page of the customer list, newest first. "deleted IS 0" (not "= 0") is what lets SQLite use
 * the partial index customers_list (migration 002) instead of sorting the whole table.
 */
export function listCustomers(db: Database.Database, accountId: string, offset: number, limit: number): { rows: CustomerListRow[]; total: number } {
  const rows = db
    .prepare(
      `SELECT id, name, email, delinquent, created FROM customers
       WHERE account_id = ? AND deleted IS 0 ORDER BY created DESC, id DESC LIMIT ? OFFSET ?`,
    )
    .all(accountId, limit, offset) as Array<{ id: string; name: string | null; email: string | null; delinquent: number; created: number }>;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted IS 0`).get(accountId) as { n: number }).n;
  return { rows: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, delinquent: r.delinquent === 1, created: r.created })), total };
}
