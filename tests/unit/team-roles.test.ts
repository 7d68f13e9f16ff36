import { describe, expect, it } from 'vitest';
import { AppError, CALL_NAMES, calls, type CallName } from '../../shared/contract';
import { authorize, DESK_ONLY_CALLS, ROLES, WRITE_RULES, type Role, type WriteFacts } from '../../electron/team-server/roles';
import { roleRefusal } from '../../shared/domain/team-roles';

// Every write call × every role, written out by hand from the issue (agent: read, notes, portal
// links, stage moves up to "awaiting customer", retry of retryable declines; lead: also
// assignment, bulk, write-off, CSV export; admin: also accounts/keys, portal configurations, KB).

type Case = { call: CallName; input: unknown; facts?: WriteFacts; least: Role };

const TABLE: Case[] = [
  { call: 'notes.add', input: { customerId: 'cus_1', body: 'hi' }, least: 'agent' },
  { call: 'notes.update', input: { noteId: 1, body: 'hi' }, least: 'agent' },
  { call: 'dunning.addNote', input: { caseId: 1, body: 'hi' }, least: 'agent' },
  { call: 'portal.createLink', input: { customerId: 'cus_1', flow: 'payment_method_update' }, least: 'agent' },
  { call: 'dunning.sendPortalLinks', input: { caseIds: [1] }, least: 'agent' },
  { call: 'dunning.sendPortalLinks', input: { caseIds: [1, 2] }, least: 'lead' },
  { call: 'dunning.setStage', input: { caseIds: [1], stage: 'contacted' }, least: 'agent' },
  { call: 'dunning.setStage', input: { caseIds: [1], stage: 'awaiting_customer' }, least: 'agent' },
  { call: 'dunning.setStage', input: { caseIds: [1], stage: 'new' }, least: 'agent' },
  { call: 'dunning.setStage', input: { caseIds: [1], stage: 'lost' }, least: 'lead' },
  { call: 'dunning.setStage', input: { caseIds: [1, 2], stage: 'contacted' }, least: 'lead' },
  { call: 'dunning.retry', input: { caseId: 1 }, facts: { retryable: true }, least: 'agent' },
  { call: 'dunning.retry', input: { caseId: 1 }, facts: { retryable: false }, least: 'lead' },
  { call: 'copilot.confirmAction', input: { customerId: 'cus_1', proposalId: 'p1' }, least: 'agent' },
  { call: 'copilot.dismissAction', input: { customerId: 'cus_1', proposalId: 'p1' }, least: 'agent' },
  { call: 'dunning.assign', input: { caseIds: [1], assignee: 'Ana' }, least: 'lead' },
  { call: 'dunning.exportCsv', input: {}, least: 'lead' },
  { call: 'dunning.views.save', input: { name: 'v', filters: {}, sort: {} }, least: 'lead' },
  { call: 'dunning.views.delete', input: { id: 1 }, least: 'lead' },
  { call: 'workspace.setStripeKey', input: {}, least: 'admin' },
  { call: 'workspace.clearStripeKey', input: {}, least: 'admin' },
  { call: 'portal.configurations.create', input: {}, least: 'admin' },
  { call: 'portal.configurations.update', input: {}, least: 'admin' },
  { call: 'portal.settings.set', input: {}, least: 'admin' },
  { call: 'copilot.settings.set', input: {}, least: 'admin' },
  { call: 'copilot.settings.setKey', input: {}, least: 'admin' },
  { call: 'copilot.settings.clearKey', input: {}, least: 'admin' },
  { call: 'kb.import', input: {}, least: 'admin' },
  { call: 'sync.start', input: {}, least: 'admin' },
];

const READS: CallName[] = [
  'workspace.status', 'customers.search', 'customers.list', 'customers.get', 'customers.refresh', 'sync.status',
  'dunning.count', 'dunning.list', 'dunning.get', 'dunning.metrics', 'dunning.assignees', 'dunning.views.list',
  'portal.history', 'portal.configurations.list', 'portal.settings.get', 'copilot.settings.get',
  'copilot.chat', 'copilot.cancel', 'copilot.resume', 'copilot.analyze', 'kb.search', 'kb.status', 'kb.get',
];

const rank = (r: Role) => ROLES.indexOf(r);

describe('team roles: every write call × role', () => {
  for (const c of TABLE) {
    for (const role of ROLES) {
      const allowed = rank(role) >= rank(c.least);
      it(`${c.call} ${JSON.stringify(c.input)}${c.facts ? ' ' + JSON.stringify(c.facts) : ''} as ${role}: ${allowed ? 'allowed' : 'refused'}`, () => {
        if (allowed) expect(() => authorize(role, c.call, c.input, c.facts)).not.toThrow();
        else {
          const err = (() => {
            try {
              authorize(role, c.call, c.input, c.facts);
            } catch (e) {
              return e;
            }
            return null;
          })();
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('forbidden');
          expect((err as AppError).message).toMatch(new RegExp(`^Refused: .+ needs (a team lead|an admin) \\(or higher\\); you are (an agent|a team lead)\\.$`));
        }
      });
    }
  }

  it('classifies every contract call on purpose: a new call must be added to the write rules, the reads or the desk-only list', () => {
    const writes = Object.keys(WRITE_RULES);
    const classified = new Set([...writes, ...READS, ...DESK_ONLY_CALLS]);
    expect(CALL_NAMES.filter((n) => !classified.has(n))).toEqual([]);
    expect(new Set(TABLE.map((c) => c.call))).toEqual(new Set(writes));
    for (const n of READS) for (const role of ROLES) expect(() => authorize(role, n, {})).not.toThrow();
  });

  it("the window's words come from the same table: a control the role may not use says why, and none for a role that may", () => {
    for (const c of TABLE) {
      for (const role of ROLES) {
        const words = roleRefusal(role, c.call, c.input, c.facts);
        if (rank(role) >= rank(c.least)) expect(words).toBeNull();
        else expect(words).toMatch(/^[A-Z].+ needs (a team lead|an admin); you are (an agent|a team lead)\.$/);
      }
    }
    expect(roleRefusal('agent', 'dunning.assign', { caseIds: [1] })).toBe('Assigning cases needs a team lead; you are an agent.');
    expect(roleRefusal('agent', 'dunning.setStage', { caseIds: [1], stage: 'lost' })).toBe('Writing a case off (stage lost) needs a team lead; you are an agent.');
    expect(roleRefusal('agent', 'dunning.setStage', { caseIds: [1], stage: 'contacted' })).toBeNull();
    expect(roleRefusal('lead', 'portal.configurations.create', {})).toBe('Creating a portal configuration needs an admin; you are a team lead.');
  });

  it('refuses desk-only calls for every role, in words', () => {
    for (const n of DESK_ONLY_CALLS) {
      expect(n in calls).toBe(true);
      for (const role of ROLES) expect(() => authorize(role, n, {})).toThrow(/not served by the team server/);
    }
  });
});
