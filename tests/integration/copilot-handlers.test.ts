import { afterEach, describe, expect, it } from 'vitest';
import type { UIMessageChunk } from 'ai';
import { copilotFixture, dataOf, textOf, type CopilotFixture } from '../helpers/copilot';
import { OTHER_CUSTOMER, SCENARIO_CUSTOMERS } from '../../electron/services/copilot/eval/fixtures';
import type { CopilotAction, CopilotAnalysis, CopilotConfirmResult, CopilotSettingsView, KbArticle, KbHit } from '../../shared/contract/copilot';
import type { CopilotChunk } from '../../shared/contract/streams';

// The copilot's calls through the handler table, as the app and the harness make them: the
// no-model stream (with resume), confirming proposals through the portal and notes services
// (audit, idempotency), settings that never return the key, and the knowledge-base calls.

let fx: CopilotFixture | null = null;
afterEach(async () => {
  await fx?.dispose();
  fx = null;
});

async function call<T>(f: CopilotFixture, name: string, input: unknown): Promise<T> {
  const r = await f.services.table.dispatch(name, input, { actor: 'ana' });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}

async function failure(f: CopilotFixture, name: string, input: unknown) {
  const r = await f.services.table.dispatch(name, input, { actor: 'ana' });
  expect(r.ok).toBe(false);
  return (r as { error: { code: string; message: string } }).error;
}

function count(f: CopilotFixture, sql: string, ...params: unknown[]): number {
  return (f.services.ctx.db.prepare(sql).get(...params) as { n: number }).n;
}

