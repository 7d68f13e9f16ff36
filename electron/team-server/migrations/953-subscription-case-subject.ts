import type { TeamMigration } from './types';

// The server derives subscription-only cases too (a past_due subscription with no open invoice).
// Such a case is keyed as on the desk: by the subscription and the latest invoice it had when the
// case opened (observe.ts `subscriptionSubject`), so a later episode of the same subscription
// opens a new case rather than reviving a closed one. Invoice cases keep their invoice_id as key.
export const m953SubscriptionCaseSubject: TeamMigration = {
  version: 953,
  name: 'dunning case subject (subscription-only cases)',
  async up(db) {
    await db.query(`
      ALTER TABLE dunning_cases ADD COLUMN subject text;
      CREATE INDEX dunning_cases_subject ON dunning_cases (account_id, subject) WHERE subject IS NOT NULL;
    `);
  },
};
