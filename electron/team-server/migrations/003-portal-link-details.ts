import type { TeamMigration } from './types';

// Portal links made by the team server keep what the desk's history shows: the session URL (the
// desks of the team receive it through the feed, as each solo desk kept its own), the return URL,
// the configuration and whether an expired link recovers through an email login.
export const m003PortalLinkDetails: TeamMigration = {
  version: 3,
  name: 'portal link details',
  async up(db) {
    await db.query(`
      ALTER TABLE portal_links
        ADD COLUMN url text,
        ADD COLUMN return_url text,
        ADD COLUMN configuration_id text,
        ADD COLUMN recovers_after_expiry boolean NOT NULL DEFAULT false;
    `);
  },
};
