import type { AccountSummary } from '../../shared/contract/workspace';
import type { Services } from '../services';
import { UsageError } from './command';

// Which account a CLI command shows. Reads of a cached account need no key (offline is a
// feature), so the key no longer decides between the account and the demo workspace: --account,
// else the account of STRIPE_SECRET_KEY, else the one account in the cache. Several accounts and
// no choice is a usage error listing them: silently showing one (or the empty demo) would answer
// a question about another account.

/** A workspace id: acct_… (test mode) or acct_…:live (live mode). */
const ACCOUNT_ID = /^acct_[A-Za-z0-9]{1,255}(:live)?$/;

function listing(accounts: AccountSummary[]): string {
  return accounts.map((a) => `  ${a.id.padEnd(31)} ${a.name} (${a.livemode ? 'live' : 'test'} mode)`).join('\n');
}

/** The workspace named exactly, else the only workspace (test or live) of that Stripe account. */
function findRequested(cached: AccountSummary[], requested: string): AccountSummary | undefined {
  const exact = cached.find((a) => a.id === requested);
  if (exact) return exact;
  const ofAccount = cached.filter((a) => a.stripeAccountId === requested);
  return ofAccount.length === 1 ? ofAccount[0] : undefined;
}

export function chooseAccount(services: Services, requested: string | undefined, db: string): AccountSummary {
  const workspace = services.ctx.workspace;
  const cached = workspace.accounts().filter((a) => !a.isDemo);
  const fromKey = services.environmentAccount;
  if (requested !== undefined) {
    if (!ACCOUNT_ID.test(requested)) throw new UsageError(`--account must be a Stripe account id like acct_1A2b3C (acct_1A2b3C:live for its live mode data), got "${requested}"`);
    const found = findRequested(cached, requested);
    if (!found) {
      throw new UsageError(
        cached.length
          ? `No account ${requested} in the cache ${db}. Accounts in it:\n${listing(cached)}`
          : `No account ${requested} in the cache ${db}: it holds no synced account (run \`sync\` with STRIPE_SECRET_KEY first).`,
      );
    }
    if (fromKey && fromKey.id !== found.id) throw new UsageError(`STRIPE_SECRET_KEY belongs to ${fromKey.id}, not ${found.id}: unset it to read ${found.id} from the cache, or pass its own key.`);
    return workspace.pin(found.id);
  }
  if (fromKey) return workspace.pin(fromKey.id);
  if (cached.length === 1) return workspace.pin(cached[0]!.id);
  if (cached.length > 1) throw new UsageError(`The cache ${db} holds ${cached.length} accounts; choose one with --account:\n${listing(cached)}`);
  return workspace.current();
}

/** "Account: Acme (acct_…, test mode)": the first line of human output, or stderr beside --json. */
export function accountLine(account: AccountSummary, hasKey: boolean): string {
  if (account.isDemo) return 'Account: Demo workspace (generated data; set STRIPE_SECRET_KEY or pass --account to read a synced account)';
  const mode = account.livemode ? 'LIVE mode' : 'test mode';
  return `Account: ${account.name} (${account.id}, ${mode}${hasKey ? '' : ', from the cache: no key set, read only'})`;
}
