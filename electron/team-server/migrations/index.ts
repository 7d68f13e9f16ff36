import type { TeamMigration } from './types';
import { m001TeamCore } from './001-team-core';
import { m002StripeMirror } from './002-stripe-mirror';
import { m003PortalLinkDetails } from './003-portal-link-details';
import { m005CaseRecoveredAmount } from './005-case-recovered-amount';
import { m007KbArticleBody } from './007-kb-article-body';
import { m009CopilotProposals } from './009-copilot-proposals';
import { m901CallReplies } from './901-call-replies';
import { m951CaseStripeFacts } from './951-case-stripe-facts';

// The team database's migrations, in order. Numbers: team-core owns 001 and odd numbers after it,
// team-sync owns 002 and even numbers after it, the desk side numbers from 901 (so parallel
// branches never pick the same number); cases derived from the mirror number from 951.
// A test per migration lives in tests/integration/team-migrations.test.ts.
export const TEAM_MIGRATIONS: readonly TeamMigration[] = [m001TeamCore, m002StripeMirror, m003PortalLinkDetails, m005CaseRecoveredAmount, m007KbArticleBody, m009CopilotProposals, m901CallReplies, m951CaseStripeFacts];

export type { TeamMigration } from './types';