describe('copilot handlers (no model configured)', () => {
  it('streams a labelled template draft grounded in the data; a late subscriber resumes from any position', async () => {
    const f = (fx = await copilotFixture());
    const { streamId } = await call<{ streamId: string }>(f, 'copilot.chat', { customerId: SCENARIO_CUSTOMERS.soft_decline, messages: [{ role: 'user', text: 'my card keeps failing' }] });
    const chunks = await f.collect(streamId);
    expect(dataOf<{ kind: string }>(chunks, 'data-notice')[0]).toMatchObject({ kind: 'no_model' });
    expect(dataOf(chunks, 'data-understanding')[0]).toMatchObject({ intent: 'payment_failed', mode: 'rules' });
    const text = textOf(chunks);
    expect(text).toMatch(/^Hi Grace,/);
    expect(text).toContain('$99.00 for invoice COBL-2002 [in_EvalS2002]');
    expect(text).toContain('June 18, 2025');
    expect(chunks.filter((c) => c.type === 'text-delta').length).toBeGreaterThan(20);
    const all = await call<{ chunks: CopilotChunk[]; done: boolean }>(f, 'copilot.resume', { streamId, fromSeq: 0 });
    expect(all.done).toBe(true);
    expect(all.chunks.map((c) => c.seq)).toEqual(all.chunks.map((_, i) => i));
    const tail = await call<{ chunks: CopilotChunk[] }>(f, 'copilot.resume', { streamId, fromSeq: 5 });
    expect(tail.chunks[0]!.seq).toBe(5);
    expect(await call(f, 'copilot.cancel', { streamId })).toEqual({ cancelled: false });
    expect(await failure(f, 'copilot.resume', { streamId: 'cs_doesnotexist00', fromSeq: 0 })).toMatchObject({ code: 'not_found' });
  });

  it('refuses a turn that does not end with the agent, and an unknown customer, in words', async () => {
    const f = (fx = await copilotFixture());
    expect(await failure(f, 'copilot.chat', { customerId: SCENARIO_CUSTOMERS.healthy, messages: [{ role: 'assistant', text: 'hi' }] })).toMatchObject({ code: 'bad_input' });
    expect(await failure(f, 'copilot.analyze', { customerId: 'cus_NotInTheCache1', message: 'hello' })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/No customer cus_NotInTheCache1/) });
    expect(await failure(f, 'copilot.chat', { customerId: 'not-an-id', messages: [{ role: 'user', text: 'x' }] })).toMatchObject({ code: 'bad_input' });
  });

  it('confirming a proposed portal link creates it through the portal service, audited once, idempotent', async () => {
    const f = (fx = await copilotFixture());
    const a = await call<CopilotAnalysis>(f, 'copilot.analyze', { customerId: SCENARIO_CUSTOMERS.hard_decline, message: 'Why was my payment declined?' });
    const link = a.actions.find((x) => x.type === 'send_portal_link') as CopilotAction;
    expect(link).toMatchObject({ args: { flow: 'payment_method_update' }, status: 'proposed', requiresConfirmation: true });
    expect(count(f, 'SELECT COUNT(*) AS n FROM audit_log')).toBe(0);

    const done = await call<CopilotConfirmResult>(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.hard_decline, proposalId: link.proposalId });
    expect(done).toMatchObject({ status: 'confirmed', alreadyDone: false, portalLink: { flow: 'payment_method_update', simulated: true, url: expect.stringMatching(/^https:\/\/billing\.stripe\.com\/p\/session\/demo_/) } });
    const audit = f.services.ctx.db.prepare('SELECT actor, action, result, target_id, idempotency_key FROM audit_log ORDER BY id').all();
    expect(audit).toEqual([
      { actor: 'ana', action: 'portal.create_link', result: 'simulated', target_id: SCENARIO_CUSTOMERS.hard_decline, idempotency_key: `copilot-${link.proposalId}` },
      { actor: 'ana', action: 'copilot.confirm', result: 'simulated', target_id: SCENARIO_CUSTOMERS.hard_decline, idempotency_key: link.proposalId },
    ]);
    expect(count(f, 'SELECT COUNT(*) AS n FROM portal_links WHERE customer_id = ?', SCENARIO_CUSTOMERS.hard_decline)).toBe(1);

    // A double click, or two windows: the same link, nothing runs twice.
    const again = await Promise.all([1, 2].map(() => call<CopilotConfirmResult>(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.hard_decline, proposalId: link.proposalId })));
    expect(again.every((r) => r.alreadyDone && r.portalLink?.url === done.portalLink?.url)).toBe(true);
    expect(count(f, 'SELECT COUNT(*) AS n FROM audit_log')).toBe(2);
    expect(count(f, 'SELECT COUNT(*) AS n FROM portal_links')).toBe(1);

    // Only for the customer it was proposed for.
    expect(await failure(f, 'copilot.confirmAction', { customerId: OTHER_CUSTOMER.id, proposalId: link.proposalId })).toMatchObject({ code: 'not_found' });
    expect(await failure(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.hard_decline, proposalId: 'prop_madeUpByTheRenderer' })).toMatchObject({ code: 'not_found' });
  });

  it('a dismissed proposal cannot be confirmed; a refund escalation becomes a note for the billing team', async () => {
    const f = (fx = await copilotFixture());
    const a = await call<CopilotAnalysis>(f, 'copilot.analyze', { customerId: SCENARIO_CUSTOMERS.healthy, message: 'Please refund invoice ACME-1002' });
    const refund = a.actions[0]!;
    expect(refund).toMatchObject({ type: 'escalate_refund', args: { invoiceId: 'in_EvalH1002' } });
    const copy = await call<CopilotAnalysis>(f, 'copilot.analyze', { customerId: SCENARIO_CUSTOMERS.healthy, message: 'Please refund invoice ACME-1002' });
    expect(await call(f, 'copilot.dismissAction', { customerId: SCENARIO_CUSTOMERS.healthy, proposalId: copy.actions[0]!.proposalId })).toEqual({ proposalId: copy.actions[0]!.proposalId, status: 'dismissed' });
    expect(await failure(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.healthy, proposalId: copy.actions[0]!.proposalId })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/dismissed/) });

    const done = await call<CopilotConfirmResult>(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.healthy, proposalId: refund.proposalId });
    expect(done.message).toMatch(/escalated/);
    const note = f.services.ctx.db.prepare('SELECT body, author FROM notes WHERE customer_id = ?').get(SCENARIO_CUSTOMERS.healthy) as { body: string; author: string };
    expect(note).toMatchObject({ author: 'ana', body: expect.stringContaining('in_EvalH1002') });
    expect(f.services.ctx.db.prepare('SELECT action FROM audit_log ORDER BY id').all()).toEqual([{ action: 'note.add' }, { action: 'copilot.confirm' }]);
  });

  it('confirming a retry of a soft decline goes through the retry service (simulated in the demo)', async () => {
    const f = (fx = await copilotFixture());
    const a = await call<CopilotAnalysis>(f, 'copilot.analyze', { customerId: SCENARIO_CUSTOMERS.soft_decline, message: 'I added funds, please try the payment again' });
    const retry = a.actions.find((x) => x.type === 'retry_payment')!;
    expect(retry).toMatchObject({ args: { invoiceId: 'in_EvalS2002' }, status: 'proposed' });
    const done = await call<CopilotConfirmResult>(f, 'copilot.confirmAction', { customerId: SCENARIO_CUSTOMERS.soft_decline, proposalId: retry.proposalId });
    expect(done).toMatchObject({ status: 'confirmed', type: 'retry_payment', message: expect.stringMatching(/[Ss]imulated/) });
    expect(count(f, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'copilot.confirm' AND result = 'simulated'")).toBe(1);
  });
});

