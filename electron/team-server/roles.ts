import { AppError } from '../../shared/contract/errors';
import type { CallName } from '../../shared/contract';
import type { CopilotActionType } from '../../shared/contract/copilot';
import { atLeast, dependsOnInput, DESK_ONLY_CALLS, requiredRole, ROLE_WORDS, type Role, type WriteFacts } from '../../shared/domain/team-roles';

// The team server decides who may do what with the one rule table in shared/domain/team-roles.ts
// (the desks' windows read the same table to offer only what the role may do; they only follow).

export { ROLES, isRole, atLeast, WRITE_RULES, DESK_ONLY_CALLS, isWriteCall, dependsOnInput, requiredRole } from '../../shared/domain/team-roles';
export type { Role, WriteFacts, WriteCallName } from '../../shared/domain/team-roles';

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
