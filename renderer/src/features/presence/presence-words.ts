import type { TeamPresenceEntry } from '../../../../shared/contract';

// Who else is on something, in words, and which presences a screen's subject is concerned by.

/** "Ana is looking at this", "Ana and Ben are looking at this", "Ana, Ben and 2 others are looking at this". */
export function lookingAtWords(names: readonly string[]): string | null {
  const unique = [...new Set(names)];
  if (unique.length === 0) return null;
  if (unique.length === 1) return `${unique[0]} is looking at this`;
  if (unique.length === 2) return `${unique[0]} and ${unique[1]} are looking at this`;
  const others = unique.length - 2;
  return `${unique[0]}, ${unique[1]} and ${others} other${others === 1 ? '' : 's'} are looking at this`;
}

/**
 * The agents on a customer (its 360 or any of its cases) or on one case: a case row is concerned
 * by someone on that case, or on its customer with no case open.
 */
export function presentOn(entries: readonly TeamPresenceEntry[], subject: { customerId: string; caseId?: number }): string[] {
  return entries
    .filter((p) => (subject.caseId === undefined ? p.customerId === subject.customerId : p.caseId === subject.caseId || (p.caseId === null && p.customerId === subject.customerId)))
    .map((p) => p.agentName);
}
