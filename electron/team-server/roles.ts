import { AppError } from '../../shared/contract/errors';
import type { CallName, CallParsedInput } from '../../shared/contract';
import type { CopilotActionType } from '../../shared/contract/copilot';

// Who may do what on the team server. Reads are open to every agent; each write call names the
// least role it needs, and a few calls depend on their input (a bulk move, a write-off, a retry
// of a hard decline). The server decides; desks only follow.

export const ROLES = ['agent', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { agent: 0, lead: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** What the caller is about to touch when the rule depends on more than the input (a case's decline). */
export interface WriteFacts {
  /** For dunning.retry: is the case's last decline one Stripe would retry? */
  retryable?: boolean;
}

type Rule = Role | ((input: never, facts: WriteFacts) => { role: Role; why: string });

const bulk = (ids: readonly unknown[], what: string) => (ids.length > 1 ? { role: 'lead' as const, why: `${what} on several cases at once (a bulk action)` } : { role: 'agent' as const, why: what });

/**
 * Every call that changes something, with the role it needs. Calls absent from this table are
 * reads (open to every agent) — a test asserts that each contract call is classified on purpose.
 */
export const WRITE_RULES = {
  'notes.add': 'agent',
  'notes.update': 'agent',
  'dunning.addNote': 'agent',
  'portal.createLink': 'agent',
  'dunning.sendPortalLinks': ((input: CallParsedInput<'dunning.sendPortalLinks'>) => bulk(input.caseIds, 'sending portal links')) as Rule,
  'dunning.setStage': ((input: CallParsedInput<'dunning.setStage'>) =>
    input.stage === 'lost'
      ? { role: 'lead' as const, why: 'writing a case off (stage lost)' }
      : bulk(input.caseIds, 'moving the stage')) as Rule,
  'dunning.retry': ((_input: CallParsedInput<'dunning.retry'>, facts: WriteFacts) =>
    facts.retryable === false ? { role: 'lead' as const, why: 'retrying a payment after a decline Stripe would not retry' } : { role: 'agent' as const, why: 'retrying a payment' }) as Rule,
  'copilot.confirmAction': 'agent',
  'copilot.dismissAction': 'agent',
  'dunning.assign': 'lead',
  'dunning.exportCsv': 'lead',
  'dunning.views.save': 'lead',
  'dunning.views.delete': 'lead',
  'workspace.setStripeKey': 'admin',
  'workspace.clearStripeKey': 'admin',
  'portal.configurations.create': 'admin',
  'portal.configurations.update': 'admin',
  'portal.settings.set': 'admin',
  'copilot.settings.set': 'admin',
  'copilot.settings.setKey': 'admin',
  'copilot.settings.clearKey': 'admin',
  'kb.import': 'admin',
  'sync.start': 'admin',
} satisfies Partial<Record<CallName, Rule>>;

/** Calls a desk must never forward: on a team the identity and the window belong to the desk itself. */
export const DESK_ONLY_CALLS = ['workspace.setAgentName', 'workspace.switchAccount', 'app.openExternal', 'copilot.settings.test', 'team.status', 'team.join', 'team.leave', 'team.presence.report', 'team.presence.list'] as const satisfies readonly CallName[];

export type WriteCallName = keyof typeof WRITE_RULES;

export function isWriteCall(name: string): name is WriteCallName {
  return Object.prototype.hasOwnProperty.call(WRITE_RULES, name);
}

const ROLE_WORDS: Record<Role, string> = { agent: 'an agent', lead: 'a team lead', admin: 'an admin' };

const CALL_WORDS: Partial<Record<CallName, string>> = {
  'dunning.assign': 'assigning cases',
  'dunning.exportCsv': 'exporting the queue as CSV',
  'dunning.views.save': 'saving a queue view for the team',
  'dunning.views.delete': 'deleting a saved queue view',
  'workspace.setStripeKey': 'changing the Stripe account or key',
  'workspace.clearStripeKey': 'removing the Stripe key',
  'portal.configurations.create': 'creating a portal configuration',
  'portal.configurations.update': 'changing a portal configuration',
  'portal.settings.set': 'changing the portal settings',
  'copilot.settings.set': "changing the team's model settings",
  'copilot.settings.setKey': "changing the team's model key",
  'copilot.settings.clearKey': "removing the team's model key",
  'kb.import': 'importing into the knowledge base',
  'sync.start': 'starting a Stripe sync',
};

/** Whether the role a call needs depends on its input (then it is checked after validation). */
export function dependsOnInput(name: CallName): boolean {
  return isWriteCall(name) && typeof WRITE_RULES[name] === 'function';
}

/** The role a call needs with this input, and the words for a refusal. */
export function requiredRole(name: CallName, input: unknown, facts: WriteFacts = {}): { role: Role; why: string } {
  if (!isWriteCall(name)) return { role: 'agent', why: 'reading' };
  const rule = WRITE_RULES[name] as Rule;
  if (typeof rule === 'function') return rule(input as never, facts);
  return { role: rule, why: CALL_WORDS[name] ?? name };
}

/** Throws a typed refusal in words when `role` may not make this call. */
export function authorize(role: Role, name: CallName, input: unknown, facts: WriteFacts = {}): void {
  if ((DESK_ONLY_CALLS as readonly string[]).includes(name)) {
    throw new AppError('forbidden', `${name} is not served by the team server: on a team it is decided on the desk or by the team's settings.`, { call: name });
  }
  const need = requiredRole(name, input, facts);
  if (!atLeast(role, need.role)) {
    throw new AppError('forbidden', `Refused: ${need.why} needs ${ROLE_WORDS[need.role]} (or higher); you are ${ROLE_WORDS[role]}.`, { call: name, needed_role: need.role, role });
  }
}

/**
 * A confirmed copilot action needs the role of the button it stands for: the call it runs, or,
 * for subscription changes no call of the contract makes, a lead (an agent's list has no
 * pausing or cancelling a customer's subscription; cancelling gives up the revenue, as a
 * write-off does). 'retry_payment' is 'dunning.retry', whose rule also needs the case's decline.
 */
export const COPILOT_ACTION_RULES: Record<CopilotActionType, { call: CallName } | { role: Role; why: string } | null> = {
  send_portal_link: { call: 'portal.createLink' },
  retry_payment: { call: 'dunning.retry' },
  escalate_refund: { call: 'notes.add' },
  pause_subscription: { role: 'lead', why: "pausing a customer's subscription" },
  cancel_subscription: { role: 'lead', why: "cancelling a customer's subscription" },
  explain_invoice: null,
  none: null,
};

/** Throws a typed refusal when `role` may not confirm this kind of action (input-dependent rules are checked by the call itself). */
export function authorizeCopilotAction(role: Role, type: CopilotActionType): void {
  const rule = COPILOT_ACTION_RULES[type];
  if (!rule) throw new AppError('conflict', 'This suggestion is information only; there is nothing to confirm.');
  if ('call' in rule) {
    if (!dependsOnInput(rule.call)) authorize(role, rule.call, undefined);
    return;
  }
  if (!atLeast(role, rule.role)) {
    throw new AppError('forbidden', `Refused: ${rule.why} needs ${ROLE_WORDS[rule.role]} (or higher); you are ${ROLE_WORDS[role]}.`, { call: 'copilot.confirmAction', needed_role: rule.role, role });
  }
}
