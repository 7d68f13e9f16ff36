import pg from 'pg';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/services/core/log';
import { startTeamServer, type TeamServer } from '../../electron/team-server/app';
import { applyObject } from '../../electron/team-server/mirror/apply';
import type { StripeObjectLike } from '../../electron/team-server/mirror/rules';
import { PgMirrorTx } from '../../electron/team-server/stores/stripe-mirror';
import { teamState } from '../../electron/team-server/stores/team-state';
import type { DunningCaseRow, DunningCaseDetail } from '../../shared/contract/dunning';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, type TestAgent } from '../helpers/team-server';
import { startTestDesk, until, type TestDesk } from '../helpers/team-desk';
import { eventsOf, signedDelivery } from '../helpers/team-sync';

// The team server opens its dunning cases from its own Stripe mirror (no case is seeded on the
// server): invoices that failed on the loopback Stripe server before the team existed become cases
// through the backfill, with the amounts and decline categories a solo desk would show; later
// Stripe facts arrive as signed webhooks (the events poll is slowed down so it cannot be what
// applied them) and refresh, recover or close the cases, while what people decided (assignee,
// stage) survives and the history shows both. A desk replica shows it all in `dunning.list`.

const ACCOUNT = 'acct_1TeamCasesMirror01';
const WHSEC = 'whsec_teamCasesFromMirrorSecret0001';
let pgs: TestPostgres;
let stripe: StripeServer;
let server: TeamServer;
let pool: pg.Pool;
let lead: TestAgent;
let desk: TestDesk;

interface Failed {
  customerId: string;
  invoiceId: string;
}

/** A customer whose invoice of `amount` declined once with `decline`. */
function failedInvoice(name: string, amount: number, currency: string, decline: { declineCode: string; adviceCode?: string | null; code?: string }): Failed {
  const cus = stripe.store.createCustomer({ name, email: `${name.toLowerCase().replace(/\W/g, '.')}@example.com`, paymentMethod: 'pm_card_visa', currency });
  const inv = stripe.store.createInvoice({ customer: cus.id as string, amount, currency, autoAdvance: true });
  stripe.store.finalizeInvoice(inv.id as string);
  expect(() => stripe.store.payInvoice(inv.id as string, { forceDecline: decline })).toThrow();
  return { customerId: cus.id as string, invoiceId: inv.id as string };
}

/** Delivers what a Stripe change emitted to the webhook endpoint, signed (in order). */
async function viaWebhook(change: () => void): Promise<void> {
  for (const e of eventsOf(stripe, change)) {
    const d = signedDelivery(e, WHSEC);
    const res = await fetch(`${server.url}/stripe/webhook/${ACCOUNT}`, { method: 'POST', headers: { 'stripe-signature': d.signature, 'content-type': 'application/json' }, body: d.body });
    expect(res.status).toBe(200);
  }
}

/** Until the sync writer has applied every delivery (and the re-fetches that came with them). */
const writerIdle = () => until('the webhook inbox to drain', async () => (await pool.query('SELECT count(*)::int AS n FROM stripe_webhook_inbox WHERE account_id = $1', [ACCOUNT])).rows[0].n === 0);

const listed = async () => (await desk.call<{ rows: DunningCaseRow[] }>('dunning.list', { filters: { stages: ['new', 'contacted', 'awaiting_customer', 'recovered', 'lost'] }, limit: 1000 })).rows;
const rowOf = async (invoiceId: string) => (await listed()).find((r) => r.invoiceId === invoiceId);

let insufficient: Failed;
let lost: Failed;
let expiredYen: Failed;
let paidCustomer: string;

