import type { Migration } from './types';

// Portal links get the idempotency key of the click that made them, so a repeated click (double
// submit, a retry after a timeout) returns the link already made instead of a second session, and
// whether an expired link recovers through an email login. The "Portal links" page lists recent
// links across customers, hence the index by account and time.
export const migration005: Migration = {
  version: 5,
  name: 'portal links: idempotency key, expiry recovery, recent index',
  up: (db) => {
    db.exec(`
      ALTER TABLE portal_links ADD COLUMN idempotency_key TEXT;
      ALTER TABLE portal_links ADD COLUMN recovers_after_expiry INTEGER NOT NULL DEFAULT 0;
      CREATE UNIQUE INDEX portal_links_idempotency ON portal_links(account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX portal_links_recent ON portal_links(account_id, created_at_ms DESC);
    `);
  },
};
