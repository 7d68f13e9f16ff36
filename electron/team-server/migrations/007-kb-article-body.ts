import type { TeamMigration } from './types';

// An article's whole text, for kb.get and for the feed entry desks import into their own
// knowledge base (chunks are what search returns; the body is what a citation opens).
export const m007KbArticleBody: TeamMigration = {
  version: 7,
  name: 'knowledge base article body',
  async up(db) {
    await db.query("ALTER TABLE kb_documents ADD COLUMN body text NOT NULL DEFAULT ''");
  },
};
