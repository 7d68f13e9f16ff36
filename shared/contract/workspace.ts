import { z } from 'zod';
import { call } from './define';
import { accountId } from './ids';

export type WorkspaceMode = 'demo' | 'test' | 'live';

export interface AccountSummary {
  /** The workspace id: one per Stripe account and mode (acct_… test, acct_…:live live, demo). */
  id: string;
  /** The Stripe account id (acct_…), the same for both modes; null for the demo workspace. */
  stripeAccountId: string | null;
  name: string;
  livemode: boolean;
  isDemo: boolean;
}

export interface WorkspaceStatus {
  mode: WorkspaceMode;
  account: AccountSummary | null;
  accounts: AccountSummary[];
  /** Unix ms of the last successful sync pass, null if never. */
  lastSyncedAt: number | null;
  online: boolean;
  schemaVersion: number;
  /** Set once after start-up when an unreadable cache was moved aside. */
  cacheRecovered: { movedTo: string; reason: string } | null;
  /** The name recorded in audit rows for this agent. */
  agentName: string;
  appVersion: string;
  /** Set when this desk follows a team server (its copy, shared writes); null on a solo desk. */
  team: import('./team').TeamStatus | null;
}

export interface KeyCheck {
  kind: 'secret' | 'restricted';
  livemode: boolean;
  /** Last 4 characters only: the key itself never leaves the main side. */
  hint: string;
}

export const workspaceCalls = {
  'workspace.status': call<WorkspaceStatus>()(z.object({}).strict()),
  /** Stores the key in the OS keychain (app) or memory (harness) after checking it. */
  'workspace.setStripeKey': call<{ check: KeyCheck; account: AccountSummary }>()(
    z.object({ key: z.string().min(1).max(500) }).strict(),
  ),
  'workspace.clearStripeKey': call<{ mode: WorkspaceMode }>()(z.object({ accountId }).strict()),
  'workspace.switchAccount': call<WorkspaceStatus>()(z.object({ accountId }).strict()),
  'workspace.setAgentName': call<{ agentName: string }>()(z.object({ name: z.string().trim().min(1).max(80) }).strict()),
  /** Opens an http(s) URL in the system browser (the app) — refused for anything else. */
  'app.openExternal': call<{ opened: boolean }>()(z.object({ url: z.string().max(2048) }).strict()),
};
