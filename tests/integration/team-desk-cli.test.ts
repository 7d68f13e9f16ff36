import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { addAgent, type TestAgent } from '../helpers/team-server';
import { tempDir } from '../helpers/services';
import { startSyncedTeam, startTestDesk, type SyncedTeam } from '../helpers/team-desk';
import type { TeamServer } from '../../electron/team-server/app';
import type { StripeServer } from '../stripe-server';

// The CLI of a team desk (BSC_TEAM_URL + BSC_TEAM_TOKEN) and of a solo desk: sync pulls the
// team's snapshot and feed (no Stripe request), note add / dunning assign / dunning stage go to
// the team server under the token's agent, customer --json lists notes with their authors. And
// no Stripe or model key is anywhere a team desk writes: cache file, logs, output.

const ACCOUNT = 'acct_1TeamDeskCli00001';
const KEY = 'sk_test_teamDeskCliKey0001';
const MODEL_KEY = 'sk-model-key-of-the-team-0001';
const LEFTOVER_STRIPE = 'sk_test_leftoverOnTheDesk0001';
const LEFTOVER_MODEL = 'sk-leftover-model-key-on-desk-0001';
let team: SyncedTeam;
let stripe: StripeServer;
let server: TeamServer;
let lead: TestAgent;
let ari: TestAgent;
let dir: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('bsc-team-cli-'));
  team = await startSyncedTeam({ accountId: ACCOUNT, stripeKey: KEY, customers: 12, seed: 3, env: { OPENAI_API_KEY: MODEL_KEY } });
  ({ stripe, server } = team);
  lead = await addAgent(server, 'Lena Lead', 'lead');
  ari = await addAgent(server, 'Ari Agent', 'agent');
}, 120_000);

afterAll(async () => {
  await team?.stop();
  cleanup?.();
});

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out, err, json: () => JSON.parse(out[out.length - 1]!) };
}

const customers = () => stripe.store.all('customer').map((c) => (c as { id: string }).id);

