import type { DunningStage } from '../../../../shared/contract/dunning';
import type { DeclineCategory } from '../../../../shared/domain/decline-codes';

// Words and status colours (badge classes from styles.css) for stages and decline categories.

export const STAGE_LABELS: Record<DunningStage, string> = {
  new: 'New',
  contacted: 'Contacted',
  awaiting_customer: 'Awaiting customer',
  recovered: 'Recovered',
  lost: 'Lost',
};

export const STAGE_BADGE: Record<DunningStage, string> = {
  new: 'badge info',
  contacted: 'badge',
  awaiting_customer: 'badge warn',
  recovered: 'badge ok',
  lost: 'badge danger',
};

export const CATEGORY_LABELS: Record<DeclineCategory, string> = {
  authentication: 'Authentication',
  hard: 'Hard decline',
  expired_card: 'Expired card',
  insufficient_funds: 'Insufficient funds',
  soft: 'Soft decline',
  unknown: 'Unknown',
};

/** What each category means for the agent, shown as a tooltip. */
export const CATEGORY_HINTS: Record<DeclineCategory, string> = {
  authentication: 'The bank wants 3D Secure: the customer must authenticate; an off-session retry cannot.',
  hard: 'Non-retryable (lost, stolen, wrong number, revoked): the customer needs a new card.',
  expired_card: 'The card expired: ask for updated card details.',
  insufficient_funds: 'Not enough funds now: a retry later (after payday) often works.',
  soft: 'A temporary or unexplained decline: retries often succeed.',
  unknown: 'No decline reason recorded.',
};

export const CATEGORY_BADGE: Record<DeclineCategory, string> = {
  authentication: 'badge warn',
  hard: 'badge danger',
  expired_card: 'badge warn',
  insufficient_funds: 'badge info',
  soft: 'badge',
  unknown: 'badge',
};
