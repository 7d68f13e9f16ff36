import type { Migration } from './types';

// The dunning queue needs more than 001's dunning_cases holds:
// - `subject`: what a case is about ('invoice:in_…' or 'subscription:sub_…'). Cases about the same
//   subject form a chain; at most one of them is open (enforced by a partial unique index), and a
//   new failure after the last one closed opens a new case instead of reopening it.
// - `failure_mark`: the invoice's attempt_count at the last failure seen, so "a NEW failure" is
//   told apart from the same failure observed again after the case closed.
// - the retry picture (attempt_count, next_payment_attempt, last_failure_at) and the amount that
//   entered dunning (`entered_amount`, the denominator of the recovery rate), and why it closed.
// - a per-case history (automatic and manual stage moves, assignments) for the case panel, and
//   saved queue views.
// Times on cases are unix seconds (Stripe's clock); `*_at_ms` columns are local milliseconds.
export const migration004: Migration = {
  version: 4,
  name: 'dunning queue: case subjects, retry picture, history, saved views',
  up: (db) => {
    db.exec(`
      ALTER TABLE dunning_cases ADD COLUMN subject TEXT;
      ALTER TABLE dunning_cases ADD COLUMN failure_mark INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE dunning_cases ADD COLUMN attempt_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE dunning_cases ADD COLUMN next_payment_attempt INTEGER;
      ALTER TABLE dunning_cases ADD COLUMN last_failure_at INTEGER;
      ALTER TABLE dunning_cases ADD COLUMN entered_amount INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE dunning_cases ADD COLUMN closed_reason TEXT;

      -- Cases written before this migration (none in a released cache, but be exact): derive the subject.
      UPDATE dunning_cases SET subject = CASE
          WHEN invoice_id IS NOT NULL THEN 'invoice:' || invoice_id
          WHEN subscription_id IS NOT NULL THEN 'subscription:' || subscription_id
          ELSE 'customer:' || customer_id END
        WHERE subject IS NULL;
      UPDATE dunning_cases SET entered_amount = amount_at_risk WHERE entered_amount = 0;

      CREATE INDEX dunning_subject ON dunning_cases(account_id, subject, id DESC);
      CREATE UNIQUE INDEX dunning_one_open_per_subject ON dunning_cases(account_id, subject)
        WHERE stage IN ('new', 'contacted', 'awaiting_customer');
      CREATE INDEX dunning_closed ON dunning_cases(account_id, closed_at) WHERE closed_at IS NOT NULL;
      CREATE INDEX dunning_opened ON dunning_cases(account_id, opened_at);
      CREATE INDEX notes_case ON notes(dunning_case_id) WHERE dunning_case_id IS NOT NULL;

      CREATE TABLE dunning_case_history (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES dunning_cases(id) ON DELETE CASCADE,
        at_ms INTEGER NOT NULL,
        -- 'stripe' for moves derived from Stripe data; the person's name for manual changes.
        actor TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('opened', 'stage', 'assigned', 'failure', 'retry', 'portal_link')),
        from_stage TEXT,
        to_stage TEXT,
        detail TEXT
      );
      CREATE INDEX dunning_history_case ON dunning_case_history(case_id, at_ms);

      CREATE TABLE dunning_saved_views (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        query_json TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
    `);
  },
};
