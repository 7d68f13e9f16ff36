import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { AppError } from '../../../shared/contract/errors';
import type { AccountSummary, KeyCheck, WorkspaceMode } from '../../../shared/contract/workspace';
import type { Logger } from '../core/log';
import type { Redactor } from '../core/redact';
import type { SecretStore } from '../core/secrets';
import type { Settings } from '../core/settings';
import { checkStripeKeyShape } from '../core/stripe-key';
import { createStripeClient } from '../stripe/client';
import { ensureAccount } from '../stripe/ingest';
import { toStripeAppError } from '../stripe/errors';

export const DEMO_ACCOUNT: AccountSummary = { id: 'demo', name: 'Demo workspace', livemode: false, isDemo: true };

interface AccountRow {
  id: string;
  name: string;
  livemode: number;
  is_demo: number;
}

/**
 * Which Stripe account the console is looking at, and the Stripe client for it. With no key the
 * console opens the demo workspace: real screens over generated data, write actions simulated.
 */
export class Workspace {
  private clients = new Map<string, Stripe>();
  /** A host's explicit choice (the CLI's account): shown even without a key, read from the cache. */
  private pinned: string | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SecretStore,
    private readonly settings: Settings,
    private readonly redactor: Redactor,
    private readonly log: Logger,
    private readonly stripeApiBase: string | undefined,
  ) {}

  accounts(): AccountSummary[] {
    const rows = this.db.prepare('SELECT id, name, livemode, is_demo FROM accounts ORDER BY added_at_ms').all() as AccountRow[];
    return rows.map((r) => ({ id: r.id, name: r.name, livemode: r.livemode === 1, isDemo: r.is_demo === 1 }));
  }

  /** The account shown now: the chosen one if its key is still there, else the first with a key, else demo. */
  current(): AccountSummary {
    const accounts = this.accounts();
    const pinned = this.pinned ? accounts.find((a) => a.id === this.pinned) : undefined;
    if (pinned) return pinned;
    const chosen = this.settings.get<string | null>('active_account', null);
    const usable = (a: AccountSummary) => a.isDemo || this.keyFor(a.id) != null;
    const found = accounts.find((a) => a.id === chosen && usable(a)) ?? accounts.find((a) => !a.isDemo && usable(a));
    return found ?? DEMO_ACCOUNT;
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
    return this.keyFor(accountId) != null;
  }

  switchTo(accountId: string): AccountSummary {
    const account = this.accounts().find((a) => a.id === accountId);
    if (!account) throw new AppError('not_found', `No account ${accountId} in this workspace.`);
    if (!account.isDemo && !this.keyFor(accountId)) throw new AppError('not_configured', 'This account has no API key stored. Add its key in Settings.');
    this.settings.set('active_account', accountId);
    return account;
  }

  private keyFor(accountId: string): string | null {
    return this.secrets.get('stripe_key', accountId);
  }

  /** The Stripe client of the current (or given) account; refused in the demo workspace. */
  stripe(accountId: string = this.current().id): Stripe {
    if (accountId === DEMO_ACCOUNT.id) throw new AppError('not_configured', 'The demo workspace has no Stripe account. Add a Stripe key in Settings to work on real data.');
    const key = this.keyFor(accountId);
    if (!key) throw new AppError('not_configured', 'No Stripe key is stored for this account. Add one in Settings.');
    let client = this.clients.get(accountId);
    if (!client) {
      this.redactor.remember(key);
      client = createStripeClient(key, { apiBase: this.stripeApiBase });
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
    const client = createStripeClient(key, { apiBase: this.stripeApiBase, maxNetworkRetries: 1, timeoutMs: 15_000 });
    let acct: Stripe.Account;
    try {
      acct = await client.accounts.retrieveCurrent();
    } catch (err) {
      throw toStripeAppError(err, 'checking the key');
    }
    const account: AccountSummary = {
      id: acct.id,
      name: acct.settings?.dashboard?.display_name || acct.business_profile?.name || acct.email || acct.id,
      livemode: check.livemode,
      isDemo: false,
    };
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
    const remembered = this.settings.get<AccountSummary | null>(`env_account:${check.livemode ? 'live' : 'test'}:${check.hint}`, null);
    let account = remembered;
    try {
      const acct = await createStripeClient(key, { apiBase: this.stripeApiBase, maxNetworkRetries: 1, timeoutMs: 15_000 }).accounts.retrieveCurrent();
      account = { id: acct.id, name: acct.settings?.dashboard?.display_name || acct.business_profile?.name || acct.email || acct.id, livemode: check.livemode, isDemo: false };
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
    this.secrets.delete('stripe_key', accountId);
    this.clients.delete(accountId);
    if (this.settings.get<string | null>('active_account', null) === accountId) this.settings.delete('active_account');
  }
}
