import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import type { AccountSummary, KeyCheck, WorkspaceMode } from '../../../shared/contract/workspace';
import type { Logger } from '../core/log';
import type { Redactor } from '../core/redact';
import type { SecretStore } from '../core/secrets';
import type { Settings } from '../core/settings';
import { checkStripeKeyShape } from '../core/stripe-key';
import { workspaceIdFor } from '../../../shared/domain/workspace-id';
import { createStripeClient } from '../stripe/client';
import { isLiveKey } from '../stripe/api-base';
import { ensureAccount } from '../stripe/ingest';
import { toStripeAppError } from '../stripe/errors';

export const DEMO_ACCOUNT: AccountSummary = { id: 'demo', stripeAccountId: null, name: 'Demo workspace', livemode: false, isDemo: true };

interface AccountRow {
  id: string;
  stripe_account_id: string | null;
  name: string;
  livemode: number;
  is_demo: number;
}

function accountName(acct: Stripe.Account): string {
  return acct.settings?.dashboard?.display_name || acct.business_profile?.name || acct.email || acct.id;
}

/** The workspace of one Stripe account in the mode of the key that reached it. */
/** The workspace an account's key opens (the team server names its accounts the same way). */
export function summaryFor(acct: Stripe.Account, livemode: boolean): AccountSummary {
  return { id: workspaceIdFor(acct.id, livemode), stripeAccountId: acct.id, name: accountName(acct), livemode, isDemo: false };
}

/**
 * Which workspace the console is looking at, and the Stripe client for it. A workspace is one
 * Stripe account in one mode (shared/domain/workspace-id.ts): the test and live data of an account
 * are two workspaces with their own key, rows and settings, side by side. With no key the console
 * opens the demo workspace: real screens over generated data, write actions simulated.
 */
