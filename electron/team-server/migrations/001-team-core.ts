import type { TeamMigration } from './types';

// The team's own state: agents and their token hashes, the change feed (an outbox whose sequence
// number is taken in the same transaction as the change), what people decide about dunning cases
// (stage, assignee, history, notes), the portal-link log, the audit log, saved views, team
// settings (secrets only as ciphertext), model usage per agent, and the knowledge base with plain
// full-text search (vector search, where pgvector exists, comes in a later migration).
export const m001TeamCore: TeamMigration = {
  version: 1,
  name: 'team core: agents, change feed, team state, knowledge base',
  async up(db) {
    await db.query(`
      CREATE TABLE agents (
        id text PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        role text NOT NULL CHECK (role IN ('agent', 'lead', 'admin')),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      -- Assignment and authorship name agents: two active agents may not share a name.
      CREATE UNIQUE INDEX agents_active_name ON agents (lower(name)) WHERE revoked_at IS NULL;

      CREATE SEQUENCE feed_seq AS bigint;
      CREATE TABLE feed_entries (
        seq bigint PRIMARY KEY,
        account_id text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        op text NOT NULL CHECK (op IN ('upsert', 'delete')),
        data jsonb,
        committed_at timestamptz NOT NULL DEFAULT now()
      );
      -- The newest entry of every entity: what a snapshot streams, and what survives pruning.
      CREATE TABLE feed_latest (
        account_id text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        seq bigint NOT NULL,
        op text NOT NULL CHECK (op IN ('upsert', 'delete')),
        data jsonb,
        PRIMARY KEY (account_id, entity, entity_id)
      );
      CREATE INDEX feed_latest_seq ON feed_latest (seq);
      CREATE TABLE feed_horizon (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        pruned_through bigint NOT NULL DEFAULT 0
      );
      INSERT INTO feed_horizon DEFAULT VALUES;

      CREATE TABLE dunning_cases (
        id bigserial PRIMARY KEY,
        account_id text NOT NULL,
        customer_id text NOT NULL,
        invoice_id text,
        subscription_id text,
        stage text NOT NULL DEFAULT 'new' CHECK (stage IN ('new', 'contacted', 'awaiting_customer', 'recovered', 'lost')),
        assignee_agent_id text REFERENCES agents (id),
        assignee text,
        amount_at_risk bigint NOT NULL DEFAULT 0,
        currency text NOT NULL,
        failure_mark integer NOT NULL DEFAULT 0,
        decline_code text,
        category text NOT NULL DEFAULT 'unknown',
        opened_at bigint NOT NULL,
        stage_changed_at bigint NOT NULL,
        closed_at bigint,
        closed_reason text
      );
      CREATE INDEX dunning_cases_account ON dunning_cases (account_id, stage);
      CREATE INDEX dunning_cases_invoice ON dunning_cases (account_id, invoice_id);

      CREATE TABLE dunning_history (
        id bigserial PRIMARY KEY,
        case_id bigint NOT NULL REFERENCES dunning_cases (id) ON DELETE CASCADE,
        at_ms bigint NOT NULL,
        actor_agent_id text REFERENCES agents (id),
        actor text NOT NULL,
        kind text NOT NULL,
        from_stage text,
        to_stage text,
        detail text
      );
      CREATE INDEX dunning_history_case ON dunning_history (case_id, at_ms);

      CREATE TABLE team_notes (
        id bigserial PRIMARY KEY,
        account_id text NOT NULL,
        customer_id text NOT NULL,
        dunning_case_id bigint REFERENCES dunning_cases (id) ON DELETE SET NULL,
        body text NOT NULL,
        author_agent_id text REFERENCES agents (id),
        author text NOT NULL,
        created_at_ms bigint NOT NULL,
        updated_at_ms bigint NOT NULL
      );
      CREATE INDEX team_notes_customer ON team_notes (account_id, customer_id, created_at_ms DESC);

      CREATE TABLE portal_links (
        id bigserial PRIMARY KEY,
        account_id text NOT NULL,
        customer_id text NOT NULL,
        subscription_id text,
        flow text NOT NULL,
        session_id text,
        idempotency_key text NOT NULL UNIQUE,
        agent_id text REFERENCES agents (id),
        actor text NOT NULL,
        result text NOT NULL CHECK (result IN ('ok', 'error', 'simulated')),
        error_message text,
        created_at_ms bigint NOT NULL
      );
      CREATE INDEX portal_links_customer ON portal_links (account_id, customer_id, created_at_ms DESC);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        account_id text,
        at_ms bigint NOT NULL,
        agent_id text REFERENCES agents (id),
        actor text NOT NULL,
        action text NOT NULL,
        target_type text,
        target_id text,
        params jsonb NOT NULL DEFAULT '{}',
        result text NOT NULL CHECK (result IN ('ok', 'error', 'refused')),
        error_message text
      );
      CREATE INDEX audit_log_account ON audit_log (account_id, at_ms DESC);

      CREATE TABLE saved_views (
        id bigserial PRIMARY KEY,
        account_id text NOT NULL,
        name text NOT NULL,
        filters jsonb NOT NULL,
        sort jsonb NOT NULL,
        created_by_agent_id text REFERENCES agents (id),
        created_by text NOT NULL,
        updated_at_ms bigint NOT NULL
      );
      CREATE UNIQUE INDEX saved_views_name ON saved_views (account_id, lower(name));

      -- Settings of the team (model base URL and name, ...); secrets only as AES-GCM ciphertext.
      CREATE TABLE team_settings (
        key text PRIMARY KEY,
        value jsonb,
        secret_ciphertext text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE model_usage (
        id bigserial PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents (id),
        at timestamptz NOT NULL DEFAULT now(),
        endpoint text NOT NULL,
        model text,
        status integer NOT NULL,
        prompt_tokens integer,
        completion_tokens integer,
        total_tokens integer
      );
      CREATE INDEX model_usage_agent ON model_usage (agent_id, at);

      CREATE TABLE kb_documents (
        id bigserial PRIMARY KEY,
        ref text NOT NULL UNIQUE,
        title text NOT NULL,
        source text NOT NULL,
        content_hash text NOT NULL,
        updated_at_ms bigint NOT NULL
      );
      CREATE TABLE kb_chunks (
        id bigserial PRIMARY KEY,
        document_id bigint NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
        ord integer NOT NULL,
        heading text,
        body text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(heading, '') || ' ' || body)) STORED,
        UNIQUE (document_id, ord)
      );
      CREATE INDEX kb_chunks_tsv ON kb_chunks USING gin (tsv);
    `);
  },
};
