import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamServer } from '../../electron/team-server/app';
import { openDunningCase } from '../../electron/team-server/calls/dunning';
import { inTransaction } from '../../electron/team-server/db';
import { stripeChange } from '../../electron/team-server/stores/feed';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { addAgent, startTestTeamServer, TEAM_ACCOUNT, type TestAgent } from '../helpers/team-server';
import { entryKey, FeedFollower } from '../helpers/feed-follower';

// Acceptance (issue 13, feed): any interleaving of Stripe changes and team writes by several
// agents (some refused by their role, several at once) → a follower that starts from a snapshot
// taken at any moment and then follows the feed (pages of any size, a prune on the way) ends
// equal to the server's tables.

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

// The Stripe mirror stands in for team-sync's: a table written in the same transaction as its feed entry.
async function stripeWrite(s: TeamServer, obj: { id: string; object: string; deleted?: boolean; [k: string]: unknown }): Promise<void> {
  await inTransaction(s.pool, async (tx) => {
    // The feed entry first: its append lock then also orders the table writes. Appended after the
    // write, a delete whose DELETE ran before a concurrent insert of the same id committed (and so
    // removed nothing) could still take a later seq than that insert, and the follower would drop an
    // object the table keeps. The real mirror has one writer per account; this stand-in has many.
    await s.feed.append(tx, [stripeChange(TEAM_ACCOUNT, obj)]);
    if (obj.deleted) await tx.query('DELETE FROM test_mirror WHERE id = $1', [obj.id]);
    else await tx.query('INSERT INTO test_mirror (id, object, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET data = excluded.data', [obj.id, obj.object, JSON.stringify(obj)]);
  });
}

/** The server's truth, read from its tables (not from the feed), keyed like the follower's state. */
async function serverState(s: TeamServer): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  const q = async (entity: string, sql: string) => {
    for (const r of (await s.pool.query(sql)).rows) out.set(entryKey(r.account, entity, String(r.id)), r.data);
  };
  await q('note', `SELECT account_id AS account, id, json_build_object('id', id, 'accountId', account_id, 'customerId', customer_id, 'dunningCaseId', dunning_case_id, 'body', body, 'author', author, 'authorAgentId', author_agent_id, 'createdAt', created_at_ms, 'updatedAt', updated_at_ms) AS data FROM team_notes`);
  await q('dunning_case', `SELECT account_id AS account, id, json_build_object('id', id, 'accountId', account_id, 'customerId', customer_id, 'invoiceId', invoice_id, 'subscriptionId', subscription_id, 'stage', stage, 'assignee', assignee, 'assigneeAgentId', assignee_agent_id, 'amountAtRisk', amount_at_risk, 'currency', currency, 'failureMark', failure_mark, 'declineCode', decline_code, 'category', category, 'openedAt', opened_at, 'stageChangedAt', stage_changed_at, 'closedAt', closed_at, 'closedReason', closed_reason, 'recoveredAmount', recovered_amount, 'attemptCount', attempt_count, 'nextPaymentAttempt', next_payment_attempt, 'adviceCode', advice_code, 'lastFailureAt', last_failure_at, 'enteredAmount', entered_amount, 'paymentMethodAtDecline', payment_method_at_decline) AS data FROM dunning_cases`);
  await q('dunning_history', `SELECT c.account_id AS account, h.id, json_build_object('id', h.id, 'caseId', h.case_id, 'at', h.at_ms, 'actor', h.actor, 'actorAgentId', h.actor_agent_id, 'kind', h.kind, 'fromStage', h.from_stage, 'toStage', h.to_stage, 'detail', h.detail) AS data FROM dunning_history h JOIN dunning_cases c ON c.id = h.case_id`);
  await q('saved_view', `SELECT account_id AS account, id, json_build_object('id', id, 'name', name, 'filters', filters, 'sort', sort, 'createdBy', created_by, 'updatedAt', updated_at_ms) AS data FROM saved_views`);
  for (const r of (await s.pool.query('SELECT id, object, data FROM test_mirror')).rows) out.set(entryKey(TEAM_ACCOUNT, `stripe.${r.object}`, r.id), r.data);
  return out;
}

