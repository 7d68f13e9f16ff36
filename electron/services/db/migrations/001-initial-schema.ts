import type { Migration } from './types';

// Conventions: Stripe timestamps are unix seconds (as Stripe sends them); local times (`*_at_ms`)
// are unix milliseconds. Money is an integer in the currency's minor unit beside its currency.
// Every Stripe-mirrored row is keyed by (account_id, id) so several accounts live side by side, and
// carries `source_ts`: the Stripe-side time of the version held, so an older payload never
// overwrites a newer row.
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        livemode INTEGER NOT NULL DEFAULT 0,
        is_demo INTEGER NOT NULL DEFAULT 0,
        added_at_ms INTEGER NOT NULL
      );

      CREATE TABLE customers (
        rowid INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT,
        email TEXT,
        phone TEXT,
        description TEXT,
        currency TEXT,
        balance INTEGER NOT NULL DEFAULT 0,
        delinquent INTEGER NOT NULL DEFAULT 0,
        default_payment_method_id TEXT,
        address_json TEXT,
        metadata_json TEXT NOT NULL DEFAULT '{}',
        livemode INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        source_ts INTEGER NOT NULL DEFAULT 0,
        synced_at_ms INTEGER NOT NULL,
        UNIQUE (account_id, id)
      );
      CREATE INDEX customers_email ON customers(account_id, email COLLATE NOCASE);

      CREATE TABLE subscriptions (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,
        currency TEXT NOT NULL,
        collection_method TEXT,
        cancel_at_period_end INTEGER NOT NULL DEFAULT 0,
        cancel_at INTEGER,
        canceled_at INTEGER,
        ended_at INTEGER,
        trial_start INTEGER,
        trial_end INTEGER,
        current_period_start INTEGER,
        current_period_end INTEGER,
        pause_behavior TEXT,
        pause_resumes_at INTEGER,
        default_payment_method_id TEXT,
        latest_invoice_id TEXT,
        metadata_json TEXT NOT NULL DEFAULT '{}',
        created INTEGER NOT NULL,
        source_ts INTEGER NOT NULL DEFAULT 0,
        synced_at_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX subscriptions_customer ON subscriptions(account_id, customer_id);
      CREATE INDEX subscriptions_status ON subscriptions(account_id, status);

      CREATE TABLE subscription_items (
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        subscription_id TEXT NOT NULL,
        price_id TEXT,
        product_id TEXT,
        product_name TEXT,
        price_nickname TEXT,
        unit_amount INTEGER,
        currency TEXT,
        recurring_interval TEXT,
        recurring_interval_count INTEGER,
        quantity INTEGER NOT NULL DEFAULT 1,
        current_period_start INTEGER,
        current_period_end INTEGER,
        PRIMARY KEY (account_id, id),
        FOREIGN KEY (account_id, subscription_id) REFERENCES subscriptions(account_id, id) ON DELETE CASCADE
      );
      CREATE INDEX subscription_items_subscription ON subscription_items(account_id, subscription_id);

      CREATE TABLE invoices (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        subscription_id TEXT,
        number TEXT,
        status TEXT,
        billing_reason TEXT,
        collection_method TEXT,
        currency TEXT NOT NULL,
        amount_due INTEGER NOT NULL DEFAULT 0,
        amount_paid INTEGER NOT NULL DEFAULT 0,
        amount_remaining INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        attempt_count INTEGER NOT NULL DEFAULT 0,
        attempted INTEGER NOT NULL DEFAULT 0,
        next_payment_attempt INTEGER,
        due_date INTEGER,
        period_start INTEGER,
        period_end INTEGER,
        paid_at INTEGER,
        voided_at INTEGER,
        marked_uncollectible_at INTEGER,
        hosted_invoice_url TEXT,
        description TEXT,
        lines_json TEXT NOT NULL DEFAULT '[]',
        metadata_json TEXT NOT NULL DEFAULT '{}',
        created INTEGER NOT NULL,
        source_ts INTEGER NOT NULL DEFAULT 0,
        synced_at_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX invoices_customer ON invoices(account_id, customer_id, created DESC);
      CREATE INDEX invoices_number ON invoices(account_id, number);
      CREATE INDEX invoices_status ON invoices(account_id, status);

      -- One row per payment attempt on an invoice (InvoicePayment + its PaymentIntent/Charge).
      CREATE TABLE payment_attempts (
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        invoice_id TEXT NOT NULL,
        customer_id TEXT,
        payment_intent_id TEXT,
        charge_id TEXT,
        status TEXT NOT NULL,
        amount INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL,
        decline_code TEXT,
        failure_code TEXT,
        failure_message TEXT,
        advice_code TEXT,
        network_status TEXT,
        outcome_type TEXT,
        outcome_reason TEXT,
        payment_method_id TEXT,
        card_brand TEXT,
        card_last4 TEXT,
        created INTEGER NOT NULL,
        source_ts INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, id),
        FOREIGN KEY (account_id, invoice_id) REFERENCES invoices(account_id, id) ON DELETE CASCADE
      );
      CREATE INDEX payment_attempts_invoice ON payment_attempts(account_id, invoice_id, created);
      CREATE INDEX payment_attempts_pi ON payment_attempts(account_id, payment_intent_id);
      CREATE INDEX payment_attempts_charge ON payment_attempts(account_id, charge_id);

      CREATE TABLE payment_methods (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        customer_id TEXT,
        type TEXT NOT NULL,
        card_brand TEXT,
        card_last4 TEXT,
        card_exp_month INTEGER,
        card_exp_year INTEGER,
        card_funding TEXT,
        card_country TEXT,
        wallet TEXT,
        created INTEGER NOT NULL,
        source_ts INTEGER NOT NULL DEFAULT 0,
        synced_at_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX payment_methods_customer ON payment_methods(account_id, customer_id);
      CREATE INDEX payment_methods_last4 ON payment_methods(account_id, card_last4);

      -- Timeline of what happened to a customer, from applied events (and backfill where known).
      CREATE TABLE timeline_events (
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        type TEXT NOT NULL,
        object_id TEXT,
        summary TEXT NOT NULL,
        created INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      );
      CREATE INDEX timeline_customer ON timeline_events(account_id, customer_id, created DESC);

      CREATE TABLE dunning_cases (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        invoice_id TEXT,
        subscription_id TEXT,
        stage TEXT NOT NULL DEFAULT 'new'
          CHECK (stage IN ('new', 'contacted', 'awaiting_customer', 'recovered', 'lost')),
        assignee TEXT,
        amount_at_risk INTEGER NOT NULL DEFAULT 0,
        currency TEXT NOT NULL,
        recovered_amount INTEGER NOT NULL DEFAULT 0,
        decline_code TEXT,
        advice_code TEXT,
        category TEXT NOT NULL DEFAULT 'unknown',
        payment_method_at_decline TEXT,
        opened_at INTEGER NOT NULL,
        stage_changed_at INTEGER NOT NULL,
        closed_at INTEGER
      );
      CREATE INDEX dunning_open ON dunning_cases(account_id, stage, amount_at_risk DESC);
      CREATE INDEX dunning_invoice ON dunning_cases(account_id, invoice_id);
      CREATE INDEX dunning_customer ON dunning_cases(account_id, customer_id);

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        dunning_case_id INTEGER REFERENCES dunning_cases(id) ON DELETE SET NULL,
        body TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE INDEX notes_customer ON notes(account_id, customer_id, created_at_ms DESC);

      CREATE TABLE portal_links (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        customer_id TEXT NOT NULL,
        subscription_id TEXT,
        flow TEXT NOT NULL,
        session_id TEXT,
        url TEXT NOT NULL,
        return_url TEXT,
        configuration_id TEXT,
        simulated INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX portal_links_customer ON portal_links(account_id, customer_id, created_at_ms DESC);

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        account_id TEXT,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_type TEXT,
        target_id TEXT,
        params_json TEXT NOT NULL DEFAULT '{}',
        result TEXT NOT NULL CHECK (result IN ('ok', 'error', 'simulated')),
        error_message TEXT,
        idempotency_key TEXT
      );
      CREATE INDEX audit_target ON audit_log(account_id, target_id, at_ms DESC);

      CREATE TABLE sync_state (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        backfill_json TEXT NOT NULL DEFAULT '{}',
        backfill_complete INTEGER NOT NULL DEFAULT 0,
        events_cursor TEXT,
        events_cursor_created INTEGER,
        last_synced_at_ms INTEGER,
        last_error TEXT
      );

      CREATE TABLE applied_events (
        account_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        created INTEGER NOT NULL,
        applied_at_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, event_id)
      );

      CREATE TABLE kb_documents (
        id INTEGER PRIMARY KEY,
        source_path TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        imported_at_ms INTEGER NOT NULL
      );

      CREATE TABLE kb_chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        heading TEXT,
        text TEXT NOT NULL,
        UNIQUE (document_id, ord)
      );

      -- Non-secret settings only: keys live in the OS keychain via safeStorage, never here.
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `);
  },
};
