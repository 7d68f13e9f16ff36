import type Database from 'better-sqlite3';
import type { SearchHit, SearchMatchKind } from '../../../shared/contract/customers';
import { prepared } from '../db/statements';

// What a result row shows besides name and email, so that customers sharing one email can be told
// apart at a glance: subscription states, the card on file, how many share the address.

interface HitInput {
  found: { kind: SearchMatchKind; matched: string };
  row: { id: string; name: string | null; email: string | null; phone: string | null; created: number; delinquent: number; default_payment_method_id: string | null };
}

/** Worst first: the state an agent must notice leads the summary. */
const STATUS_ORDER = ['past_due', 'unpaid', 'incomplete', 'trialing', 'active', 'paused', 'incomplete_expired', 'canceled'];

export function summarizeSubscriptions(counts: ReadonlyArray<{ status: string; n: number }>): string | null {
  if (counts.length === 0) return null;
  const rank = (s: string) => (STATUS_ORDER.indexOf(s) === -1 ? STATUS_ORDER.length : STATUS_ORDER.indexOf(s));
  return [...counts]
    .sort((a, b) => rank(a.status) - rank(b.status))
    .map((c) => (c.n === 1 ? c.status : `${c.n} ${c.status}`))
    .join(' · ');
}

export function enrichHits(db: Database.Database, accountId: string, items: HitInput[]): SearchHit[] {
  if (items.length === 0) return [];
  const ids = JSON.stringify(items.map((i) => i.row.id));
  const subRows = prepared(
    db,
    `SELECT s.customer_id, s.status, COUNT(*) AS n FROM json_each(?) j CROSS JOIN subscriptions s ON s.account_id = ? AND s.customer_id = j.value
     GROUP BY s.customer_id, s.status`,
  ).all(ids, accountId) as Array<{ customer_id: string; status: string; n: number }>;
  const cards = prepared(
    db,
    // (+p.card_last4: keeps the planner on the customer index, not the last4 one.)
    `SELECT p.customer_id, p.id, p.card_brand, p.card_last4, p.created FROM json_each(?) j CROSS JOIN payment_methods p ON p.account_id = ? AND p.customer_id = j.value
     WHERE +p.card_last4 IS NOT NULL ORDER BY p.created DESC`,
  ).all(ids, accountId) as Array<{ customer_id: string; id: string; card_brand: string | null; card_last4: string; created: number }>;
  const emailCount = prepared(db, `SELECT COUNT(*) AS n FROM customers WHERE account_id = ? AND email = ? COLLATE NOCASE AND deleted = 0`);
  const sameEmail = new Map<string, number>();

  return items.map(({ found, row }) => {
    const subs = subRows.filter((s) => s.customer_id === row.id);
    const own = cards.filter((c) => c.customer_id === row.id);
    const card = own.find((c) => c.id === row.default_payment_method_id) ?? own[0] ?? null;
    let shared = 1;
    if (row.email) {
      const key = row.email.toLowerCase();
      if (!sameEmail.has(key)) sameEmail.set(key, (emailCount.get(accountId, row.email) as { n: number }).n);
      shared = sameEmail.get(key)!;
    }
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      matched: found.matched,
      matchKind: found.kind,
      delinquent: row.delinquent === 1,
      created: row.created,
      phone: row.phone,
      subscriptionSummary: summarizeSubscriptions(subs),
      cardBrand: card?.card_brand ?? null,
      cardLast4: card?.card_last4 ?? null,
      sameEmailCount: Math.max(1, shared),
    };
  });
}
