import type { Tx } from '../db';

// Reads of the Stripe mirror inside a write transaction (after a flush they see the new
// versions): what the server's dunning derivation needs about the invoices a write touched.

type ObjectData = Record<string, unknown>;

/** Live objects by id (any type), for reads inside a write transaction (after `flush`, it sees the new versions). */
export async function liveObjects(tx: Pick<Tx, 'query'>, accountId: string, ids: Iterable<string>): Promise<Map<string, ObjectData>> {
  const list = [...new Set(ids)];
  if (!list.length) return new Map();
  const { rows } = await tx.query<{ id: string; data: ObjectData }>('SELECT id, data FROM stripe_objects WHERE account_id = $1 AND id = ANY($2::text[]) AND NOT deleted AND data IS NOT NULL', [accountId, list]);
  return new Map(rows.map((r) => [r.id, r.data]));
}

/** The live invoice payments filed under these invoices, grouped by invoice. */
export async function livePaymentsOf(tx: Pick<Tx, 'query'>, accountId: string, invoiceIds: readonly string[]): Promise<Map<string, ObjectData[]>> {
  const { rows } = await tx.query<{ parent_id: string; data: ObjectData }>(
    "SELECT parent_id, data FROM stripe_objects WHERE account_id = $1 AND type = 'invoice_payment' AND parent_id = ANY($2::text[]) AND NOT deleted AND data IS NOT NULL ORDER BY id",
    [accountId, invoiceIds],
  );
  const out = new Map<string, ObjectData[]>();
  for (const p of rows) out.set(p.parent_id, [...(out.get(p.parent_id) ?? []), p.data]);
  return out;
}

/** Invoices a subscription change can matter to: its open invoices in the mirror. */
export async function openInvoiceIdsOfSubscriptions(tx: Pick<Tx, 'query'>, accountId: string, subscriptionIds: readonly string[]): Promise<string[]> {
  if (!subscriptionIds.length) return [];
  const { rows } = await tx.query<{ id: string }>(
    "SELECT id FROM stripe_objects WHERE account_id = $1 AND type = 'invoice' AND NOT deleted AND data->>'status' = 'open' AND data #>> '{parent,subscription_details,subscription}' = ANY($2::text[])",
    [accountId, subscriptionIds],
  );
  return rows.map((r) => r.id);
}

/** Which of these subscriptions have an open invoice in the mirror (a subscription-only case needs none). */
export async function subscriptionsWithOpenInvoices(tx: Pick<Tx, 'query'>, accountId: string, subscriptionIds: readonly string[]): Promise<Set<string>> {
  if (!subscriptionIds.length) return new Set();
  const { rows } = await tx.query<{ sub: string }>(
    "SELECT DISTINCT data #>> '{parent,subscription_details,subscription}' AS sub FROM stripe_objects WHERE account_id = $1 AND type = 'invoice' AND NOT deleted AND data->>'status' = 'open' AND data #>> '{parent,subscription_details,subscription}' = ANY($2::text[])",
    [accountId, subscriptionIds],
  );
  return new Set(rows.map((r) => r.sub));
}
