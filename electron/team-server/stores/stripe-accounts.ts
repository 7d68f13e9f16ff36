import type pg from 'pg';
import type { SecretBox } from '../secret-box';

// The Stripe accounts the team server syncs (migration 002). Keys are stored only sealed with
// BSC_TEAM_SECRET (secret-box.ts); they are opened in memory when a client or the webhook check
// needs them and never returned by any read of this store.

export interface StripeAccountRow {
  id: string;
  name: string;
  livemode: boolean;
  isDemo: boolean;
  apiBase: string | null;
  hasSecretKey: boolean;
  hasWebhookSecret: boolean;
}

export interface AccountKeys {
  secretKey: string | null;
  webhookSecret: string | null;
}

export class PgStripeAccounts {
  constructor(
    private readonly pool: pg.Pool,
    private readonly box: SecretBox | null,
  ) {}

  private seal(value: string | undefined): string | null {
    if (!value) return null;
    if (!this.box) throw new Error('BSC_TEAM_SECRET is not set: the team server stores Stripe keys only encrypted with it. Set it (at least 16 characters) and start again.');
    return this.box.seal(value);
  }

  /** Adds the account or updates it; a key not given keeps the stored one. */
  async upsert(a: { id: string; name: string; livemode: boolean; isDemo?: boolean; apiBase?: string | null; secretKey?: string; webhookSecret?: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO stripe_accounts (id, name, livemode, is_demo, api_base, secret_key_ciphertext, webhook_secret_ciphertext)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, livemode = excluded.livemode, api_base = excluded.api_base,
         secret_key_ciphertext = COALESCE(excluded.secret_key_ciphertext, stripe_accounts.secret_key_ciphertext),
         webhook_secret_ciphertext = COALESCE(excluded.webhook_secret_ciphertext, stripe_accounts.webhook_secret_ciphertext),
         updated_at = now()`,
      [a.id, a.name, a.livemode, a.isDemo ?? false, a.apiBase ?? null, this.seal(a.secretKey), this.seal(a.webhookSecret)],
    );
    await this.pool.query('INSERT INTO stripe_sync_state (account_id) VALUES ($1) ON CONFLICT DO NOTHING', [a.id]);
  }

  /** Forgets the account's secret key (its mirror and webhook secret stay); false when it had none. */
  async clearSecretKey(accountId: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE stripe_accounts SET secret_key_ciphertext = NULL, updated_at = now() WHERE id = $1 AND secret_key_ciphertext IS NOT NULL', [accountId]);
    return (r.rowCount ?? 0) > 0;
  }

  async list(): Promise<StripeAccountRow[]> {
    const { rows } = await this.pool.query<{ id: string; name: string; livemode: boolean; is_demo: boolean; api_base: string | null; k: boolean; w: boolean }>(
      'SELECT id, name, livemode, is_demo, api_base, secret_key_ciphertext IS NOT NULL AS k, webhook_secret_ciphertext IS NOT NULL AS w FROM stripe_accounts ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, name: r.name, livemode: r.livemode, isDemo: r.is_demo, apiBase: r.api_base, hasSecretKey: r.k, hasWebhookSecret: r.w }));
  }

  /** The account's keys, opened (in memory only). */
  async keys(accountId: string): Promise<AccountKeys> {
    const { rows } = await this.pool.query<{ k: string | null; w: string | null }>('SELECT secret_key_ciphertext AS k, webhook_secret_ciphertext AS w FROM stripe_accounts WHERE id = $1', [accountId]);
    const r = rows[0];
    if (!r || (!r.k && !r.w)) return { secretKey: null, webhookSecret: null };
    if (!this.box) throw new Error('BSC_TEAM_SECRET is not set: the stored Stripe keys cannot be opened without it.');
    return { secretKey: r.k ? this.box.open(r.k) : null, webhookSecret: r.w ? this.box.open(r.w) : null };
  }

  /** backfill_complete per account (healthz). */
  async backfillComplete(): Promise<Map<string, boolean>> {
    const { rows } = await this.pool.query<{ account_id: string; backfill_complete: boolean }>('SELECT account_id, backfill_complete FROM stripe_sync_state');
    return new Map(rows.map((r) => [r.account_id, r.backfill_complete]));
  }
}
