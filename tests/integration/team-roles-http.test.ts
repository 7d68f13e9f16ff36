import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { isWriteCall, ROLES, type Role } from '../../electron/team-server/roles';
import { TeamCallTable } from '../../electron/team-server/calls/table';
import { silentLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';

// Every write call × every role through the server: allowed calls change data (and the feed);
// refused ones answer 403 in words and change nothing at all. Allowed calls this server cannot
// finish (no Stripe key, no BSC_TEAM_SECRET) stop after the role check, in words.

let pgs: TestPostgres;
let server: TeamServer;
const as: Record<Role, TestAgent> = {} as Record<Role, TestAgent>;
beforeAll(async () => {
  pgs = await startTestPostgres();
  server = await startTestTeamServer(await pgs.newDatabase(), { rateLimit: { perSecond: 1000, burst: 1000 } });
  for (const r of ROLES) as[r] = await addAgent(server, `The ${r}`, r);
});
afterAll(async () => {
  await server?.stop();
  await pgs?.close();
});

async function newCase(category = 'soft'): Promise<number> {
  const c = await inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: TEAM_ACCOUNT, customerId: 'cus_R', invoiceId: 'in_R', subscriptionId: null, amountAtRisk: 500, currency: 'usd', failureMark: 1, declineCode: category === 'hard' ? 'stolen_card' : 'card_declined', category, openedAt: 1_700_000_000 }));
  return c.id;
}

/** Everything a write could touch: if a refused call moved any of it, the test sees it. */
/** A copy of the sample knowledge base with one article made unique, so an import always changes something. */
function kbCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-kb-'));
  fs.cpSync(path.resolve(import.meta.dirname, '../../resources/kb'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'unique.md'), `# Unique\n\nMade for one test: ${Math.random()}.\n`);
  return dir;
}

async function fingerprint(): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await server.pool.query(sql)).rows);
  return [await q('SELECT max(seq) FROM feed_entries'), await q('SELECT * FROM dunning_cases ORDER BY id'), await q('SELECT * FROM team_notes ORDER BY id'), await q('SELECT * FROM saved_views ORDER BY id'), await q('SELECT count(*) FROM dunning_history'), await q('SELECT * FROM team_settings ORDER BY key'), await q('SELECT count(*) FROM portal_links'), await q('SELECT ref, content_hash FROM kb_documents ORDER BY ref'), await q('SELECT id, status FROM copilot_proposals ORDER BY id')].join('\n');
}

