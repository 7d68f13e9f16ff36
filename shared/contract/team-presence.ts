import { z } from 'zod';
import { customerId } from './ids';

// Presence: "Ana is looking at this". What a desk has open (a customer, or a dunning case of a
// customer) is reported to the team server and fanned out to the other desks over the live
// stream. It is ephemeral (never in the feed nor in team state) and carries ids only: nothing of
// a customer's data leaves the desk in it.

/** What this desk has open: a customer (the 360), or a dunning case and its customer; null: nothing. */
export const presenceSubject = z
  .object({
    customerId,
    caseId: z.number().int().positive().nullable().default(null),
  })
  .strict();

/** The body of POST /v1/presence (a report, and its heartbeat while the subject stays open). */
export const presenceReport = z
  .object({
    /** One running desk (random per start): an agent with two desks open has two presences. */
    desk: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'desk is 8 to 64 letters, digits, - or _'),
    open: presenceSubject.nullable(),
  })
  .strict();

export type PresenceReport = z.output<typeof presenceReport>;

/** One presence as the live stream carries it (`event: presence`); `open: null` means it ended. */
export interface PresenceWire {
  /** The agent and the desk, as one key (`agt_…/desk`). */
  key: string;
  agentId: string;
  agentName: string;
  open: { customerId: string; caseId: number | null } | null;
}

/** Another agent looking at something, as the window shows it. */
export interface TeamPresenceEntry {
  agentId: string;
  agentName: string;
  customerId: string;
  caseId: number | null;
}
