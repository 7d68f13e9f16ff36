import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { createServices } from '../../electron/services';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { tempDir } from '../helpers/services';

// Which account the CLI shows. A cache that holds a synced account is read without a key (offline
// is a feature), and every command says which account it shows: the first line of human output,
// a stderr line beside --json (stdout stays the one JSON value). With several accounts in the cache
// and none chosen, the CLI refuses (exit 2) and lists them instead of picking one - or, as before,
// silently showing the empty demo workspace.

const ACME = { id: 'acct_1AcmeCachedOnly001', stripeAccountId: 'acct_1AcmeCachedOnly001', name: 'Acme Cached', livemode: false, isDemo: false };
/** A live-mode workspace: the Stripe account id with ':live'. */
const BETA = { id: 'acct_1BetaCachedOnly002:live', stripeAccountId: 'acct_1BetaCachedOnly002', name: 'Beta Live', livemode: true, isDemo: false };
const nowS = Math.floor(Date.now() / 1000);

function seed(db: string, accounts: Array<typeof ACME>): Promise<void> {
  return (async () => {
    const s = await createServices({ dbPath: db, env: {}, skipDemoSeed: true });
    for (const [i, account] of accounts.entries()) {
      ensureAccount(s.ctx.db, account);
      const rows = new StripeRows(s.ctx.db, account.id, nowS);
      rows.customer(`cus_${account.name.split(' ')[0]!.toLowerCase()}`, { email: `billing@${account.name.split(' ')[0]!.toLowerCase()}.example` });
      rows.invoice(`in_${account.name.split(' ')[0]!.toLowerCase()}`, {
        customer: `cus_${account.name.split(' ')[0]!.toLowerCase()}`,
        amountDue: 4_999 + i,
        currency: 'usd',
        failures: [{ declineCode: 'insufficient_funds', created: nowS - DAY }],
      });
      reconcileDunning(s.ctx, account.id);
    }
    await s.close();
  })();
}

async function cli(db: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out, err: err.join('\n') };
}

describe('CLI account: one cached account, no key', () => {
  const { dir, cleanup } = tempDir('bsc-cli-account-');
  const db = path.join(dir, 'cli.db');
  beforeAll(() => seed(db, [ACME]), 60_000);
  afterAll(cleanup);

  it('dunning --json reads the cached account without a key; the account is named on stderr', async () => {
    const r = await cli(db, ['dunning', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toHaveLength(1);
    const cases = JSON.parse(r.out[0]!) as Array<{ invoice: string; customer: string }>;
    expect(cases.map((c) => c.invoice)).toEqual(['in_acme']);
    expect(r.err).toContain(`Account: Acme Cached (${ACME.id}, test mode, from the cache: no key set, read only)`);
  });

  it('human output names the account on its first line', async () => {
    const dunning = await cli(db, ['dunning']);
    expect(dunning.code, dunning.err).toBe(0);
    expect(dunning.out[0]).toBe(`Account: Acme Cached (${ACME.id}, test mode, from the cache: no key set, read only)`);
    expect(dunning.out.join('\n')).toContain('in_acme');
    const customer = await cli(db, ['customer', 'cus_acme']);
    expect(customer.code, customer.err).toBe(0);
    expect(customer.out[0]).toMatch(/^Account: Acme Cached \(acct_1AcmeCachedOnly001, test mode/);
    expect(customer.out[1]).toContain('billing@acme.example');
  });

  it('sync without a key says which key is missing (reads need none; Stripe does)', async () => {
    const r = await cli(db, ['sync']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`No key for ${ACME.id}: set STRIPE_SECRET_KEY`);
  });

  it('--account must name an account of the cache', async () => {
    const r = await cli(db, ['dunning', '--account', 'acct_1NotInThisCache99']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('No account acct_1NotInThisCache99 in the cache');
    expect(r.err).toContain(ACME.id);
    const bad = await cli(db, ['dunning', '--account', 'cus_acme']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--account must be a Stripe account id/);
  });
});

describe('CLI account: several cached accounts', () => {
  const { dir, cleanup } = tempDir('bsc-cli-accounts-');
  const db = path.join(dir, 'cli.db');
  beforeAll(() => seed(db, [ACME, BETA]), 60_000);
  afterAll(cleanup);

  it('none chosen: exit 2, listing them, and nothing on stdout', async () => {
    for (const args of [['dunning', '--json'], ['dunning'], ['customer', 'cus_acme'], ['search', 'billing']]) {
      const r = await cli(db, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toEqual([]);
      expect(r.err).toContain('holds 2 accounts; choose one with --account');
      expect(r.err).toContain(`${ACME.id}`);
      expect(r.err).toContain(`${BETA.id}`);
      expect(r.err).toMatch(/Beta Live \(live mode\)/);
    }
  });

  it('--account picks one; each shows only its own rows', async () => {
    const beta = await cli(db, ['dunning', '--json', '--account', BETA.id]);
    expect(beta.code, beta.err).toBe(0);
    expect((JSON.parse(beta.out[0]!) as Array<{ invoice: string }>).map((c) => c.invoice)).toEqual(['in_beta']);
    expect(beta.err).toContain(`Account: Beta Live (${BETA.id}, LIVE mode, from the cache: no key set, read only)`);
    // The bare Stripe account id finds its only workspace (here the live one).
    const bare = await cli(db, ['dunning', '--json', '--account', BETA.stripeAccountId]);
    expect(bare.code, bare.err).toBe(0);
    expect(bare.err).toContain(`(${BETA.id}, LIVE mode`);
    const acme = await cli(db, ['dunning', '--account', ACME.id]);
    expect(acme.code, acme.err).toBe(0);
    expect(acme.out[0]).toContain(ACME.id);
    expect(acme.out.join('\n')).toContain('in_acme');
    expect(acme.out.join('\n')).not.toContain('in_beta');
    const notThere = await cli(db, ['customer', 'cus_beta', '--account', ACME.id]);
    expect(notThere.code).toBe(2);
  });
});

describe('CLI default cache folder', () => {
  it('~/.billing-support-console is created 0700 and the cache in it 0600 (customer details, notes, audit)', () => {
    const { dir, cleanup } = tempDir('bsc-cli-home-');
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: dir, USERPROFILE: dir };
      delete env.STRIPE_SECRET_KEY;
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'doctor', '--json'], { cwd: path.resolve(import.meta.dirname, '../..'), env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const folder = path.join(dir, '.billing-support-console');
      expect((fs.statSync(folder).mode & 0o777).toString(8)).toBe('700');
      expect((fs.statSync(path.join(folder, 'cli.db')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      cleanup();
    }
  }, 60_000);
});
