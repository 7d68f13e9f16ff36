import type pg from 'pg';
import type Stripe from 'stripe';
import type { CallName, CallOutput, CallParsedInput } from '../../../shared/contract';
import type { Logger } from '../../services/core/log';
import type { Agent, AgentStore } from '../stores/agents';
import type { FeedStore } from '../stores/feed';
import type { TeamStripeAccounts } from './keys';
import type { PgModelSettingsStore } from '../stores/model-settings';

/** Who calls and where: the authenticated agent (never a name the desk typed) and the account. */
export interface TeamCallContext {
  agent: Agent;
  accountId: string;
  pool: pg.Pool;
  feed: FeedStore;
  agents: AgentStore;
  /** The account's Stripe client (the server is the only writer to Stripe in team mode). */
  stripe(accountId: string): Promise<Stripe>;
  /** The team's Stripe keys and syncs (absent when the server runs without its Stripe side). */
  keys?: TeamStripeAccounts;
  /** The team's model settings (copilot.settings.*; the model proxy reads them). */
  modelSettings?: PgModelSettingsStore;
  log: Logger;
  now(): number;
}

export type TeamHandler<N extends CallName> = (input: CallParsedInput<N>, ctx: TeamCallContext) => Promise<CallOutput<N>>;
export type TeamHandlerMap = { [N in CallName]?: TeamHandler<N> };

/** Entity names of team rows in the feed (Stripe objects are 'stripe.<object>'). */
export const TEAM_ENTITY = {
  note: 'note',
  dunningCase: 'dunning_case',
  dunningHistory: 'dunning_history',
  savedView: 'saved_view',
  portalLink: 'portal_link',
  portalSettings: 'portal_settings',
  kbArticle: 'kb_article',
} as const;