export class Workspace {
  private clients = new Map<string, Stripe>();
  /** Team mode: the team's account, shown without a key (the team server holds it). */
  private teamAccountId: string | null = null;
  /** A host's explicit choice (the CLI's account): shown even without a key, read from the cache. */
  private pinned: string | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretStore,
    private readonly settings: Settings,
    private readonly redactor: Redactor,
    private readonly log: Logger,
    private readonly stripeApiBase: string | undefined,
    /** The SDK's HTTP layer; tests route Stripe's own base to the loopback server with it (a live key needs Stripe's base). */
    private readonly stripeHttpClient?: Stripe.HttpClient,
  ) {}

  accounts(): AccountSummary[] {
    const rows = this.db.prepare('SELECT id, stripe_account_id, name, livemode, is_demo FROM accounts ORDER BY added_at_ms, livemode').all() as AccountRow[];
    return rows.map((r) => ({ id: r.id, stripeAccountId: r.is_demo === 1 ? null : (r.stripe_account_id ?? r.id), name: r.name, livemode: r.livemode === 1, isDemo: r.is_demo === 1 }));
  }

  /** The account shown now: the chosen one if its key is still there, else the first with a key, else demo. */
  current(): AccountSummary {
    const accounts = this.accounts();
    const team = this.teamAccountId ? accounts.find((a) => a.id === this.teamAccountId) : undefined;
    if (team) return team;
    const pinned = this.pinned ? accounts.find((a) => a.id === this.pinned) : undefined;
    if (pinned) return pinned;
    const chosen = this.settings.get<string | null>('active_account', null);
    const usable = (a: AccountSummary) => a.isDemo || this.stripeKeyFor(a.id) != null;
    const found = accounts.find((a) => a.id === chosen && usable(a)) ?? accounts.find((a) => !a.isDemo && usable(a));
    return found ?? DEMO_ACCOUNT;
  }

  /** Team mode: the desk shows the team's account; Stripe calls are the team server's. */
  pinTeamAccount(accountId: string): void {
    this.teamAccountId = accountId;
  }

  isTeam(): boolean {
    return this.teamAccountId !== null;
  }

  mode(account: AccountSummary = this.current()): WorkspaceMode {
    if (account.isDemo) return 'demo';
    return account.livemode ? 'live' : 'test';
  }

  isDemo(): boolean {
    return this.current().isDemo;
  }

  /**
   * Shows this cached account whether or not a key is stored (reads need none: offline is a
   * feature); anything that calls Stripe still asks for the key. For hosts that choose up front.
   */
  pin(accountId: string): AccountSummary {
    const account = this.accounts().find((a) => a.id === accountId);
    if (!account) throw new AppError('not_found', `No account ${accountId} in this workspace.`);
    this.pinned = accountId;
    return account;
  }

  hasKey(accountId: string): boolean {
    return this.stripeKeyFor(accountId) != null;
  }

  switchTo(accountId: string): AccountSummary {
    const account = this.accounts().find((a) => a.id === accountId);
    if (!account) throw new AppError('not_found', `No account ${accountId} in this workspace.`);
    if (!account.isDemo && !this.stripeKeyFor(accountId)) {
      throw new AppError('not_configured', `This account has no ${account.livemode ? 'live' : 'test'} mode API key stored. Add its ${account.livemode ? 'sk_live_/rk_live_' : 'sk_test_/rk_test_'} key in Settings.`);
    }
    this.settings.set('active_account', accountId);
    return account;
  }

  /**
   * The key of a workspace, only ever one of its own mode: a store may fall back to a default key
   * (the environment's), and a key stored before schema 7 sits under the bare account id, which is
   * now the test workspace. A live key is never handed to a test workspace or the other way round.
   */
  stripeKeyFor(accountId: string): string | null {
    if (accountId === DEMO_ACCOUNT.id) return null;
    const row = this.db.prepare('SELECT livemode, stripe_account_id FROM accounts WHERE id = ?').get(accountId) as { livemode: number; stripe_account_id: string | null } | undefined;
    if (!row) return null;
    const live = row.livemode === 1;
    const ofMode = (key: string | null) => (key != null && isLiveKey(key) === live ? key : null);
    const own = ofMode(this.secrets.get('stripe_key', accountId));
    if (own || !live) return own;
    const legacySlot = row.stripe_account_id ?? accountId;
    const legacy = ofMode(this.secrets.get('stripe_key', legacySlot));
    if (legacy) this.moveLegacyKey(legacy, legacySlot, accountId);
    return legacy;
  }

  /** A live key stored under the bare account id (before schema 7) moves to its live workspace. */
  private moveLegacyKey(key: string, from: string, to: string): void {
    try {
      this.secrets.set('stripe_key', key, to);
      if (this.secrets.get('stripe_key', from) === key) this.secrets.delete('stripe_key', from);
    } catch (err) {
      // The keychain may refuse a write (locked): the key still works from where it is.
      this.log.warn('a live key stored before schema 7 could not be moved to its live workspace', { account: to, error: err });
    }
  }

  /** The Stripe client of the current (or given) account; refused in the demo workspace. */
  stripe(accountId: string = this.current().id): Stripe {
    if (accountId === DEMO_ACCOUNT.id) throw new AppError('not_configured', 'The demo workspace has no Stripe account. Add a Stripe key in Settings to work on real data.');
    if (this.teamAccountId) throw new AppError('not_configured', 'On a team the team server holds the Stripe key and talks to Stripe; this desk asks it instead.');
    const key = this.stripeKeyFor(accountId);
    if (!key) throw new AppError('not_configured', 'No Stripe key is stored for this account. Add one in Settings.');
    let client = this.clients.get(accountId);
    if (!client) {
      this.redactor.remember(key);
      client = createStripeClient(key, { apiBase: this.stripeApiBase, httpClient: this.stripeHttpClient });
      this.clients.set(accountId, client);
    }
    return client;
  }

  /** Replaces the client factory result (the sync layer wraps clients with its rate limiter). */
  setClient(accountId: string, client: Stripe): void {
    this.clients.set(accountId, client);
  }

  /**
   * Checks a pasted key (shape, then a call to Stripe), then stores it for the account it belongs to.
   * The key is never returned: only its kind, mode and last four characters.
   */
  async addStripeKey(rawKey: string): Promise<{ check: KeyCheck; account: AccountSummary }> {
    const check = checkStripeKeyShape(rawKey);
    const key = rawKey.trim();
    this.redactor.remember(key);
    const client = createStripeClient(key, { apiBase: this.stripeApiBase, httpClient: this.stripeHttpClient, maxNetworkRetries: 1, timeoutMs: 15_000 });
    let acct: Stripe.Account;
    try {
      acct = await client.accounts.retrieveCurrent();
    } catch (err) {
      throw toStripeAppError(err, 'checking the key');
    }
    // Keyed by (account, mode): a live key added after a test key of the same account is a second
    // workspace beside the first, never a replacement of its key or a relabelling of its rows.
    const account = summaryFor(acct, check.livemode);
    ensureAccount(this.db, account);
    this.secrets.set('stripe_key', key, account.id);
    this.clients.delete(account.id);
    this.settings.set('active_account', account.id);
    this.log.info('stripe key added', { account: account.id, kind: check.kind, livemode: check.livemode });
    return { check, account };
  }

  /**
   * Resolves an environment-provided key (CLI, harness) to its account on first use, remembering
   * the account id so the cache can be read offline next time.
   */
  async adoptEnvironmentKey(): Promise<AccountSummary | null> {
    const key = this.secrets.get('stripe_key', 'default');
    if (!key) return null;
    const check = checkStripeKeyShape(key);
    this.redactor.remember(key);
    const remembered = this.settings.get<Partial<AccountSummary> | null>(`env_account:${check.livemode ? 'live' : 'test'}:${check.hint}`, null);
    let account = rememberedSummary(remembered, check.livemode);
    try {
      const acct = await createStripeClient(key, { apiBase: this.stripeApiBase, httpClient: this.stripeHttpClient, maxNetworkRetries: 1, timeoutMs: 15_000 }).accounts.retrieveCurrent();
      account = summaryFor(acct, check.livemode);
      this.settings.set(`env_account:${check.livemode ? 'live' : 'test'}:${check.hint}`, account);
    } catch (err) {
      if (!account) throw toStripeAppError(err, 'checking STRIPE_SECRET_KEY');
      this.log.warn('stripe unreachable; using the remembered account for the environment key', { account: account.id });
    }
    ensureAccount(this.db, account);
    this.secrets.set('stripe_key', key, account.id);
    if (!this.settings.get<string | null>('active_account', null)) this.settings.set('active_account', account.id);
    return account;
  }

  removeStripeKey(accountId: string): void {
    const key = this.stripeKeyFor(accountId);
    this.secrets.delete('stripe_key', accountId);
    // A key of this workspace still under the bare account id (before schema 7) goes too.
    const legacySlot = this.accounts().find((a) => a.id === accountId)?.stripeAccountId;
    if (key && legacySlot && legacySlot !== accountId && this.secrets.get('stripe_key', legacySlot) === key) this.secrets.delete('stripe_key', legacySlot);
    this.clients.delete(accountId);
    if (this.settings.get<string | null>('active_account', null) === accountId) this.settings.delete('active_account');
  }
}

/** An environment key's account remembered for offline starts (entries before schema 7 lack the mode in the id). */
function rememberedSummary(r: Partial<AccountSummary> | null, livemode: boolean): AccountSummary | null {
  if (!r || typeof r.id !== 'string' || typeof r.name !== 'string') return null;
  const stripeAccountId = r.stripeAccountId ?? r.id.replace(/:live$/, '');
  return { id: workspaceIdFor(stripeAccountId, livemode), stripeAccountId, name: r.name, livemode, isDemo: false };
}
