import type Database from 'better-sqlite3';
import type { CustomerListRow } from '../../../shared/contract/customers';

/** One page of the customer list, newest first (index customers_list: no sort of the whole table). */
export function listCustomers(db: Database.Database, accountId: string, offset: number, limit: number): { rows: CustomerListRow[]; total: number } {
  const rows = db
    .prepare(
      `SELECT id, name, email, delinquent, created FROM customers
       WHERE account_id = ? AND deleted = 0 ORDER BY created DESC, id DESC LIMIT ? OFFSET ?`,
    )
    .all(accountId, limit, offset) as Array<{ id: string; name: string | null; email: string | null; delinquent: number; created: number }>;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND deleted = 0`).get(accountId) as { n: number }).n;
  return { rows: rows.map((r) => ({ id: r.id, name: r.name, email: r.email, delinquent: r.delinquent === 1, created: r.created })), total };
}
