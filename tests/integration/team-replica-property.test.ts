import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAccount } from '../../electron/services/stripe/ingest';
import { TeamReplica } from '../../electron/services/team/replica';
import type { TeamClient, WireEntry } from '../../electron/services/team/team-client';
import { replicatedTables } from '../helpers/team-desk';
import { testServices, type TestServices } from '../helpers/services';

// The replica applies feed entries in batches that may overlap: a live stream re-sends what a
// catch-up page already applied, a reconnect starts from an older position, a page and a live
// batch race. Property: however the feed is cut into (overlapping, repeated) batches, the desk
// ends with the same rows as applying every entry once, in order, and its seq is the last one.

const ACCOUNT = 'acct_1ReplicaProperty001';
const open: TestServices[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

async function replicaDesk(): Promise<{ s: TestServices; replica: TeamReplica }> {
  const s = await testServices({ skipDemoSeed: true });
  open.push(s);
  ensureAccount(s.ctx.db, { id: ACCOUNT, name: 'Team', livemode: false, isDemo: false });
  s.ctx.db.prepare('INSERT INTO team_replica (account_id, server_url) VALUES (?, ?)').run(ACCOUNT, 'http://127.0.0.1:1');
  return { s, replica: new TeamReplica(s.ctx, {} as TeamClient, ACCOUNT) };
}

type Op = { kind: 'customer' | 'note' | 'case' | 'history' | 'view' | 'delete_note' | 'delete_view'; n: number };

/** A feed the server could have written: every entity upserted before it is referenced or deleted. */
function feedOf(ops: Op[]): WireEntry[] {
  const entries: WireEntry[] = [];
  let seq = 0;
  const add = (entity: string, id: string, op: 'upsert' | 'delete', data: unknown) => entries.push({ seq: ++seq, account: ACCOUNT, entity, id, op, data });
  const cases = new Set<number>();
  add('stripe.customer', 'cus_0', 'upsert', { id: 'cus_0', object: 'customer', name: 'Zero', email: 'zero@example.com', created: 1_700_000_000, livemode: false, metadata: {}, balance: 0, delinquent: false });
  for (const o of ops) {
    const id = (o.n % 5) + 1;
    switch (o.kind) {
      case 'customer':
        add('stripe.customer', `cus_${id}`, 'upsert', { id: `cus_${id}`, object: 'customer', name: `Name ${o.n}`, email: `c${id}@example.com`, created: 1_700_000_000, livemode: false, metadata: {}, balance: o.n, delinquent: false });
        break;
      case 'case':
        cases.add(id);
        add('dunning_case', String(id), 'upsert', { id, accountId: ACCOUNT, customerId: 'cus_0', invoiceId: `in_${id}`, subscriptionId: null, stage: ['new', 'contacted', 'awaiting_customer'][o.n % 3], assignee: o.n % 2 ? 'Ana' : null, assigneeAgentId: o.n % 2 ? 'agt_1' : null, amountAtRisk: 100 * o.n, currency: 'usd', failureMark: 1, declineCode: 'insufficient_funds', category: 'insufficient_funds', openedAt: 1_700_000_000, stageChangedAt: 1_700_000_000 + o.n, closedAt: null, closedReason: null, recoveredAmount: 0 });
        break;
      case 'history':
        if (cases.has(id)) add('dunning_history', String(seq + 1), 'upsert', { id: seq + 1, caseId: id, at: o.n, actor: 'Ana', actorAgentId: 'agt_1', kind: 'stage', fromStage: 'new', toStage: 'contacted', detail: null });
        break;
      case 'note':
        add('note', String(id), 'upsert', { id, accountId: ACCOUNT, customerId: 'cus_0', dunningCaseId: cases.has(id) ? id : null, body: `note ${o.n}`, author: 'Ana', authorAgentId: 'agt_1', createdAt: 1, updatedAt: o.n });
        break;
      case 'delete_note':
        add('note', String(id), 'delete', null);
        break;
      case 'view':
        add('saved_view', String(id), 'upsert', { id, name: `View ${id}`, filters: { stages: ['new'] }, sort: { by: 'amount', dir: 'desc' }, createdBy: 'Ana', updatedAt: o.n });
        break;
      case 'delete_view':
        add('saved_view', String(id), 'delete', null);
        break;
    }
  }
  return entries;
}

const opArb = fc.record({ kind: fc.constantFrom<Op['kind']>('customer', 'note', 'case', 'history', 'view', 'delete_note', 'delete_view'), n: fc.nat(1000) });

describe('team replica: overlapping and repeated batches', () => {
  it('any cutting of the feed into overlapping batches ends equal to applying each entry once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.array(fc.tuple(fc.nat(60), fc.nat(12)), { minLength: 1, maxLength: 25 }), async (ops, cuts) => {
        const feed = feedOf(ops);
        const once = await replicaDesk();
        const cut = await replicaDesk();
        // Each batch starts anywhere at or before the desk's position (a re-send) and runs on.
        for (const [back, len] of cuts) {
          const before = cut.replica.seq();
          const at = Math.max(0, before - (back % 8));
          cut.replica.applyEntries(feed.slice(at, at + len + 1));
          // The position never goes back, and the rows are those of each entry up to it applied once.
          expect(cut.replica.seq()).toBeGreaterThanOrEqual(before);
          once.replica.applyEntries(feed.slice(once.replica.seq(), cut.replica.seq()));
          expect(replicatedTables(cut.s.ctx.db, ACCOUNT)).toEqual(replicatedTables(once.s.ctx.db, ACCOUNT));
        }
        // The final catch-up from the desk's own position (seqs here are 1..N, so the position is the index).
        cut.replica.applyEntries(feed.slice(cut.replica.seq()));
        once.replica.applyEntries(feed.slice(once.replica.seq()));
        expect(cut.replica.seq()).toBe(feed[feed.length - 1]!.seq);
        expect(replicatedTables(cut.s.ctx.db, ACCOUNT)).toEqual(replicatedTables(once.s.ctx.db, ACCOUNT));
        for (const s of open.splice(0)) await s.dispose();
      }),
      { numRuns: 40 },
    );
  });
});
