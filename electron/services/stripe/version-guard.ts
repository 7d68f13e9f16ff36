// The ordering guard every copy of the Stripe data uses (the desk's SQLite cache through ingest.ts,
// the team server's PostgreSQL mirror): a version of an object carries `source_ts`, the Stripe-side
// time it was true (event.created, or the Date of the response it came in). Stripe timestamps have
// one-second resolution, so two versions of the same second cannot be ordered by it.
//
// - 'latest': writes when source_ts >= the held one. For a fetch made now: it is at least as new as
//   anything seen before it.
// - 'strict': writes only when source_ts > the held one, and reports a conflict when they are equal,
//   so the caller re-fetches the object instead of guessing.

export type GuardMode = 'latest' | 'strict';

export interface GuardVerdict {
  write: boolean;
  /** strict mode, same second as the held version: re-fetch to know which is newer. */
  conflict: boolean;
}

export function guardVerdict(mode: GuardMode, sourceTs: number, heldTs: number | null | undefined): GuardVerdict {
  if (heldTs === null || heldTs === undefined) return { write: true, conflict: false };
  const write = mode === 'strict' ? sourceTs > heldTs : sourceTs >= heldTs;
  return { write, conflict: !write && mode === 'strict' && sourceTs === heldTs };
}