describe('copilot settings and knowledge base calls', () => {
  it('stores the model key without ever returning it', async () => {
    const f = (fx = await copilotFixture());
    const key = 'sk-proj-SettingsKeyNeverReturned1234567890';
    const initial = await call<CopilotSettingsView>(f, 'copilot.settings.get', {});
    expect(initial).toMatchObject({ provider: 'none', configured: false, keySet: false });
    const local = await call<CopilotSettingsView>(f, 'copilot.settings.set', { provider: 'compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1' });
    expect(local).toMatchObject({ provider: 'compatible', configured: true, api: 'chat' });
    const withKey = await call<CopilotSettingsView>(f, 'copilot.settings.setKey', { key });
    expect(withKey).toMatchObject({ keySet: true, keyHint: '7890', keyPersistent: false });
    const outputs = JSON.stringify([withKey, await call(f, 'copilot.settings.get', {})]);
    expect(outputs).not.toContain(key);
    expect(f.services.ctx.secrets.get('openai_key')).toBe(key);
    expect(JSON.stringify(f.services.ctx.db.prepare('SELECT * FROM settings').all()) + JSON.stringify(f.services.ctx.db.prepare('SELECT * FROM audit_log').all())).not.toContain(key);
    expect(await call<CopilotSettingsView>(f, 'copilot.settings.clearKey', {})).toMatchObject({ keySet: false, keyHint: null });
    expect(await failure(f, 'copilot.settings.set', { provider: 'compatible', baseUrl: 'file:///etc/passwd', model: 'x' })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/http\(s\) URL/) });
    expect(await failure(f, 'copilot.settings.test', {})).toMatchObject({ code: 'offline' });
  });

  it('searches and opens the sample knowledge base; a missing folder is a clear error', async () => {
    const f = (fx = await copilotFixture());
    const hits = await call<KbHit[]>(f, 'kb.search', { query: 'card reported stolen new payment method', limit: 3 });
    expect(hits[0]).toMatchObject({ ref: 'kb:retries', via: ['keyword'] });
    const article = await call<KbArticle>(f, 'kb.get', { ref: 'kb:cancellation' });
    expect(article.body).toMatch(/90 days/);
    expect(await failure(f, 'kb.get', { ref: 'kb:nope' })).toMatchObject({ code: 'not_found' });
    expect(await failure(f, 'kb.import', { folder: '/definitely/not/here' })).toMatchObject({ code: 'bad_input', message: expect.stringMatching(/There is no folder/) });
    expect(await call(f, 'kb.status', {})).toMatchObject({ documents: 6, vectorSearch: false });
  });

  it('every draft citation opens something real (an object of this customer or an article)', async () => {
    const f = (fx = await copilotFixture());
    for (const [scenario, message] of [['healthy', 'why was I charged $49 yesterday'], ['expired_card', 'I want to cancel'], ['soft_decline', 'refund the May payment please']] as const) {
      const a = await call<CopilotAnalysis>(f, 'copilot.analyze', { customerId: SCENARIO_CUSTOMERS[scenario], message, length: 'long' });
      const refs = [...a.draft.text.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(0);
      expect(a.draft.citations.map((c) => c.ref).sort()).toEqual([...new Set(refs)].sort());
      for (const c of a.draft.citations) if (c.kind === 'kb') await call(f, 'kb.get', { ref: c.ref });
    }
  });
});

export type { UIMessageChunk };
