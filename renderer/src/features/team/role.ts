import type { CallInput, CallName } from '../../../../shared/contract';
import { KEYS_ON_THE_TEAM_SERVER, roleRefusal, type Role } from '../../../../shared/domain/team-roles';
import { useCall } from '../../api/queries';

// The window follows the team server's rule table (shared/domain/team-roles.ts): a control the
// agent's role may not use is hidden or disabled with the reason as its title, instead of being
// offered and then refused by the server. Solo desks and the demo have no team status, so no role
// and every control, as before. The server still decides every write.

/** The role of this desk's agent on its team; null on a solo desk (or before the server named it). */
export function useTeamRole(): Role | null {
  return useCall('team.status', {}).data?.agent?.role ?? null;
}

/** Why this desk's agent may not make `name(input)`, in words; null when they may (or on a solo desk). */
export function useRoleRefusal<N extends CallName>(name: N, input: Partial<CallInput<N>>): string | null {
  const role = useTeamRole();
  return role ? roleRefusal(role, name, input) : null;
}

/** The words for a disabled key control on a team desk; null on a solo desk. */
export function useKeysOnServer(): string | null {
  return useTeamRole() === null ? null : KEYS_ON_THE_TEAM_SERVER;
}
