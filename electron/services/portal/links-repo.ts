import type Database from 'better-sqlite3';
import type { PortalLinkView } from '../../../shared/contract/customers';
import type { PortalFlow, PortalLinkRecord } from '../../../shared/contract/portal';

export interface NewPortalLink {
  accountId: string;
  customerId: string;
  subscriptionId: string | null;
  flow: PortalFlow;
  sessionId: string | null;
  url: string;
  returnUrl: string | null;
  configurationId: string | null;
  simulated: boolean;
  createdBy: string;
  createdAtMs: number;
  idempotencyKey: string | null;
  recoversAfterExpiry: boolean;
}

interface LinkRow {
  id: number;
  customer_id: string;
  subscription_id: string | null;
  flow: string;
  session_id: string | null;
  url: string;
  return_url: string | null;
  configuration_id: string | null;
  simulated: number;
  created_by: string;
  created_at_ms: number;
  recovers_after_expiry: number;
  customer_name: string | null;
  customer_email: string | null;
}

const SELECT = `
  SELECT l.id, l.customer_id, l.subscription_id, l.flow, l.session_id, l.url, l.return_url, l.configuration_id,
         l.simulated, l.created_by, l.created_at_ms, l.recovers_after_expiry, c.name AS customer_name, c.email AS customer_email
  FROM portal_links l
  LEFT JOIN customers c ON c.account_id = l.account_id AND c.id = l.customer_id`;

function toRecord(r: LinkRow): PortalLinkRecord {
  return {
    id: r.id,
    flow: r.flow as PortalFlow,
    url: r.url,
    subscriptionId: r.subscription_id,
    simulated: r.simulated === 1,
    createdBy: r.created_by,
    createdAt: r.created_at_ms,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerEmail: r.customer_email,
    sessionId: r.session_id,
    returnUrl: r.return_url,
    configurationId: r.configuration_id,
    recoversAfterExpiry: r.recovers_after_expiry === 1,
  };
}

export function insertPortalLink(db: Database.Database, link: NewPortalLink): PortalLinkRecord {
  const result = db
    .prepare(
      `INSERT INTO portal_links (account_id, customer_id, subscription_id, flow, session_id, url, return_url, configuration_id, simulated, created_by, created_at_ms, idempotency_key, recovers_after_expiry)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      link.accountId,
      link.customerId,
      link.subscriptionId,
      link.flow,
      link.sessionId,
      link.url,
      link.returnUrl,
      link.configurationId,
      link.simulated ? 1 : 0,
      link.createdBy,
      link.createdAtMs,
      link.idempotencyKey,
      link.recoversAfterExpiry ? 1 : 0,
    );
  return getPortalLink(db, link.accountId, Number(result.lastInsertRowid))!;
}

export function getPortalLink(db: Database.Database, accountId: string, id: number): PortalLinkRecord | null {
  const row = db.prepare(`${SELECT} WHERE l.account_id = ? AND l.id = ?`).get(accountId, id) as LinkRow | undefined;
  return row ? toRecord(row) : null;
}

export function findPortalLinkByIdempotencyKey(db: Database.Database, accountId: string, key: string): PortalLinkRecord | null {
  const row = db.prepare(`${SELECT} WHERE l.account_id = ? AND l.idempotency_key = ?`).get(accountId, key) as LinkRow | undefined;
  return row ? toRecord(row) : null;
}

/** Newest first: one customer's links, or the most recent across the account. */
export function listPortalLinks(db: Database.Database, accountId: string, opts: { customerId?: string; limit: number }): PortalLinkRecord[] {
  const rows = opts.customerId
    ? (db.prepare(`${SELECT} WHERE l.account_id = ? AND l.customer_id = ? ORDER BY l.created_at_ms DESC, l.id DESC LIMIT ?`).all(accountId, opts.customerId, opts.limit) as LinkRow[])
    : (db.prepare(`${SELECT} WHERE l.account_id = ? ORDER BY l.created_at_ms DESC, l.id DESC LIMIT ?`).all(accountId, opts.limit) as LinkRow[]);
  return rows.map(toRecord);
}

/** The customer-360 projection (Customer360.portalLinks), for the customers feature. */
export function portalLinksForCustomer(db: Database.Database, accountId: string, customerId: string, limit = 20): PortalLinkView[] {
  return listPortalLinks(db, accountId, { customerId, limit }).map((r) => ({
    id: r.id,
    flow: r.flow,
    url: r.url,
    subscriptionId: r.subscriptionId,
    simulated: r.simulated,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  }));
}
