import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { tempDir, testServices } from '../helpers/services';

// Issue 10 item 8: a live key with STRIPE_API_BASE pointing anywhere but Stripe would hand the key
// (in clear over http) to that server. Refused in words before any request, on every way in: the
// CLI and the harness (an environment key), and a key pasted in Settings on a harness.

const LIVE = { sk: 'sk_live_51LiveKeyQ7pX2mZ9rT4vB8nC3', rk: 'rk_live_51LiveKeyR3dF8gH2jK5lZ7xC9' };
const TEST_KEY = 'sk_test_51TestKeyQ7pX2mZ9rT4vB8nC3';

let server: StripeServer;
beforeAll(async () => {
  server = await startStripeServer({ accountId: 'acct_1LiveKeyRefused01' });
});
afterAll(() => server.close());

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const { dir, cleanup } = tempDir('bsc-live-key-');
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runCli([...args, '--db', path.join(dir, 'cli.db')], { out: (t) => out.push(t), err: (t) => err.push(t), env });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    cleanup();
  }
}

describe('a live key and a non-Stripe STRIPE_API_BASE', () => {
  it.each([['sk', LIVE.sk], ['rk', LIVE.rk]])('the CLI refuses a %s_live_ key in words and sends nothing', async (_kind, key) => {
    const before = server.requests.length;
    const run = await cli(['sync', '--json'], { STRIPE_SECRET_KEY: key, STRIPE_API_BASE: server.url });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/live key .* only ever sent to Stripe \(https:\/\/api\.stripe\.com\)/);
    expect(run.stderr).toContain(new URL(server.url).origin);
    expect(run.stderr).toMatch(/Nothing was sent/);
    expect(run.stderr).not.toContain(key.slice(8));
    expect(server.requests.length).toBe(before);
  });

  it('the harness services refuse to start with it (the web harness prints the reason)', async () => {
    const before = server.requests.length;
    await expect(testServices({ env: { STRIPE_SECRET_KEY: LIVE.sk }, stripeApiBase: server.url, skipDemoSeed: true })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/live key .* STRIPE_API_BASE points at http:\/\/127\.0\.0\.1/),
    });
    expect(server.requests.length).toBe(before);
  });

  it('a live key pasted in Settings on a harness pointed at a test server is refused, nothing stored', async () => {
    const s = await testServices({ stripeApiBase: server.url, skipDemoSeed: true });
    try {
      const before = server.requests.length;
      const r = await s.table.dispatch('workspace.setStripeKey', { key: LIVE.rk }, { actor: 'agent' });
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/only ever sent to Stripe/) } });
      expect(server.requests.length).toBe(before);
      expect(s.ctx.workspace.current().isDemo).toBe(true);
    } finally {
      await s.dispose();
    }
  });

  it('a test key still works with the test server, and a live key is allowed with Stripe itself as the base', async () => {
    const run = await cli(['doctor', '--json'], { STRIPE_SECRET_KEY: TEST_KEY, STRIPE_API_BASE: server.url });
    expect(run.code, run.stderr).toBe(0);
    const { liveKeyBaseProblem } = await import('../../electron/services/stripe/api-base');
    expect(liveKeyBaseProblem(LIVE.sk, undefined)).toBeNull();
    expect(liveKeyBaseProblem(LIVE.sk, 'https://api.stripe.com')).toBeNull();
    expect(liveKeyBaseProblem(LIVE.sk, 'https://api.stripe.com/')).toBeNull();
    expect(liveKeyBaseProblem(LIVE.sk, 'https://api.stripe.com/v1')).toBeNull();
    for (const base of ['http://api.stripe.com', 'https://api.stripe.com.evil.example', 'https://user:pw@api.stripe.com', 'https://api.stripe.com:8443', 'not a url']) {
      expect(liveKeyBaseProblem(LIVE.sk, base), base).toMatch(/only ever sent to Stripe/);
    }
    expect(liveKeyBaseProblem(TEST_KEY, 'http://127.0.0.1:1')).toBeNull();
  });
});
