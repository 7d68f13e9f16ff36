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
import { isOpenDunningStage, type DunningStage } from '../../shared/contract/dunning';

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

/**
 * A customer with a monthly subscription that Stripe moved to `status` with no open invoice (its
 * latest invoice was paid): a subscription-only case on both sides when past_due or unpaid.
 */
function subscriptionWithoutOpenInvoice(name: string, status: 'past_due' | 'unpaid' | 'active'): string {
  const cus = stripe.store.createCustomer({ name, paymentMethod: 'pm_card_visa' });
  const product = stripe.store.createProduct({ name: `${name} plan` });
  const price = stripe.store.createPrice({ product: product.id as string, unitAmount: 4900, currency: 'usd', interval: 'month' });
  const sub = stripe.store.createSubscription({ customer: cus.id as string, items: [{ price: price.id as string, quantity: 2 }] });
  setSubscriptionStatus(sub.id as string, status);
  return sub.id as string;
}

/** Stripe's own status change (dunning settings, a dashboard action): the store's internal setter, which emits the event. */
function setSubscriptionStatus(id: string, status: string): void {
  stripe.clock.advance(60);
  (stripe.store as unknown as { setSubscription(id: string, patch: Record<string, unknown>): unknown }).setSubscription(id, { status });
}

beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: ACCOUNT });
  seedAccount(stripe.store, { customers: 30, seed: 21 });
  churn(0, 150);
  failures();
  subscriptionWithoutOpenInvoice('Sub Past Due', 'past_due');
  subscriptionWithoutOpenInvoice('Sub Unpaid', 'unpaid');
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
    const subscriptionOnly = r.invoice_id == null;
    // A closed subscription-only case is an episode only the side that watched it knows: the desk
    // replaying the final objects at once sees an active or canceled subscription, and (unlike
    // settled invoices) no rule turns that into a past case.
    if (subscriptionOnly && !isOpenDunningStage(r.stage as DunningStage)) continue;
    // A subscription-only case (no invoice) by its subject, which names the subscription and its latest invoice.
    const key = String(r.invoice_id ?? r.subject);
    // A closed case keeps the failure picture it closed with; one derived later from the final
    // objects (the desk replaying the whole mirror at once) sees the attempts made after it. So
    // only an open case's picture must equal the current facts; a closed one, how it closed.
    const open = isOpenDunningStage(r.stage as DunningStage);
    const fields = open
      ? [r.stage, r.amount_at_risk, r.entered_amount, r.currency, r.category, r.decline_code, r.advice_code, r.attempt_count, r.next_payment_attempt, r.failure_mark, r.subscription_id,
         // Without a failed attempt, Stripe's objects do not say when a subscription went past_due:
         // each side dates the case at the Stripe time it first saw it.
         subscriptionOnly && r.last_failure_at == null ? 'first seen' : r.opened_at, r.last_failure_at]
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
    return picture(db.prepare('SELECT * FROM dunning_cases WHERE account_id = ? ORDER BY id').all(ACCOUNT) as Array<Record<string, unknown>>);
  } finally {
    db.close();
  }
}

describe('team cases equal a solo desk’s', () => {
  it('after the backfill of a seeded account', async () => {
    const onServer = await serverPicture();
    expect(Object.keys(onServer).length).toBeGreaterThan(3);
    expect(Object.keys(onServer).filter((k) => k.startsWith('subscription:'))).toHaveLength(2);
    expect(onServer).toEqual(await deskPicture());
  });

  it('after random Stripe changes applied by the events poll', async () => {
    const before = await serverPicture();
    churn(1000, 120);
    const later = subscriptionWithoutOpenInvoice('Sub Past Due Later', 'past_due');
    // The poll has caught up when the mirror equals the Stripe server again.
    await until('the poll to catch up', async () => (await diffMirrorWithServer(pool, stripe.store, ACCOUNT)).snapshot.length === 0, 60_000);
    expect(await serverPicture()).not.toEqual(before);
    const after = await serverPicture();
    expect(Object.keys(after).some((k) => k.startsWith(`subscription:${later}:`))).toBe(true);
    expect(after).toEqual(await deskPicture());
  });

  it('a subscription-only case recovers when Stripe makes the subscription active again, and a canceled one is lost', async () => {
    const back = subscriptionWithoutOpenInvoice('Sub Comes Back', 'past_due');
    const gone = subscriptionWithoutOpenInvoice('Sub Canceled', 'unpaid');
    const caseOf = async (sub: string) => (await pool.query('SELECT stage, closed_reason, recovered_amount, invoice_id FROM dunning_cases WHERE account_id = $1 AND subscription_id = $2', [ACCOUNT, sub])).rows;
    await until('the two subscription-only cases', async () => (await caseOf(back)).length === 1 && (await caseOf(gone)).length === 1, 60_000);
    expect(await caseOf(back)).toEqual([{ stage: 'new', closed_reason: null, recovered_amount: 0, invoice_id: null }]);
    setSubscriptionStatus(back, 'active');
    stripe.store.cancelSubscription(gone);
    await until('both to close', async () => (await caseOf(back))[0].stage !== 'new' && (await caseOf(gone))[0].stage !== 'new', 60_000);
    expect(await caseOf(back)).toEqual([{ stage: 'recovered', closed_reason: 'subscription_active', recovered_amount: 9800, invoice_id: null }]);
    expect(await caseOf(gone)).toMatchObject([{ stage: 'lost', invoice_id: null }]);
  });

  it("the subscription's next invoice that fails adopts its open subscription-only case (one case, a person's stage kept)", async () => {
    const sub = subscriptionWithoutOpenInvoice('Sub Then Invoice', 'past_due');
    const cases = async () => (await pool.query('SELECT id, stage, invoice_id, decline_code FROM dunning_cases WHERE account_id = $1 AND subscription_id = $2 ORDER BY id', [ACCOUNT, sub])).rows;
    await until('the subscription-only case', async () => (await cases()).length === 1, 60_000);
    const [only] = await cases();
    await pool.query("UPDATE dunning_cases SET stage = 'contacted' WHERE id = $1", [only.id]);
    stripe.store.setCustomerDecline(stripe.store.subscriptionById(sub).customer as string, { declineCode: 'insufficient_funds' });
    stripe.clock.advance(60);
    stripe.store.renewSubscription(sub);
    const invoiceId = stripe.store.subscriptionById(sub).latest_invoice as string;
    expect(stripe.store.invoiceById(invoiceId).status).toBe('open');
    await until('the invoice to adopt the case', async () => (await cases())[0]?.invoice_id === invoiceId, 60_000);
    expect(await cases()).toEqual([{ id: only.id, stage: 'contacted', invoice_id: invoiceId, decline_code: 'insufficient_funds' }]);
  });
});
