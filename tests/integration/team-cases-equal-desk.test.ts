import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../electron/services/core/context';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import { silentLogger } from '../../electron/services/core/log';
import { startTeamServer, type TeamServer } from '../../electron/team-server/app';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { randomMutation } from '../stripe-server/mutations';
import { seedAccount } from '../stripe-server/seed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { until } from '../helpers/team-desk';
import { cacheFromEntries } from '../helpers/memory-mirror';
import { diffMirrorWithServer, mirrorEntries } from '../helpers/team-mirror';

// Server and desk derive the same cases from the same Stripe objects (DESIGN §7: derived facts
// are computed by the same pure code on both sides). A seeded account (trials, renewals, declines,
// cancellations) is synced by a team server; its mirror, replayed into a solo desk's cache and
// reconciled there, must give the cases the server derived itself - after the backfill, and again
// after a run of random Stripe changes that reach the server through the events poll.

const ACCOUNT = 'acct_1TeamCasesEqual001';
let pgs: TestPostgres;
let stripe: StripeServer;
let server: TeamServer;
let pool: pg.Pool;

/** Random changes through the store API (declines, payments, voids, cancellations, renewals, ...). */
function churn(from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    stripe.clock.advance(60);
    randomMutation(stripe.store, from + i);
  }
}

const DECLINES = [
  { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' },
  { declineCode: 'lost_card', adviceCode: 'do_not_try_again' },
  { declineCode: 'expired_card', code: 'expired_card', adviceCode: 'confirm_card_data' },
  { declineCode: 'authentication_required' },
];

/** Invoices that declined (once or twice), some of them then paid, voided or written off in Stripe. */
function failures(): void {
  for (let i = 0; i < 12; i++) {
    const cus = stripe.store.createCustomer({ name: `Failing ${i}`, paymentMethod: 'pm_card_visa', currency: i % 3 === 0 ? 'eur' : 'usd' });
    const inv = stripe.store.createInvoice({ customer: cus.id as string, amount: 1000 + 250 * i, currency: i % 3 === 0 ? 'eur' : 'usd', autoAdvance: true });
    stripe.store.finalizeInvoice(inv.id as string);
    for (let n = 0; n <= i % 2; n++) {
      stripe.clock.advance(3600);
      try {
        stripe.store.payInvoice(inv.id as string, { forceDecline: DECLINES[(i + n) % DECLINES.length] });
      } catch {
        // the decline is the point
      }
    }
    stripe.clock.advance(3600);
    if (i % 4 === 1) stripe.store.payInvoice(inv.id as string);
    else if (i % 4 === 2) stripe.store.voidInvoice(inv.id as string);
    else if (i % 4 === 3 && i > 4) stripe.store.markUncollectible(inv.id as string);
  }
}

beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers: 30, seed: 21 });
  churn(0, 150);
  failures();
  const databaseUrl = await pgs.newDatabase();
  server = await startTeamServer({
    env: { BSC_TEAM_LISTEN: '127.0.0.1:0', BSC_TEAM_SECRET: 'team-secret-for-case-tests-0123456789', STRIPE_SECRET_KEY: 'sk_test_teamCasesEqual001', STRIPE_API_BASE: stripe.url, BSC_STRIPE_RATE: '1000', BSC_TEAM_POLL_INTERVAL_MS: '200' },
    databaseUrl,
    log: silentLogger,
  });
  pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  await until('the team backfill', async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { accounts: Array<{ backfill_complete: boolean }> }).accounts[0]?.backfill_complete, 60_000);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await stripe?.close();
  await pgs?.close();
});

/**
 * The Stripe-derived picture of each invoice's cases, times included: both sides derive them from
 * Stripe's time (the objects' own timestamps, the response's Date), never from the host's clock.
 * The test Stripe server's clock runs days ahead of the host's, so a side that capped a time at
 * its own clock would show here.
 */
type Picture = Record<string, string>;

function picture(rows: Array<Record<string, unknown>>): Picture {
  const out: Picture = {};
  for (const r of rows) {
    const key = String(r.invoice_id);
    // A closed case keeps the failure picture it closed with; one derived later from the final
    // objects (the desk replaying the whole mirror at once) sees the attempts made after it. So
    // only an open case's picture must equal the current facts; a closed one, how it closed.
    const open = r.stage === 'new' || r.stage === 'contacted' || r.stage === 'awaiting_customer';
    const fields = open
      ? [r.stage, r.amount_at_risk, r.entered_amount, r.currency, r.category, r.decline_code, r.advice_code, r.attempt_count, r.next_payment_attempt, r.failure_mark, r.subscription_id, r.opened_at, r.last_failure_at]
      : [r.stage, r.entered_amount, r.currency, r.closed_reason, r.recovered_amount, r.subscription_id, r.opened_at, r.closed_at];
    const line = fields.map((v) => String(v ?? '-')).join(' ');
    out[key] = out[key] ? `${out[key]} | ${line}` : line;
  }
  return out;
}

async function serverPicture(): Promise<Picture> {
  const { rows } = await pool.query('SELECT * FROM dunning_cases WHERE account_id = $1 ORDER BY id', [ACCOUNT]);
  return picture(rows);
}

async function deskPicture(): Promise<Picture> {
  const db = cacheFromEntries(ACCOUNT, await mirrorEntries(pool, ACCOUNT));
  try {
    // A solo desk whose clock agrees with Stripe's (the test server's runs days ahead of this host's).
    const ctx = { db, now: () => stripe.clock.nowMs(), hub: { emit() {} }, log: { error() {} } } as unknown as ServiceContext;
    reconcileDunning(ctx, ACCOUNT);
    // The server derives invoice cases; the desk's subscription-only cases have no invoice to compare.
    return picture(db.prepare('SELECT * FROM dunning_cases WHERE account_id = ? AND invoice_id IS NOT NULL ORDER BY id').all(ACCOUNT) as Array<Record<string, unknown>>);
  } finally {
    db.close();
  }
}

describe('team cases equal a solo desk’s', () => {
  it('after the backfill of a seeded account', async () => {
    const onServer = await serverPicture();
    expect(Object.keys(onServer).length).toBeGreaterThan(3);
    expect(onServer).toEqual(await deskPicture());
  });

  it('after random Stripe changes applied by the events poll', async () => {
    const before = await serverPicture();
    churn(1000, 120);
    // The poll has caught up when the mirror equals the Stripe server again.
    await until('the poll to catch up', async () => (await diffMirrorWithServer(pool, stripe.store, ACCOUNT)).snapshot.length === 0, 60_000);
    expect(await serverPicture()).not.toEqual(before);
    expect(await serverPicture()).toEqual(await deskPicture());
  });
});
