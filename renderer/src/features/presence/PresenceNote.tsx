import { lookingAtWords, presentOn } from './presence-words';
import { useTeamPresence } from './usePresence';
import './presence.css';

/** "Ana is looking at this" on a customer or a case another agent has open; nothing otherwise. */
export function PresenceNote({ customerId, caseId, compact = false }: { customerId: string; caseId?: number; compact?: boolean }) {
  const words = lookingAtWords(presentOn(useTeamPresence(), { customerId, caseId }));
  if (!words) return null;
  return (
    <span className={`presence-note${compact ? ' compact' : ''}`} data-testid="presence-note" title="Another agent of your team has this open right now">
      <span className="presence-dot" aria-hidden="true" />
      {words}
    </span>
  );
}
