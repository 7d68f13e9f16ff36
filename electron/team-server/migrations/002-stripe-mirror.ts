import type { TeamMigration } from './types';

// The team server's copy of each Stripe account and its sync's memory:
// - stripe_accounts: the accounts the server syncs, by the desk's workspace id (acct_… for test
//   mode, acct_…:live for live mode: two separate sets of data); keys only as AES-GCM ciphertext.
// - stripe_objects: every API object the product reads, as Stripe sent it (jsonb), keyed by id,
//   with the version it holds (source_ts, the ordering guard) and whether Stripe deleted it (a
//   tombstone: the row stays so an older copy can never bring it back). parent_id files an
//   invoice payment under its invoice.
// - stripe_sync_state: the backfill checkpoint, the events cursor, and the sync writer's fencing
//   epoch (a new writer bumps it; a writer that lost the lease cannot commit after that).
// - stripe_applied_events: event ids already applied (dedupe across webhooks and the poll).
// - stripe_webhook_inbox: verified webhook deliveries not applied yet (answered 2xx at once; the
//   account's sync writer applies them in causal order).
export const m002StripeMirror: TeamMigration = {
  version: 2,
  name: 'stripe mirror: accounts, objects, sync state, applied events, webhook inbox',
  async up(db) {
    await db.query(`
      CREATE TABLE stripe_accounts (
        id text PRIMARY KEY CHECK (id ~ '^acct_[A-Za-z0-9]+(:live)?$' OR id = 'demo'),
        name text NOT NULL DEFAULT '',
        livemode boolean NOT NULL DEFAULT false,
        is_demo boolean NOT NULL DEFAULT false,
        api_base text,
        secret_key_ciphertext text,
        webhook_secret_ciphertext text,
        added_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE stripe_objects (
        account_id text NOT NULL REFERENCES stripe_accounts (id) ON DELETE CASCADE,
        id text NOT NULL,
        type text NOT NULL CHECK (type IN ('customer', 'subscription', 'invoice', 'payment_method', 'invoice_payment', 'product')),
        parent_id text,
        data jsonb,
        source_ts bigint NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX stripe_objects_live ON stripe_objects (account_id, type, id) WHERE NOT deleted;
      CREATE INDEX stripe_objects_parent ON stripe_objects (account_id, parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE stripe_sync_state (
        account_id text PRIMARY KEY REFERENCES stripe_accounts (id) ON DELETE CASCADE,
        backfill jsonb NOT NULL DEFAULT '{}',
        backfill_complete boolean NOT NULL DEFAULT false,
        events_cursor text,
        events_cursor_created bigint,
        last_synced_at_ms bigint,
        last_error text,
        writer_epoch bigint NOT NULL DEFAULT 0,
        writer_instance text,
        writer_since timestamptz
      );

      CREATE TABLE stripe_applied_events (
        account_id text NOT NULL REFERENCES stripe_accounts (id) ON DELETE CASCADE,
        event_id text NOT NULL,
        type text NOT NULL,
        created bigint NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, event_id)
      );
      CREATE INDEX stripe_applied_events_created ON stripe_applied_events (account_id, created);

      CREATE TABLE stripe_webhook_inbox (
        account_id text NOT NULL REFERENCES stripe_accounts (id) ON DELETE CASCADE,
        event_id text NOT NULL,
        type text NOT NULL,
        created bigint NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (account_id, event_id)
      );
      CREATE INDEX stripe_webhook_inbox_order ON stripe_webhook_inbox (account_id, created, event_id);
    `);
  },
};