let proposals = 0;
/** A proposal of `author`'s desk copilot, brought to the server as a desk does before it confirms. */
async function proposal(author: TestAgent, type: string, args: Record<string, string | null>): Promise<{ customerId: string; proposalId: string }> {
  const proposalId = `prop_roles${String(++proposals).padStart(6, '0')}`;
  const res = await fetch(`${server.url}/v1/copilot/proposals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${author.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ proposalId, customerId: 'cus_R', type, args: { invoiceId: null, subscriptionId: null, flow: null, retryAt: null, ...args }, title: 't', reason: 'r', source: 'state' }),
  });
  expect(res.status).toBe(200);
  return { customerId: 'cus_R', proposalId };
}

type Row = { call: string; least: Role; input: (author: TestAgent) => Promise<unknown>; served: boolean; /** Allowed by role but stopped after the role check: no Stripe on this server, or the retry policy. */ stops?: 'no_stripe' | 'policy' | 'per_case' | 'not_in_mirror' | 'no_secret' | 'no_key_held'; /** Allowed and changes nothing (an export). */ reads?: boolean };

const ROWS: Row[] = [
  { call: 'notes.add', least: 'agent', served: true, input: async () => ({ customerId: 'cus_R', body: 'hello' }) },
  {
    call: 'notes.update',
    least: 'agent',
    served: true,
    // Each role edits a note of its own (editing someone else's is the separate author rule).
    input: async (author) => {
      const r = await author.call<{ id: number }>('notes.add', { customerId: 'cus_R', body: 'own' });
      return { noteId: r.body.ok ? r.body.value.id : 0, body: 'edited' };
    },
  },
  { call: 'dunning.addNote', least: 'agent', served: true, input: async () => ({ caseId: await newCase(), body: 'case note' }) },
  { call: 'dunning.setStage', least: 'agent', served: true, input: async () => ({ caseIds: [await newCase()], stage: 'awaiting_customer' }) },
  { call: 'dunning.setStage', least: 'lead', served: true, input: async () => ({ caseIds: [await newCase()], stage: 'lost' }) },
  { call: 'dunning.setStage', least: 'lead', served: true, input: async () => ({ caseIds: [await newCase(), await newCase()], stage: 'contacted' }) },
  { call: 'dunning.assign', least: 'lead', served: true, input: async () => ({ caseIds: [await newCase()], assignee: 'The agent' }) },
  { call: 'dunning.views.save', least: 'lead', served: true, input: async () => ({ name: `View ${Math.random()}`, filters: {}, sort: { by: 'amount', dir: 'desc' } }) },
  {
    call: 'dunning.views.delete',
    least: 'lead',
    served: true,
    input: async () => {
      const r = await as.admin.call<{ id: number }>('dunning.views.save', { name: `Doomed ${Math.random()}`, filters: {}, sort: {} });
      return { id: r.body.ok ? r.body.value.id : 0 };
    },
  },
  { call: 'portal.createLink', least: 'agent', served: true, stops: 'no_stripe', input: async () => ({ customerId: 'cus_R', flow: 'home', returnUrl: 'https://example.com/back' }) },
  { call: 'dunning.retry', least: 'agent', served: true, stops: 'no_stripe', input: async () => ({ caseId: await newCase('soft') }) },
  { call: 'dunning.retry', least: 'lead', served: true, stops: 'policy', input: async () => ({ caseId: await newCase('hard') }) },
  { call: 'dunning.sendPortalLinks', least: 'agent', served: true, stops: 'per_case', input: async () => ({ caseIds: [await newCase()] }) },
  { call: 'dunning.sendPortalLinks', least: 'lead', served: true, stops: 'per_case', input: async () => ({ caseIds: [await newCase(), await newCase()] }) },
  { call: 'portal.settings.set', least: 'admin', served: true, input: async () => ({ returnUrl: `https://example.com/${Math.random()}` }) },
  // A confirmed copilot action needs the role of the call it runs (copilot-actions.ts).
  { call: 'copilot.confirmAction', least: 'agent', served: true, stops: 'no_stripe', input: (author) => proposal(author, 'send_portal_link', {}) },
  { call: 'copilot.confirmAction', least: 'lead', served: true, stops: 'policy', input: async (author) => proposal(author, 'retry_payment', { invoiceId: 'in_R' }).then(async (p) => (await newCase('hard'), p)) },
  { call: 'copilot.confirmAction', least: 'lead', served: true, stops: 'not_in_mirror', input: (author) => proposal(author, 'cancel_subscription', { subscriptionId: 'sub_R' }) },
  { call: 'copilot.dismissAction', least: 'agent', served: true, input: (author) => proposal(author, 'send_portal_link', {}) },
  { call: 'dunning.exportCsv', least: 'lead', served: true, reads: true, input: async () => ({}) },
  { call: 'portal.configurations.create', least: 'admin', served: true, stops: 'no_stripe', input: async () => ({ name: 'x', features: {} }) },
  { call: 'portal.configurations.update', least: 'admin', served: true, stops: 'no_stripe', input: async () => ({ id: 'bpc_Roles0001', name: 'y' }) },
  // This server has no BSC_TEAM_SECRET and no Stripe key: key calls stop after the role check, in words.
  { call: 'workspace.setStripeKey', least: 'admin', served: true, stops: 'no_secret', input: async () => ({ key: 'sk_test_rolesTable00000001' }) },
  { call: 'workspace.clearStripeKey', least: 'admin', served: true, stops: 'no_key_held', input: async () => ({ accountId: TEAM_ACCOUNT }) },
  { call: 'copilot.settings.set', least: 'admin', served: true, input: async () => ({ provider: 'compatible', baseUrl: 'http://127.0.0.1:9/v1', model: `m${Math.random()}` }) },
  { call: 'copilot.settings.setKey', least: 'admin', served: true, stops: 'no_secret', input: async () => ({ key: 'sk-roles-table-model-key' }) },
  { call: 'copilot.settings.clearKey', least: 'admin', served: true, input: async () => ({}) },
  { call: 'sync.start', least: 'admin', served: true, reads: true, input: async () => ({}) },
  // The first admin import writes the articles; later ones find them unchanged (fingerprint: the audit-free tables), so each role gets a fresh copy.
  { call: 'kb.import', least: 'admin', served: true, input: async () => ({ folder: kbCopy() }) },
];

describe('team server: write call × role', () => {
  for (const row of ROWS) {
    for (const role of ROLES) {
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(row.least);
      it(`${row.call} (needs ${row.least}) as ${role}: ${allowed ? (row.served ? 'done' : 'not served yet') : 'refused, nothing changed'}`, async () => {
        const input = await row.input(as[role]);
        const before = await fingerprint();
        const r = await as[role].call(row.call, input);
        if (!allowed) {
          expect(r.status).toBe(403);
          expect(r.body.ok).toBe(false);
          expect(!r.body.ok && r.body.error.message).toMatch(/^Refused: .+ needs (a team lead|an admin) \(or higher\); you are (an agent|a team lead)\.$/);
          expect(await fingerprint()).toBe(before);
        } else if (row.stops === 'no_stripe') {
          expect(r.status).toBe(503);
          expect(!r.body.ok && r.body.error.message).toMatch(/no Stripe key/);
        } else if (row.stops === 'per_case') {
          // Bulk sends report each case: here every one fails in words (no return URL or Stripe on this server).
          expect(r.status).toBe(200);
          const v = r.body.ok ? (r.body.value as { sent: unknown[]; failed: Array<{ message: string }> }) : { sent: [1], failed: [] };
          expect(v.sent).toEqual([]);
          expect(v.failed.length).toBeGreaterThan(0);
          for (const f of v.failed) expect(f.message).toMatch(/No return URL|no Stripe key/);
        } else if (row.stops === 'no_secret') {
          expect(r.status).toBe(503);
          expect(!r.body.ok && r.body.error.message).toMatch(/only encrypted with BSC_TEAM_SECRET, which is not set/);
          expect(await fingerprint()).toBe(before);
        } else if (row.stops === 'no_key_held') {
          expect(r.status).toBe(404);
          expect(!r.body.ok && r.body.error.message).toBe(`The team server holds no Stripe key for ${TEAM_ACCOUNT}. Nothing was changed.`);
        } else if (row.stops === 'not_in_mirror') {
          expect(r.status).toBe(404);
          expect(!r.body.ok && r.body.error.message).toMatch(/is not one of this customer's on the team server\. Nothing was done\.$/);
        } else if (row.stops === 'policy') {
          expect(r.status).toBe(422);
          expect(!r.body.ok && r.body.error.message).toMatch(/^Retry refused: the card was declined with "stolen_card"/);
        } else if (row.served) {
          expect(r.body).toMatchObject({ ok: true });
          expect(r.status).toBe(200);
          if (row.reads) expect(await fingerprint()).toBe(before);
          else expect(await fingerprint()).not.toBe(before);
        } else {
          // Zod may refuse the made-up input first; either way nothing is served or changed.
          expect([400, 404]).toContain(r.status);
          expect(await fingerprint()).toBe(before);
        }
      });
    }
  }

  it('covers every served write call', () => {
    const inTable = new Set(ROWS.filter((r) => r.served).map((r) => r.call));
    const servedWrites = new TeamCallTable(silentLogger, new Redactor()).served().filter(isWriteCall);
    expect(new Set(servedWrites)).toEqual(inTable);
  });
});