describe('team desk CLI', () => {
  it('sync pulls the snapshot and the feed (source team, seq); note add, dunning assign and stage go to the team server; customer --json lists notes with authors', async () => {
    const db = path.join(dir, 'lead.db');
    const env = { BSC_TEAM_URL: server.url, BSC_TEAM_TOKEN: lead.token };
    const requestsBefore = stripe.requests.length;
    const first = await cli(['sync', '--db', db, '--json'], env);
    expect(first.code, first.err.join('\n')).toBe(0);
    expect(first.json()).toMatchObject({ customers: customers().length, source: 'team', requests: 0 });
    expect(first.json().seq).toBeGreaterThan(0);
    // Nothing asked of Stripe for the desk: the only requests meanwhile are the team server's own
    // events poll, which runs on its schedule (its first one can follow the backfill at any moment).
    expect(stripe.requests.slice(requestsBefore).filter((r) => r.path !== '/v1/events')).toEqual([]);

    const [customer] = customers();
    const note = await cli(['note', 'add', customer, 'Spoke', 'to', 'the', 'finance', 'team', '--db', db, '--json'], env);
    expect(note.code, note.err.join('\n')).toBe(0);
    expect(note.json()).toMatchObject({ customer, author: 'Lena Lead', pending: false });

    await inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: ACCOUNT, customerId: customer, invoiceId: 'in_cli_case', subscriptionId: null, amountAtRisk: 990, currency: 'eur', failureMark: 1, declineCode: 'expired_card', category: 'expired_card', openedAt: 1_800_000_000 }));
    const assign = await cli(['dunning', 'assign', 'in_cli_case', 'Ari', 'Agent', '--db', db, '--json'], env);
    expect(assign.code, assign.err.join('\n')).toBe(0);
    expect(assign.json()).toMatchObject({ assignee: 'Ari Agent', changed: true });
    const stage = await cli(['dunning', 'stage', 'in_cli_case', 'contacted', '--db', db, '--json'], env);
    expect(stage.code, stage.err.join('\n')).toBe(0);
    expect(stage.json()).toMatchObject({ stage: 'contacted', moved: true });
    const { rows } = await server.pool.query("SELECT stage, assignee FROM dunning_cases WHERE invoice_id = 'in_cli_case'");
    expect(rows).toEqual([{ stage: 'contacted', assignee: 'Ari Agent' }]);

    const again = await cli(['sync', '--db', db, '--json'], env);
    expect(again.json().seq).toBeGreaterThan(first.json().seq);
    const shown = await cli(['customer', customer, '--db', db, '--json'], env);
    expect(shown.code, shown.err.join('\n')).toBe(0);
    expect(shown.json().notes).toEqual([expect.objectContaining({ body: 'Spoke to the finance team', author: 'Lena Lead' })]);
    expect(shown.json().dunning.cases).toEqual([expect.objectContaining({ stage: 'contacted', assignee: 'Ari Agent' })]);
  });

  it('dunning assign by agent id (agt_…) on a team desk: the server assigns that agent and the CLI names them, not the id', async () => {
    const db = path.join(dir, 'lead-by-id.db');
    const env = { BSC_TEAM_URL: server.url, BSC_TEAM_TOKEN: lead.token };
    const [, customer] = customers();
    await inTransaction(server.pool, (tx) => openDunningCase(tx, server.feed, { accountId: ACCOUNT, customerId: customer!, invoiceId: 'in_cli_by_id', subscriptionId: null, amountAtRisk: 1_250, currency: 'usd', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: 1_800_000_100 }));
    const assign = await cli(['dunning', 'assign', 'in_cli_by_id', ari.id, '--db', db, '--json'], env);
    expect(assign.code, assign.err.join('\n')).toBe(0);
    expect(assign.json()).toMatchObject({ assignee: 'Ari Agent', assignee_agent_id: ari.id, changed: true });
    const human = await cli(['dunning', 'assign', 'in_cli_by_id', ari.id, '--db', db], env);
    expect(human.code, human.err.join('\n')).toBe(0);
    expect(human.out.join('\n')).toContain('already assigned to Ari Agent');
    const { rows } = await server.pool.query("SELECT assignee, assignee_agent_id FROM dunning_cases WHERE invoice_id = 'in_cli_by_id'");
    expect(rows).toEqual([{ assignee: 'Ari Agent', assignee_agent_id: ari.id }]);
    const unknown = await cli(['dunning', 'assign', 'in_cli_by_id', 'agt_doesnotexist0000', '--db', db], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toMatch(/No active agent called "agt_doesnotexist0000"/);
  });

  it('an unknown stage and a plain-http team server on another computer are refused in words (exit 2)', async () => {
    const db = path.join(dir, 'refused.db');
    const plain = await cli(['sync', '--db', db, '--json'], { BSC_TEAM_URL: 'http://10.1.2.3:8787', BSC_TEAM_TOKEN: lead.token });
    expect(plain.code).toBe(2);
    expect(plain.err.join('\n')).toMatch(/Plain http:\/\/ is only allowed for a team server on this computer/);
    expect(fs.existsSync(db)).toBe(false);
    const half = await cli(['sync', '--db', db], { BSC_TEAM_URL: server.url });
    expect(half.code).toBe(2);
    expect(half.err.join('\n')).toMatch(/BSC_TEAM_TOKEN is not/);
    const badStage = await cli(['dunning', 'stage', 'in_x', 'paid', '--db', db], { BSC_TEAM_URL: server.url, BSC_TEAM_TOKEN: lead.token });
    expect(badStage.code).toBe(2);
    expect(badStage.err.join('\n')).toMatch(/unknown stage "paid"/);
  });

  it('solo desk: note add, dunning assign and dunning stage on the demo cache; customer --json lists the note with its author', async () => {
    const db = path.join(dir, 'solo.db');
    expect((await cli(['demo', '--db', db, '--customers', '40'], {})).code).toBe(0);
    const queue = await cli(['dunning', '--db', db, '--json'], {});
    const open = (JSON.parse(queue.out[queue.out.length - 1]!) as Array<{ invoice: string; customer: string; stage: string }>).find((r) => r.invoice?.startsWith('in_') && r.stage === 'new')!;
    expect(open).toBeDefined();
    expect((await cli(['note', 'add', open.customer, 'Solo note', '--db', db], {})).code).toBe(0);
    const assign = await cli(['dunning', 'assign', open.invoice, 'Sam', '--db', db, '--json'], {});
    expect(assign.code, assign.err.join('\n')).toBe(0);
    const stage = await cli(['dunning', 'stage', open.invoice, 'contacted', '--db', db, '--json'], {});
    expect(stage.code, stage.err.join('\n')).toBe(0);
    const shown = await cli(['customer', open.customer, '--db', db, '--json'], {});
    expect(shown.json().notes).toEqual([expect.objectContaining({ body: 'Solo note', author: 'agent' })]);
    expect(shown.json().dunning.cases).toEqual(expect.arrayContaining([expect.objectContaining({ invoice_id: open.invoice, stage: 'contacted', assignee: 'Sam' })]));
  });

  it('no Stripe or model key in a team desk: not in its cache file, its logs or its answers, even with keys left in its environment', async () => {
    const d = await startTestDesk(server.url, lead.token, { follow: false, env: { STRIPE_SECRET_KEY: LEFTOVER_STRIPE, OPENAI_API_KEY: LEFTOVER_MODEL, STRIPE_API_BASE: stripe.url } });
    try {
      await d.desk.replica.pull();
      const [customer] = customers();
      const answers = [
        JSON.stringify(await d.call('customers.get', { customerId: customer })),
        JSON.stringify(await d.call('workspace.get', {}).catch((e) => String(e))),
        JSON.stringify(await d.call('copilot.settings.get', {}).catch((e) => String(e))),
        JSON.stringify(await d.call('notes.add', { customerId: customer, body: 'scan' })),
      ].join('\n');
      // A key pasted on a team desk goes to the team server, which refuses a lead in words; the desk keeps it nowhere.
      await expect(d.call('workspace.setStripeKey', { key: LEFTOVER_STRIPE })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/needs an admin/) });
      await d.close();
      const files = fs.readdirSync(d.dir).map((f) => fs.readFileSync(path.join(d.dir, f)).toString('latin1'));
      const haystacks = [...files, d.logLines.join('\n'), answers];
      for (const secret of [KEY, MODEL_KEY, LEFTOVER_STRIPE, LEFTOVER_MODEL, lead.token]) {
        for (const h of haystacks) expect(h.includes(secret), `a key found in a team desk's ${h.length} bytes`).toBe(false);
      }
      // The scan does look at the data: what the desk replicated is in its cache file.
      expect(files.join('').includes(customer)).toBe(true);
    } finally {
      fs.rmSync(d.dir, { recursive: true, force: true });
    }
  });
});
