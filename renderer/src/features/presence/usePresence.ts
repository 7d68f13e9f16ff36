import { useEffect } from 'react';
import type { TeamPresenceEntry } from '../../../../shared/contract';
import { errorMessage } from '../../api/client';
import { runCall, useCall } from '../../api/queries';
import { useApp } from '../../app/store';
import { useWorkspace } from '../../app/workspace';

// Presence on a team desk: tell the team what this screen has open while it is open, and read who
// else has what open (refreshed by the 'presence' change notices the live stream brings).

/** Reports `open` (a customer, or a case of a customer) while the calling screen shows it. */
export function useReportPresence(open: { customerId: string; caseId: number | null } | null): void {
  const onTeam = !!useWorkspace()?.team;
  const customerId = open?.customerId ?? null;
  const caseId = open?.caseId ?? null;
  useEffect(() => {
    if (!onTeam || !customerId) return;
    const subject = { customerId, caseId };
    const say = (input: { open: typeof subject } | { closed: typeof subject }) =>
      runCall('team.presence.report', input).catch((err) => useApp.getState().showToast(`Could not tell your team what you have open: ${errorMessage(err)}`, 'error'));
    void say({ open: subject });
    return () => void say({ closed: subject });
  }, [onTeam, customerId, caseId]);
}

/** Other agents and what they have open (empty on a solo desk, or while the team cannot be heard). */
export function useTeamPresence(): TeamPresenceEntry[] {
  const onTeam = !!useWorkspace()?.team;
  return useCall('team.presence.list', {}, { enabled: onTeam }).data ?? [];
}
