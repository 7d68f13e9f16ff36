// When the watch polls next. After a pass that changed something: again soon (250 ms), since
// changes come in bursts. After an idle pass: half as long again each time, up to 1.5 s, so a
// change made while the account is quiet is picked up by the next pass within 1.5 s and shows
// within 2 s (one events request of ~100-300 ms), while a quiet account spends under one request
// per second of its 25 or 100 req/s budget. After a failed pass (offline, Stripe down): at least
// 1 s, doubling up to 30 s, so a laptop without network does not spin; the first good pass brings
// the short interval back.

export interface PollSchedule {
  activeIntervalMs: number;
  idleMaxIntervalMs: number;
  offlineMaxIntervalMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { activeIntervalMs: 250, idleMaxIntervalMs: 1_500, offlineMaxIntervalMs: 30_000 };

export type PassOutcome = 'changed' | 'idle' | 'failed';

/** The delay before the next pass, from the previous delay and how the last pass went. */
export function nextPollDelay(previousMs: number, outcome: PassOutcome, s: PollSchedule = DEFAULT_POLL_SCHEDULE): number {
  switch (outcome) {
    case 'changed':
      return s.activeIntervalMs;
    case 'idle':
      return Math.min(s.idleMaxIntervalMs, Math.round(Math.max(previousMs, s.activeIntervalMs) * 1.5));
    case 'failed':
      return Math.min(s.offlineMaxIntervalMs, Math.max(1_000, previousMs * 2));
  }
}