beforeAll(async () => {
  pgs = await startTestPostgres();
  stripe = await startStripeServer({ accountId: ACCOUNT });
  insufficient = failedInvoice('Ada Insufficient', 4200, 'usd', { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' });
  lost = failedInvoice('Lars Lost', 1500, 'eur', { declineCode: 'lost_card', adviceCode: 'do_not_try_again' });
  expiredYen = failedInvoice('Yoko Expired', 5000, 'jpy', { declineCode: 'expired_card', code: 'expired_card', adviceCode: 'confirm_card_data' });
  // Paid at the first try: never a case.
  const ok = stripe.store.createCustomer({ name: 'Paula Paid', paymentMethod: 'pm_card_visa' });
  const inv = stripe.store.createInvoice({ customer: ok.id as string, amount: 900, currency: 'usd', autoAdvance: true });
  stripe.store.payInvoice(inv.id as string);
  paidCustomer = ok.id as string;

  const databaseUrl = await pgs.newDatabase();
  server = await startTeamServer({
    env: {
      BSC_TEAM_LISTEN: '127.0.0.1:0',
      BSC_TEAM_SECRET: 'team-secret-for-case-tests-0123456789',
      STRIPE_SECRET_KEY: 'sk_test_teamCasesMirror01',
      STRIPE_API_BASE: stripe.url,
      STRIPE_WEBHOOK_SECRET: WHSEC,
      BSC_STRIPE_RATE: '1000',
      // The safety-net poll is slowed right down: what changes below came by webhook.
      BSC_TEAM_POLL_INTERVAL_MS: '600000',
    },
    databaseUrl,
    log: silentLogger,
    rateLimit: { perSecond: 2000, burst: 2000 },
  });
  pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  await until('the team backfill', async () => ((await (await fetch(`${server.url}/healthz`)).json()) as { accounts: Array<{ backfill_complete: boolean }> }).accounts[0]?.backfill_complete, 60_000);
  lead = await addAgent(server, 'Lena Lead', 'lead');
  desk = await startTestDesk(server.url, lead.token);
}, 120_000);

afterAll(async () => {
  await desk?.dispose();
  await pool?.end();
  await server?.stop();
  await stripe?.close();
  await pgs?.close();
});

describe('team server: dunning cases from its Stripe mirror', () => {
  it("the backfill opens a case per failed invoice; a desk's queue lists them with Stripe's amounts, categories and attempts", async () => {
    const rows = await until('three cases on the desk', async () => {
      const r = await listed();
      return r.length >= 3 && r.every((c) => c.declineCode) ? r : null;
    });
    const byInvoice = new Map(rows.map((r) => [r.invoiceId, r]));
    expect(rows).toHaveLength(3);
    expect(byInvoice.get(insufficient.invoiceId)).toMatchObject({ customerId: insufficient.customerId, customerName: 'Ada Insufficient', stage: 'new', amountAtRisk: 4200, currency: 'usd', declineCode: 'insufficient_funds', adviceCode: 'try_again_later', category: 'insufficient_funds', attemptCount: 1 });
    expect(byInvoice.get(lost.invoiceId)).toMatchObject({ stage: 'new', amountAtRisk: 1500, currency: 'eur', declineCode: 'lost_card', category: 'hard', attemptCount: 1 });
    expect(byInvoice.get(expiredYen.invoiceId)).toMatchObject({ stage: 'new', amountAtRisk: 5000, currency: 'jpy', declineCode: 'expired_card', category: 'expired_card' });
    expect(rows.some((r) => r.customerId === paidCustomer)).toBe(false);
    // The server holds the same cases (the desk did not derive them itself).
    const onServer = (await pool.query("SELECT invoice_id, amount_at_risk, category FROM dunning_cases WHERE account_id = $1 AND stage = 'new' ORDER BY invoice_id", [ACCOUNT])).rows;
    expect(onServer.map((r) => r.invoice_id).sort()).toEqual([insufficient.invoiceId, lost.invoiceId, expiredYen.invoiceId].sort());
  });

  it('an assignment and a stage move made before survive an invoice update and a new failed attempt; the case refreshes its attempts', async () => {
    const c = (await rowOf(insufficient.invoiceId))!;
    expect((await lead.call('dunning.assign', { caseIds: [c.id], assignee: 'Lena Lead' })).status).toBe(200);
    expect((await lead.call('dunning.setStage', { caseIds: [c.id], stage: 'contacted' })).status).toBe(200);

    await viaWebhook(() => stripe.store.updateInvoice(insufficient.invoiceId, { description: 'Renewal, second notice' }));
    await viaWebhook(() => expect(() => stripe.store.payInvoice(insufficient.invoiceId, { forceDecline: { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' } })).toThrow());

    const after = await until('the second attempt on the desk', async () => {
      const r = await rowOf(insufficient.invoiceId);
      return r && r.attemptCount === 2 ? r : null;
    });
    expect(after).toMatchObject({ id: c.id, stage: 'contacted', assignee: 'Lena Lead', amountAtRisk: 4200, category: 'insufficient_funds' });
    expect((await listed()).filter((r) => r.invoiceId === insufficient.invoiceId)).toHaveLength(1);
  });

  it('a payment recovers the case (paid wins over the stage a person set) and the history shows both', async () => {
    const c = (await rowOf(insufficient.invoiceId))!;
    await viaWebhook(() => stripe.store.payInvoice(insufficient.invoiceId));
    const recovered = await until('the recovery on the desk', async () => {
      const r = await rowOf(insufficient.invoiceId);
      return r?.stage === 'recovered' ? r : null;
    });
    expect(recovered).toMatchObject({ id: c.id, assignee: 'Lena Lead', recoveredAmount: 4200, closedReason: 'paid' });
    const detail = await until('the recovery in the history', async () => {
      const d = await desk.call<DunningCaseDetail>('dunning.get', { caseId: c.id });
      return d.history.some((h) => h.toStage === 'recovered') ? d : null;
    });
    const moves = detail.history.filter((h) => h.kind === 'stage').map((h) => `${h.actor}: ${h.fromStage} -> ${h.toStage}`);
    expect(moves).toEqual(expect.arrayContaining(['Lena Lead: new -> contacted', 'stripe: contacted -> recovered']));
  });

  it('a voided invoice closes its case as lost (voided); an invoice that is only updated opens nothing', async () => {
    await viaWebhook(() => stripe.store.voidInvoice(lost.invoiceId));
    const closed = await until('the voided case on the desk', async () => {
      const r = await rowOf(lost.invoiceId);
      return r?.stage === 'lost' ? r : null;
    });
    expect(closed.closedReason).toBe('voided');
    const paid = stripe.store.invoiceById(stripe.store.all('invoice').map((i) => i as unknown as Stripe.Invoice).find((i) => i.customer === paidCustomer)!.id!);
    await viaWebhook(() => stripe.store.updateInvoice(paid.id as string, { metadata: { touched: 'yes' } }));
    await until('the update in the mirror', async () => (await pool.query("SELECT 1 FROM stripe_objects WHERE id = $1 AND data->'metadata'->>'touched' = 'yes'", [paid.id])).rows.length > 0);
    expect((await pool.query('SELECT count(*)::int AS n FROM dunning_cases WHERE invoice_id = $1', [paid.id])).rows[0].n).toBe(0);
  });
  it('a stage move waiting while a mirror write derives the same case: both commit, no deadlock (every writer takes the feed lock before a case row)', async () => {
    let dora: Failed | undefined;
    await viaWebhook(() => (dora = failedInvoice('Dora Deadlock', 3100, 'usd', { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' })));
    const c = await until('the case of the new decline on the desk', async () => (await rowOf(dora!.invoiceId)) ?? null);
    await writerIdle();
    // A mirror write that has appended its objects (it holds the feed lock) and has yet to derive
    // the invoice's case.
    const mirror = await pool.connect();
    try {
      await mirror.query('BEGIN');
      const m = new PgMirrorTx(mirror, ACCOUNT, server.feed);
      await applyObject(m, { ...(stripe.store.all('customer').find((x) => x.id === dora!.customerId) as unknown as StripeObjectLike) }, stripe.clock.now() + 1, 'latest');
      await m.flush();
      const move = lead.call<{ ok: boolean }>('dunning.setStage', { caseIds: [c.id], stage: 'contacted' });
      await until('the stage move to wait', async () => (await pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows.length > 0);
      // Now the mirror derives the case (an updated invoice): it must not wait on the stage move.
      const applied = await applyObject(m, { ...(stripe.store.invoiceById(dora!.invoiceId) as unknown as StripeObjectLike), attempt_count: 2 }, stripe.clock.now() + 2, 'latest');
      expect(applied.applied).toBe(true);
      await m.flush();
      await mirror.query('COMMIT');
      const res = await move;
      expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true });
    } finally {
      mirror.release();
    }
    const after = (await pool.query('SELECT stage, attempt_count FROM dunning_cases WHERE id = $1', [c.id])).rows[0];
    expect(after).toEqual({ stage: 'contacted', attempt_count: 2 });
  });

  it("a retry whose payment reaches the mirror first (the server recovers the case from Stripe's fact) is still recorded and audited once", async () => {
    let rita: Failed | undefined;
    await viaWebhook(() => (rita = failedInvoice('Rita Retry', 2600, 'usd', { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' })));
    const c = await until('the case of the new decline on the desk', async () => (await rowOf(rita!.invoiceId)) ?? null);
    await writerIdle();
    // Hold the case as a mirror write does (the feed lock, then the case row), so the retry's
    // bookkeeping waits after Stripe has taken the payment; meanwhile the paid invoice reaches the
    // mirror in this transaction, as a webhook racing the retry would.
    const hold = await pool.connect();
    try {
      await hold.query('BEGIN');
      await teamState.casesForUpdate(hold, ACCOUNT, [c.id]);
      const retry = lead.call<{ result: string }>('dunning.retry', { caseId: c.id });
      await until('Stripe to take the payment', () => stripe.store.invoiceById(rita!.invoiceId).status === 'paid');
      await until('the retry to wait for the case', async () => (await pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows.length > 0);
      const m = new PgMirrorTx(hold, ACCOUNT, server.feed);
      const applied = await applyObject(m, stripe.store.invoiceById(rita!.invoiceId) as unknown as StripeObjectLike, stripe.clock.now() + 1, 'latest');
      expect(applied.applied).toBe(true);
      await m.flush();
      await hold.query('COMMIT');
      const res = await retry;
      expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true, value: { result: 'succeeded' } });
    } finally {
      hold.release();
    }
    const history = (await pool.query('SELECT actor, kind, to_stage, detail FROM dunning_history WHERE case_id = $1 ORDER BY id', [c.id])).rows;
    expect(history.filter((h) => h.to_stage === 'recovered')).toEqual([{ actor: 'stripe', kind: 'stage', to_stage: 'recovered', detail: 'paid' }]);
    expect(history.filter((h) => h.kind === 'retry')).toEqual([{ actor: 'Lena Lead', kind: 'retry', to_stage: null, detail: 'succeeded' }]);
    const audit = (await pool.query("SELECT actor, result FROM audit_log WHERE action = 'dunning.retry' AND target_id = $1", [rita!.invoiceId])).rows;
    expect(audit).toEqual([{ actor: 'Lena Lead', result: 'ok' }]);
  });

  it("a Stripe write to a case's invoice while a person's call holds the case waits for it, and both commit (no deadlock on the feed)", async () => {
    let tess: Failed | undefined;
    await viaWebhook(() => (tess = failedInvoice('Tess Timing', 3100, 'usd', { declineCode: 'insufficient_funds', adviceCode: 'try_again_later' })));
    const c = await until('the case of the decline on the desk', async () => (await rowOf(tess!.invoiceId)) ?? null);
    await until('the webhook inbox drained', async () => (await pool.query('SELECT count(*)::int AS n FROM stripe_webhook_inbox')).rows[0].n === 0);
    // A person's call holding the case as dunning.setStage does (the feed lock, then the case row);
    // its feed entry comes after.
    const person = await pool.connect();
    const mirror = await pool.connect();
    try {
      await person.query('BEGIN');
      const held = (await teamState.casesForUpdate(person, ACCOUNT, [c.id])).get(c.id)!;
      // Meanwhile Stripe's change to the invoice reaches the mirror, and its cases are derived.
      await mirror.query('BEGIN');
      const m = new PgMirrorTx(mirror, ACCOUNT, server.feed);
      stripe.store.updateInvoice(tess!.invoiceId, { metadata: { while: 'held' } });
      await applyObject(m, stripe.store.invoiceById(tess!.invoiceId) as unknown as StripeObjectLike, stripe.clock.now() + 1, 'latest');
      const flushed = m.flush().then(() => mirror.query('COMMIT'));
      await until('the mirror write to wait for the case', async () => (await pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows.length > 0);
      await server.feed.append(person, [{ accountId: ACCOUNT, entity: 'dunning_case', entityId: String(c.id), op: 'upsert', data: held }]);
      await person.query('COMMIT');
      await flushed;
    } finally {
      person.release();
      mirror.release();
    }
    expect((await pool.query("SELECT data->'metadata'->>'while' AS w FROM stripe_objects WHERE id = $1", [tess!.invoiceId])).rows[0].w).toBe('held');
  });
});
