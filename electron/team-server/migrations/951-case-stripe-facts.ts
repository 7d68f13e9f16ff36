import type { TeamMigration } from './types';

// The server now derives its cases from the Stripe mirror (dunning/derive-cases.ts) with the
// desk's rules, so a case carries the same failure picture as a solo desk's: attempts, the next
// retry, the advice code, when the last attempt failed, the amount when it entered dunning and
// the payment method that was declined; and the indexes that keep the derivation per write cheap.
export const m951CaseStripeFacts: TeamMigration = {
  version: 951,
  name: 'dunning case Stripe facts (attempts, next retry, advice, last failure, entered amount, declined method)',
  async up(db) {
    await db.query(`
      ALTER TABLE dunning_cases
        ADD COLUMN attempt_count integer NOT NULL DEFAULT 0,
        ADD COLUMN next_payment_attempt bigint,
        ADD COLUMN advice_code text,
        ADD COLUMN last_failure_at bigint,
        ADD COLUMN entered_amount bigint,
        ADD COLUMN payment_method_at_decline text;
      UPDATE dunning_cases SET entered_amount = amount_at_risk;
      -- A subscription change re-derives the cases of its open invoices: found by index, not by a
      -- scan of the mirror on every subscription page of a backfill.
      -- (The mirror is migration 002's; a database without it - only in the numbering tests - gets no such index.)
      DO $$ BEGIN
        IF to_regclass('stripe_objects') IS NOT NULL THEN
          CREATE INDEX stripe_objects_open_invoice_subscription ON stripe_objects (account_id, (data #>> '{parent,subscription_details,subscription}'))
            WHERE type = 'invoice' AND NOT deleted AND (data->>'status') = 'open';
        END IF;
      END $$;
      CREATE INDEX dunning_cases_subscription ON dunning_cases (account_id, subscription_id) WHERE subscription_id IS NOT NULL;
    `);
  },
};
