import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { seedAccount } from '../stripe-server/seed';
import { tempDir } from '../helpers/services';

// `billing-console sync` as a person runs it, in a child process against the loopback Stripe
// server: the first run backfills, the next only applies events, --full reads everything again,
// --watch keeps applying changes until Ctrl-C; with --json stdout is exactly one object of totals.

const ROOT = path.resolve(__dirname, '../..');
const ACCOUNT = 'acct_1SyncCliTest00001';
const KEYS = ['customers', 'subscriptions', 'invoices', 'events_applied', 'requests', 'seconds'];

let server: StripeServer;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  server = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(server.store, { customers: 25, seed: 8 });
  ({ dir, cleanup } = tempDir('bsc-sync-cli-'));
});
afterAll(async () => {
  await server.close();
  cleanup();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { key?: boolean; onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_API_BASE: server.url };
  if (opts.key === false) delete env.STRIPE_SECRET_KEY;
  else env.STRIPE_SECRET_KEY = 'sk_test_syncCliTest01';
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    run.stderr += d.toString();
    opts.onStderr?.(run.stderr, child);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ ...run, code })));
}

function totals(run: Run): Record<string, number> {
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stdout).toHaveLength(1);
  const out = JSON.parse(lines[0]) as Record<string, number>;
  expect(Object.keys(out)).toEqual(KEYS);
  return out;
}

const serverCounts = () => ({
  customers: server.store.all('customer').length,
  subscriptions: server.store.collection('subscription').size,
  invoices: server.store.collection('invoice').size,
});

describe('billing-console sync', () => {
  const db = () => path.join(dir, 'cache.db');

  it('backfills on the first run, then only applies new events', async () => {
    const first = await cli(['sync', '--db', db(), '--json', '--rate', '500']);
    expect(first.code, first.stderr).toBe(0);
    const a = totals(first);
    expect(a).toMatchObject({ ...serverCounts(), events_applied: 0 });
    expect(a.requests).toBeGreaterThan(25); // pages, and each customer's payment methods
    expect(first.stderr).toMatch(/\[backfill\]/);

    const customer = server.store.all('customer')[0];
    server.store.updateCustomer(customer.id, { name: 'Renamed By Test' });
    const second = await cli(['sync', '--db', db(), '--json']);
    expect(second.code, second.stderr).toBe(0);
    const b = totals(second);
    expect(b).toMatchObject({ ...serverCounts(), events_applied: 1 });
    expect(b.requests).toBeLessThanOrEqual(2);
  });

  it('--full reads everything again', async () => {
    const run = await cli(['sync', '--db', db(), '--json', '--full', '--rate', '500']);
    expect(run.code, run.stderr).toBe(0);
    const t = totals(run);
    expect(t).toMatchObject(serverCounts());
    expect(t.requests).toBeGreaterThan(25);
  });

  it('--watch applies changes as they happen and prints one object on Ctrl-C', async () => {
    let changed = false;
    let interrupted = false;
    const run = await cli(['sync', '--db', db(), '--json', '--watch'], {
      onStderr: (text, child) => {
        if (!changed && text.includes('watching for changes')) {
          changed = true;
          server.store.createCustomer({ email: 'watch.new@example.com', name: 'Watch New' });
        }
        if (changed && !interrupted && /\[events\]/.test(text)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code, run.stderr).toBe(0);
    const t = totals(run);
    expect(t.events_applied).toBeGreaterThanOrEqual(1);
    expect(t.customers).toBe(serverCounts().customers);
  });

  it('refuses bad options (exit 2) and says there is nothing to sync without a key (exit 1)', async () => {
    const bad = await cli(['sync', '--db', db(), '--rate', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--rate must be a number/);
    expect(bad.stdout).toBe('');

    const demo = await cli(['sync', '--db', path.join(dir, 'demo.db'), '--json'], { key: false });
    expect(demo.code).toBe(1);
    expect(demo.stderr).toMatch(/No Stripe account to sync/);
    expect(demo.stdout).toBe('');
  });
});
