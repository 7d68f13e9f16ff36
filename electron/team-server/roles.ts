import { AppError } from '../../shared/contract/errors';
import type { CallName } from '../../shared/contract';
import { atLeast, DESK_ONLY_CALLS, requiredRole, ROLE_WORDS, type Role, type WriteFacts } from '../../shared/domain/team-roles';

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
