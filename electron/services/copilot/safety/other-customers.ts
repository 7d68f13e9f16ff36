import type Database from 'better-sqlite3';

// The output guard's one look at other customers: is this capitalised phrase the name of another
// customer of this account? It runs locally against the customer-search index (falling back to the
// table), so a model that makes up or was fed another customer's name cannot pass it to the agent.
// Nothing about other customers is ever sent to the model.

export function otherCustomerNameCheck(db: Database.Database, accountId: string, customerId: string): (phrase: string) => boolean {
  const cache = new Map<string, boolean>();
  let viaIndex: Database.Statement | null = null;
  try {
    viaIndex = db.prepare(
      `SELECT 1 FROM customer_search s JOIN customers c ON c.rowid = s.rowid
       WHERE customer_search MATCH ? AND c.account_id = ? AND c.id <> ? AND c.deleted = 0 AND lower(c.name) = lower(?) LIMIT 1`,
    );
  } catch {
    viaIndex = null;
  }
  const viaTable = db.prepare('SELECT 1 FROM customers WHERE account_id = ? AND id <> ? AND deleted = 0 AND name = ? COLLATE NOCASE LIMIT 1');
  return (phrase) => {
    const p = phrase.trim().replace(/\s+/g, ' ');
    if (p.length < 3 || p.length > 120) return false;
    const known = cache.get(p.toLowerCase());
    if (known !== undefined) return known;
    let hit = false;
    try {
      hit = viaIndex ? Boolean(viaIndex.get(`name : "${p.replace(/"/g, '')}"`, accountId, customerId, p)) : Boolean(viaTable.get(accountId, customerId, p));
    } catch {
      hit = Boolean(viaTable.get(accountId, customerId, p));
    }
    cache.set(p.toLowerCase(), hit);
    return hit;
  };
}