const sorted = (m: Map<string, unknown>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

type Op =
  | { kind: 'stripe'; id: number; amount: number; del: boolean }
  | { kind: 'note'; who: number; customer: number }
  | { kind: 'editNote'; who: number; pick: number }
  | { kind: 'stage'; who: number; cases: number[]; stage: 'new' | 'contacted' | 'awaiting_customer' | 'lost' }
  | { kind: 'assign'; who: number; cases: number[]; to: number | null }
  | { kind: 'caseNote'; who: number; pick: number }
  | { kind: 'saveView'; who: number; name: number }
  | { kind: 'deleteView'; who: number; pick: number };

const who = fc.integer({ min: 0, max: 2 });
const someCases = fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('stripe' as const), id: fc.integer({ min: 0, max: 5 }), amount: fc.integer({ min: 0, max: 10_000 }), del: fc.boolean() }),
  fc.record({ kind: fc.constant('note' as const), who, customer: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('editNote' as const), who, pick: fc.nat() }),
  fc.record({ kind: fc.constant('stage' as const), who, cases: someCases, stage: fc.constantFrom('new' as const, 'contacted' as const, 'awaiting_customer' as const, 'lost' as const) }),
  fc.record({ kind: fc.constant('assign' as const), who, cases: someCases, to: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }) }),
  fc.record({ kind: fc.constant('caseNote' as const), who, pick: fc.nat() }),
  fc.record({ kind: fc.constant('saveView' as const), who, name: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('deleteView' as const), who, pick: fc.nat() }),
);

async function run(s: TeamServer, agents: TestAgent[], caseIds: number[], op: Op, counter: { n: number }): Promise<void> {
  const a = 'who' in op ? agents[op.who] : agents[0];
  switch (op.kind) {
    case 'stripe':
      return stripeWrite(s, op.del ? { id: `cus_${op.id}`, object: 'customer', deleted: true } : { id: `cus_${op.id}`, object: 'customer', balance: op.amount, v: counter.n++ });
    case 'note':
      await a.call('notes.add', { customerId: `cus_${op.customer}`, body: `note ${counter.n++}` });
      return;
    case 'editNote': {
      const ids = (await s.pool.query('SELECT id FROM team_notes ORDER BY id')).rows.map((r) => r.id as number);
      if (ids.length) await a.call('notes.update', { noteId: ids[op.pick % ids.length], body: `edited ${counter.n++}` });
      return;
    }
    case 'stage':
      await a.call('dunning.setStage', { caseIds: op.cases.map((i) => caseIds[i]), stage: op.stage });
      return;
    case 'assign':
      await a.call('dunning.assign', { caseIds: op.cases.map((i) => caseIds[i]), assignee: op.to === null ? null : agents[op.to].name });
      return;
    case 'caseNote':
      await a.call('dunning.addNote', { caseId: caseIds[op.pick % caseIds.length], body: `case note ${counter.n++}` });
      return;
    case 'saveView':
      await a.call('dunning.views.save', { name: `View ${op.name}`, filters: { amountMin: counter.n++ }, sort: { by: 'amount', dir: 'desc' } });
      return;
    case 'deleteView': {
      const ids = (await s.pool.query('SELECT id FROM saved_views ORDER BY id')).rows.map((r) => r.id as number);
      if (ids.length) await a.call('dunning.views.delete', { id: ids[op.pick % ids.length] });
      return;
    }
  }
}

describe('team feed: a follower from any snapshot ends equal to the server', () => {
  it('holds for random interleavings of Stripe changes and team writes by three agents', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 7 }),
        async (batches, snapshotAt, pruneAt, pageSize) => {
          const s = await startTestTeamServer(await pgs.newDatabase(), { rateLimit: { perSecond: 1000, burst: 1000 } });
          try {
            await s.pool.query('CREATE TABLE test_mirror (id text PRIMARY KEY, object text NOT NULL, data jsonb NOT NULL)');
            const agents = [await addAgent(s, 'Ana', 'agent'), await addAgent(s, 'Lee', 'lead'), await addAgent(s, 'Ada', 'admin')];
            const caseIds: number[] = [];
            for (let i = 0; i < 4; i++) {
              const c = await inTransaction(s.pool, (tx) => openDunningCase(tx, s.feed, { accountId: TEAM_ACCOUNT, customerId: `cus_${i}`, invoiceId: `in_${i}`, subscriptionId: null, amountAtRisk: 1000 * (i + 1), currency: 'usd', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: 1_700_000_000 }));
              caseIds.push(c.id);
            }
            const follower = new FeedFollower(s.url, agents[0].token);
            const counter = { n: 0 };
            const snapBatch = snapshotAt % (batches.length + 1);
            const pruneBatch = pruneAt % (batches.length + 1);
            for (let b = 0; b <= batches.length; b++) {
              if (b === snapBatch) await follower.takeSnapshot();
              if (b === pruneBatch) await s.feed.prune(Math.floor((await s.feed.head()) / 2));
              if (b === batches.length) break;
              // A batch runs at once: writes by several agents interleave in the database, and the
              // follower (once started) reads a page meanwhile.
              await Promise.all([...batches[b].map((op) => run(s, agents, caseIds, op, counter)), follower.snapshots > 0 ? follower.step(pageSize) : Promise.resolve(false)]);
            }
            await follower.catchUp(pageSize);
            expect(sorted(follower.state)).toEqual(sorted(await serverState(s)));
          } finally {
            await s.stop();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
