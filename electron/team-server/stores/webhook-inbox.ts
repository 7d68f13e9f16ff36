import type pg from 'pg';
import type Stripe from 'stripe';
import type { WebhookInbox } from '../webhooks/receive';

// Verified webhook deliveries waiting for the account's sync writer (migration 002's
// stripe_webhook_inbox). Any instance may receive; the NOTIFY wakes the writer wherever it runs.
// A delivery of an event already applied (by the poll, or an earlier delivery) is a duplicate.

export const WEBHOOK_CHANNEL = 'bsc_webhook';

export class PgWebhookInbox implements WebhookInbox {
  constructor(private readonly pool: pg.Pool) {}

  async record(accountId: string, event: Stripe.Event): Promise<'queued' | 'duplicate'> {
    const { rows } = await this.pool.query<{ queued: boolean }>(
      `WITH ins AS (
         INSERT INTO stripe_webhook_inbox (account_id, event_id, type, created, payload)
         SELECT $1, $2, $3, $4, $5::jsonb
         WHERE NOT EXISTS (SELECT 1 FROM stripe_applied_events WHERE account_id = $1 AND event_id = $2)
         ON CONFLICT DO NOTHING
         RETURNING 1
       ), woke AS (
         SELECT pg_notify($6, $1) FROM ins
       )
       SELECT EXISTS (SELECT 1 FROM ins) AS queued, (SELECT count(*) FROM woke) AS woke`,
      [accountId, event.id, event.type, event.created, JSON.stringify(event), WEBHOOK_CHANNEL],
    );
    return rows[0].queued ? 'queued' : 'duplicate';
  }

  /** The oldest waiting deliveries (causal order: Stripe's `created`, then id). */
  async next(accountId: string, limit = 100): Promise<Stripe.Event[]> {
    const { rows } = await this.pool.query<{ payload: Stripe.Event }>('SELECT payload FROM stripe_webhook_inbox WHERE account_id = $1 ORDER BY created, event_id LIMIT $2', [accountId, limit]);
    return rows.map((r) => r.payload);
  }

  async waiting(accountId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stripe_webhook_inbox WHERE account_id = $1', [accountId]);
    return rows[0].n;
  }
}
