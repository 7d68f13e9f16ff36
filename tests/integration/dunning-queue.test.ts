import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServices, type TestServices } from '../helpers/services';
import { DAY, StripeRows } from '../helpers/dunning-fixtures';
import { reconcileDunning } from '../../electron/services/dunning/reconcile';
import type { CallInput, CallName, CallOutput } from '../../shared/contract';

// The queue as a team lead uses it, through the handler table (the same calls the renderer makes).

describe('dunning queue', () => {
  let s: TestServices;
  const nowS = Math.floor(Date.now() / 1000);
  const call = async <N extends CallName>(name: N, input: CallInput<N>, actor = 'ana'): Promise<CallOutput<N>> => {
    const r = await s.table.dispatch(name, input, { actor });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as CallOutput<N>;
  };
  const fails = (name: CallName, input: unknown) => s.table.dispatch(name, input, { actor: 'ana' });
  const caseOf = (invoice: string) => (s.ctx.db.prepare('SELECT id FROM dunning_cases WHERE invoice_id = ?').get(invoice) as { id: number }).id;

  beforeAll(async () => {
    s = await testServices({ skipDemoSeed: true });
    const rows = new StripeRows(s.ctx.db, 'demo', nowS);
    const spec: Array<[string, string, number, string, string | null, number, number]> = [
      // invoice, customer, amount (minor), currency, decline, days ago, attempts
      ['in_usd1', 'cus_ann', 120_00, 'usd', 'insufficient_funds', 2, 2],
      ['in_usd2', 'cus_bob', 49_00, 'usd', 'lost_card', 10, 1],
      ['in_usd3', 'cus_cat', 300_00, 'usd', 'authentication_required', 40, 4],
      ['in_jpy1', 'cus_dan', 15_000, 'jpy', 'expired_card', 5, 3],
      ['in_eur1', 'cus_eve', 80_00, 'eur', 'do_not_honor', 1, 1],
      ['in_kwd1', 'cus_fay', 1_500, 'kwd', null, 20, 1],
    ];
    for (const [inv, cus, amount, currency, decline, daysAgo, attempts] of spec) {
      rows.customer(cus, { name: cus === 'cus_eve' ? 'Eve, "the" Customer' : undefined, email: `${cus.slice(4)}@example.com`, defaultPm: `pm_${cus.slice(4)}` });
      rows.invoice(inv, {
        customer: cus,
        amountDue: amount,
        currency,
        attemptCount: attempts,
        nextPaymentAttempt: cus === 'cus_ann' ? nowS + DAY : cus === 'cus_eve' ? nowS + 3 * DAY : null,
        failures: [{ declineCode: decline, code: 'card_declined', created: nowS - daysAgo * DAY - 3600, paymentMethod: `pm_${cus.slice(4)}` }],
      });
    }
    // One recovered and one lost case for the metrics.
    rows.customer('cus_gus');
    rows.invoice('in_rec1', { customer: 'cus_gus', amountDue: 60_00, failures: [{ declineCode: 'insufficient_funds', created: nowS - 6 * DAY }] });
    rows.invoice('in_lost1', { customer: 'cus_gus', amountDue: 25_00, failures: [{ declineCode: 'stolen_card', created: nowS - 12 * DAY }] });
    reconcileDunning(s.ctx, 'demo');
    rows.invoice('in_rec1', { customer: 'cus_gus', amountDue: 60_00, status: 'paid', paidAt: nowS - 2 * DAY, failures: [{ declineCode: 'insufficient_funds', created: nowS - 6 * DAY }] });
    rows.invoice('in_lost1', { customer: 'cus_gus', amountDue: 25_00, status: 'void', failures: [{ declineCode: 'stolen_card', created: nowS - 12 * DAY }] });
    reconcileDunning(s.ctx, 'demo');
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('lists open cases by amount at risk (compared in each currency\'s major units), with totals per currency', async () => {
    const page = await call('dunning.list', {});
    // ¥15,000 > $300 > $120 > €80 > $49 > KWD 1.500: major units, not minor (KWD 1.500 is 1500 minor units)
    expect(page.rows.map((r) => r.invoiceId)).toEqual(['in_jpy1', 'in_usd3', 'in_usd1', 'in_eur1', 'in_usd2', 'in_kwd1']);
    expect(page.total).toBe(6);
    expect(page.totals).toEqual([
      { currency: 'usd', amount: 469_00, count: 3 },
      { currency: 'eur', amount: 80_00, count: 1 },
      { currency: 'jpy', amount: 15_000, count: 1 },
      { currency: 'kwd', amount: 1_500, count: 1 },
    ]);
    const ann = page.rows.find((r) => r.customerId === 'cus_ann')!;
    expect(ann).toMatchObject({ customerEmail: 'ann@example.com', amountAtRisk: 120_00, currency: 'usd', attemptCount: 2, category: 'insufficient_funds', stage: 'new', daysInDunning: 2, nextPaymentAttempt: nowS + DAY });
  });

  it('filters by stage, category, currency, amount range, age, assignee and text', async () => {
    const ids = async (filters: CallInput<'dunning.list'>['filters']) => (await call('dunning.list', { filters })).rows.map((r) => r.invoiceId).sort();
    expect(await ids({ categories: ['hard', 'authentication'] })).toEqual(['in_usd2', 'in_usd3']);
    expect(await ids({ currency: 'USD' })).toEqual(['in_usd1', 'in_usd2', 'in_usd3']);
    // 100 means $100 or ¥100 or KWD 100: ¥15,000 is over 100, KWD 1.500 is not
    expect(await ids({ amountMin: 100 })).toEqual(['in_jpy1', 'in_usd1', 'in_usd3']);
    expect(await ids({ amountMin: 50, amountMax: 150 })).toEqual(['in_eur1', 'in_usd1']);
    expect(await ids({ minAgeDays: 10 })).toEqual(['in_kwd1', 'in_usd2', 'in_usd3']);
    expect(await ids({ maxAgeDays: 2 })).toEqual(['in_eur1', 'in_usd1']);
    expect(await ids({ query: 'dan@' })).toEqual(['in_jpy1']);
    expect(await ids({ query: 'INV-USD2' })).toEqual(['in_usd2']);
    expect(await ids({ query: '100%_' })).toEqual([]);
    expect(await ids({ categories: ['unknown'] })).toEqual(['in_kwd1']);
    expect(await ids({ stages: ['recovered', 'lost'] })).toEqual(['in_lost1', 'in_rec1']);
    expect(await ids({ assignee: null })).toHaveLength(6);
  });

  it('sorts by age, attempts and next retry (cases without a retry last), and pages', async () => {
    const order = async (sort: CallInput<'dunning.list'>['sort']) => (await call('dunning.list', { sort })).rows.map((r) => r.invoiceId);
    expect(await order({ by: 'age', dir: 'desc' })).toEqual(['in_usd3', 'in_kwd1', 'in_usd2', 'in_jpy1', 'in_usd1', 'in_eur1']);
    expect((await order({ by: 'attempts', dir: 'desc' })).slice(0, 2)).toEqual(['in_usd3', 'in_jpy1']);
    expect((await order({ by: 'next_retry', dir: 'asc' })).slice(0, 2)).toEqual(['in_usd1', 'in_eur1']);
    expect((await order({ by: 'next_retry', dir: 'desc' })).slice(0, 2)).toEqual(['in_eur1', 'in_usd1']);
    const p1 = await call('dunning.list', { limit: 4 });
    const p2 = await call('dunning.list', { limit: 4, offset: 4 });
    expect([...p1.rows, ...p2.rows].map((r) => r.invoiceId)).toEqual(['in_jpy1', 'in_usd3', 'in_usd1', 'in_eur1', 'in_usd2', 'in_kwd1']);
    expect(p2.total).toBe(6);
  });

  it('refuses bad filters with a typed error', async () => {
    expect(await fails('dunning.list', { filters: { amountMin: 10, amountMax: 5 } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await fails('dunning.list', { filters: { currency: 'dollars' } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await fails('dunning.list', { filters: { stages: ['paid'] } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await fails('dunning.list', { sort: { by: 'amount; DROP TABLE dunning_cases' } })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await fails('dunning.setStage', { caseIds: [caseOf('in_usd1')], stage: 'recovered' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('bulk-assigns, with one audit row per case changed, and filters by assignee', async () => {
    const ids = [caseOf('in_usd1'), caseOf('in_eur1')];
    expect(await call('dunning.assign', { caseIds: ids, assignee: 'Priya' })).toEqual({ updated: ids });
    expect(await call('dunning.assign', { caseIds: ids, assignee: 'Priya' })).toEqual({ updated: [] });
    const audit = s.ctx.db.prepare(`SELECT actor, target_id, params_json, result FROM audit_log WHERE action = 'dunning.assign' ORDER BY id`).all();
    expect(audit).toEqual(ids.map((id) => ({ actor: 'ana', target_id: String(id), params_json: JSON.stringify({ from: null, to: 'Priya' }), result: 'ok' })));
    expect((await call('dunning.list', { filters: { assignee: 'priya' } })).rows.map((r) => r.invoiceId).sort()).toEqual(['in_eur1', 'in_usd1']);
    expect(await call('dunning.assignees', {})).toEqual(['agent', 'Priya']);
    expect(await fails('dunning.assign', { caseIds: [999_999], assignee: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('marks cases contacted in bulk; a refused move says why and is audited too', async () => {
    const ids = [caseOf('in_usd2'), caseOf('in_usd3'), caseOf('in_rec1')];
    const r = await call('dunning.setStage', { caseIds: ids, stage: 'contacted' });
    expect(r.moved).toEqual([ids[0], ids[1]]);
    expect(r.refused).toEqual([{ caseId: ids[2], reason: expect.stringMatching(/closed \(recovered\)/) }]);
    const audit = s.ctx.db.prepare(`SELECT target_id, result, error_message FROM audit_log WHERE action = 'dunning.stage' AND target_id IN (?, ?, ?) ORDER BY id`).all(...ids.map(String));
    expect(audit).toEqual([
      { target_id: String(ids[0]), result: 'ok', error_message: null },
      { target_id: String(ids[1]), result: 'ok', error_message: null },
      { target_id: String(ids[2]), result: 'error', error_message: expect.stringMatching(/closed/) },
    ]);
    const detail = await call('dunning.get', { caseId: ids[0]! });
    expect(detail.stage).toBe('contacted');
    expect(detail.history[0]).toMatchObject({ actor: 'ana', kind: 'stage', fromStage: 'new', toStage: 'contacted' });
  });

  it('explains the case: decline and advice in words, retry eligibility, notes', async () => {
    const id = caseOf('in_usd1');
    await call('dunning.addNote', { caseId: id, body: 'Customer says payday is Friday.' });
    const d = await call('dunning.get', { caseId: id });
    expect(d).toMatchObject({
      declineCode: 'insufficient_funds',
      declineExplanation: 'The card has insufficient funds to complete the purchase.',
      retry: { allowed: true, reason: null, paymentMethodChanged: false },
      notes: [{ body: 'Customer says payday is Friday.', author: 'ana' }],
      noteCount: 1,
    });
    const hard = await call('dunning.get', { caseId: caseOf('in_usd2') });
    expect(hard.retry).toEqual({ allowed: false, paymentMethodChanged: false, reason: expect.stringMatching(/lost_card.*payment-method-update link/) });
  });

  it('exports the filtered queue as CSV with a header row and proper quoting', async () => {
    const out = await call('dunning.exportCsv', { filters: { currency: 'eur' } });
    expect(out.rows).toBe(1);
    expect(out.filename).toMatch(/^dunning-\d{12}\.csv$/);
    const [header, line, end] = out.csv.split('\r\n');
    expect(header).toBe('invoice,customer,email,amount_due,currency,attempt_count,next_payment_attempt,decline_code,category,stage,assignee,case_id,customer_name,amount_at_risk,advice_code,days_in_dunning,opened_at');
    expect(line).toBe(`in_eur1,cus_eve,eve@example.com,8000,eur,1,${nowS + 3 * DAY},do_not_honor,soft,new,Priya,${caseOf('in_eur1')},"Eve, ""the"" Customer",8000,,1,${new Date((nowS - DAY - 3600) * 1000).toISOString()}`);
    expect(end).toBe('');
  });

  it('saves, lists, replaces and deletes views', async () => {
    const v = await call('dunning.views.save', { name: 'Hard declines', filters: { categories: ['hard', 'authentication'] }, sort: { by: 'age', dir: 'desc' } });
    expect(v).toMatchObject({ name: 'Hard declines', filters: { categories: ['hard', 'authentication'] }, sort: { by: 'age', dir: 'desc' }, createdBy: 'ana' });
    const again = await call('dunning.views.save', { name: 'hard declines', filters: { categories: ['hard'] }, sort: { by: 'amount', dir: 'desc' } });
    expect(again.id).toBe(v.id);
    expect(await call('dunning.views.list', {})).toEqual([expect.objectContaining({ id: v.id, name: 'Hard declines', filters: { categories: ['hard'] } })]);
    expect(await call('dunning.views.delete', { id: v.id })).toEqual({ deleted: true });
    expect(await call('dunning.views.list', {})).toEqual([]);
  });

  it('sends payment-method-update links through the portal service (simulated in the demo)', async () => {
    const ids = [caseOf('in_usd1'), caseOf('in_jpy1')];
    const r = await call('dunning.sendPortalLinks', { caseIds: [...ids, 424_242] });
    expect(r.sent.map((x) => [x.caseId, x.customerId, x.simulated])).toEqual([
      [ids[0], 'cus_ann', true],
      [ids[1], 'cus_dan', true],
    ]);
    expect(r.sent[0]!.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/demo_/);
    expect(r.failed).toEqual([{ caseId: 424_242, message: expect.stringMatching(/No dunning case/) }]);
    const links = s.ctx.db.prepare("SELECT customer_id, flow, simulated FROM portal_links WHERE customer_id IN ('cus_ann', 'cus_dan') ORDER BY customer_id").all();
    expect(links).toEqual([
      { customer_id: 'cus_ann', flow: 'payment_method_update', simulated: 1 },
      { customer_id: 'cus_dan', flow: 'payment_method_update', simulated: 1 },
    ]);
  });

  it('simulates a retry in the demo workspace and says so; refuses a hard decline', async () => {
    const r = await call('dunning.retry', { caseId: caseOf('in_usd1') });
    expect(r).toMatchObject({ result: 'simulated', message: expect.stringMatching(/demo workspace/) });
    const audit = s.ctx.db.prepare(`SELECT result, idempotency_key FROM audit_log WHERE action = 'dunning.retry' ORDER BY id DESC LIMIT 1`).get() as { result: string; idempotency_key: string };
    expect(audit.result).toBe('simulated');
    expect(audit.idempotency_key).toMatch(/^dunning-retry:demo:case\d+:in_usd1:a2:r0:pm_ann$/);
    const refused = await fails('dunning.retry', { caseId: caseOf('in_usd2') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/lost_card/), details: { category: 'hard' } } });
    const auth = await fails('dunning.retry', { caseId: caseOf('in_usd3') });
    expect(auth).toMatchObject({ ok: false, error: { code: 'refused', message: expect.stringMatching(/authenticate/) } });
    expect(await fails('dunning.retry', { caseId: caseOf('in_rec1') })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('computes metrics per currency: at risk, recovered, recovery rate by cohort, per category, time to recover', async () => {
    const m = await call('dunning.metrics', {});
    expect(m.atRisk).toEqual([
      { currency: 'usd', amount: 469_00, count: 3 },
      { currency: 'jpy', amount: 15_000, count: 1 },
      { currency: 'eur', amount: 80_00, count: 1 },
      { currency: 'kwd', amount: 1_500, count: 1 },
    ]);
    expect(m.recovered30).toEqual([{ currency: 'usd', amount: 60_00, count: 1 }]);
    expect(m.recovered90).toEqual([{ currency: 'usd', amount: 60_00, count: 1 }]);
    // usd cases opened in the last 30 days: 120 + 49 + 60 + 25 = 254 entered, 60 recovered (in_usd3 opened 40 days ago)
    expect(m.recoveryRate30.find((r) => r.currency === 'usd')).toEqual({ currency: 'usd', entered: 254_00, recovered: 60_00, rate: 60_00 / 254_00, cases: 4 });
    expect(m.recoveryRate90.find((r) => r.currency === 'usd')).toMatchObject({ entered: 554_00, recovered: 60_00, cases: 5 });
    expect(m.byCategory.find((c) => c.category === 'insufficient_funds' && c.currency === 'usd')).toMatchObject({ openCases: 1, atRisk: 120_00, entered: 180_00, recovered: 60_00, recoveredCases: 1, lostCases: 0, rate: 60_00 / 180_00 });
    expect(m.byCategory.find((c) => c.category === 'hard' && c.currency === 'usd')).toMatchObject({ openCases: 1, lostCases: 1 });
    expect(m.timeToRecover).toMatchObject({ cases: 1, medianSeconds: 4 * DAY, p90Seconds: 4 * DAY });
    expect(m.timeToRecover.buckets.find((b) => b.label === '3–7 days')?.count).toBe(1);
  });
});
