import type pg from 'pg';
import '../pg-types';
import type { Tx } from '../db';
import type { PortalFlow, PortalLinkRecord, PortalSettings } from '../../../shared/contract/portal';

// Portal links made through the team server and the team's portal settings (return URL, default
// configuration) per account. Customer names come from the newest Stripe customer in the feed
// (feed_latest), which the mirror keeps current.

type Row = Record<string, unknown>;

const SELECT = `SELECT l.*, c.data->>'name' AS customer_name, c.data->>'email' AS customer_email
  FROM portal_links l LEFT JOIN feed_latest c ON c.account_id = l.account_id AND c.entity = 'stripe.customer' AND c.entity_id = l.customer_id AND c.op = 'upsert'`;

export function toPortalLinkRecord(r: Row): PortalLinkRecord {
  return {
    id: r.id as number,
    flow: r.flow as PortalFlow,
    url: (r.url as string | null) ?? '',
    subscriptionId: (r.subscription_id as string | null) ?? null,
    simulated: r.result === 'simulated',
    createdBy: r.actor as string,
    createdAt: r.created_at_ms as number,
    customerId: r.customer_id as string,
    customerName: (r.customer_name as string | null) ?? null,
    customerEmail: (r.customer_email as string | null) ?? null,
    sessionId: (r.session_id as string | null) ?? null,
    returnUrl: (r.return_url as string | null) ?? null,
    configurationId: (r.configuration_id as string | null) ?? null,
    recoversAfterExpiry: Boolean(r.recovers_after_expiry),
  };
}

export const portalLinks = {
  async byIdempotencyKey(q: pg.Pool | Tx, accountId: string, key: string): Promise<PortalLinkRecord | null> {
    const { rows } = await q.query(`${SELECT} WHERE l.account_id = $1 AND l.idempotency_key = $2`, [accountId, key]);
    return rows[0] ? toPortalLinkRecord(rows[0]) : null;
  },

  /** Inserts the link; null when a concurrent call with the same key already did. */
  async insert(
    tx: Tx,
    l: { accountId: string; customerId: string; subscriptionId: string | null; flow: PortalFlow; sessionId: string; url: string; returnUrl: string; configurationId: string | null; idempotencyKey: string; agentId: string; actor: string; atMs: number; recoversAfterExpiry: boolean },
  ): Promise<PortalLinkRecord | null> {
    const { rows } = await tx.query(
      `INSERT INTO portal_links (account_id, customer_id, subscription_id, flow, session_id, idempotency_key, agent_id, actor, result, created_at_ms, url, return_url, configuration_id, recovers_after_expiry)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'ok', $9, $10, $11, $12, $13) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [l.accountId, l.customerId, l.subscriptionId, l.flow, l.sessionId, l.idempotencyKey, l.agentId, l.actor, l.atMs, l.url, l.returnUrl, l.configurationId, l.recoversAfterExpiry],
    );
    if (!rows[0]) return null;
    return portalLinks.byIdempotencyKey(tx, l.accountId, l.idempotencyKey);
  },

  /** The newest Stripe customer object the mirror announced, or 'deleted', or null when never seen. */
  async customer(q: pg.Pool | Tx, accountId: string, customerId: string): Promise<'deleted' | { id: string } | null> {
    const { rows } = await q.query("SELECT op FROM feed_latest WHERE account_id = $1 AND entity = 'stripe.customer' AND entity_id = $2", [accountId, customerId]);
    if (!rows[0]) return null;
    return rows[0].op === 'delete' ? 'deleted' : { id: customerId };
  },
};

const settingKey = (accountId: string) => `portal:${accountId}`;

export const portalSettingsStore = {
  async get(q: pg.Pool | Tx, accountId: string): Promise<PortalSettings> {
    const { rows } = await q.query<{ value: { returnUrl?: string | null; defaultConfigurationId?: string | null } | null }>('SELECT value FROM team_settings WHERE key = $1', [settingKey(accountId)]);
    const v = rows[0]?.value ?? {};
    return { accountId, returnUrl: v.returnUrl ?? null, defaultConfigurationId: v.defaultConfigurationId ?? null };
  },

  async set(tx: Tx, s: PortalSettings): Promise<PortalSettings> {
    await tx.query(
      `INSERT INTO team_settings (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [settingKey(s.accountId), JSON.stringify({ returnUrl: s.returnUrl, defaultConfigurationId: s.defaultConfigurationId })],
    );
    return s;
  },
};
