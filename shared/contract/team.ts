import { z } from 'zod';
import { call } from './define';
import { presenceSubject, type TeamPresenceEntry } from './team-presence';

// Team mode as the window sees it: whether this desk follows a team server, as whom, and whether
// it is connected. Joining stores the token in the OS keychain (the app) and takes effect at the
// next start; the token never comes back to the renderer.

export type TeamConnection = 'connecting' | 'online' | 'offline' | 'signed_out';

export interface TeamStatus {
  /** The team server this desk follows. */
  url: string;
  connection: TeamConnection;
  /** Why the desk is offline or signed out, in words; null when online. */
  message: string | null;
  /** Who the token belongs to, from the server (null before the first contact). */
  agent: { id: string; name: string; role: 'agent' | 'lead' | 'admin' } | null;
  /** The feed position applied. */
  seq: number;
  /** Notes written here that wait for the server. */
  pendingWrites: number;
}

export interface TeamJoinResult {
  url: string;
  agent: { id: string; name: string; role: 'agent' | 'lead' | 'admin' };
  /** The desk starts following the team at the next start of the console. */
  restartRequired: boolean;
}

export const teamCalls = {
  'team.status': call<TeamStatus | null>()(z.object({}).strict()),
  'team.join': call<TeamJoinResult>()(z.object({ url: z.string().trim().min(1).max(500), token: z.string().trim().min(1).max(600) }).strict()),
  'team.leave': call<{ restartRequired: boolean }>()(z.object({}).strict()),
  /**
   * A screen opened or closed a customer / case. A close names what it closes, so a close that
   * arrives after the next screen's open ends nothing. A solo desk answers reported: false.
   */
  'team.presence.report': call<{ reported: boolean }>()(z.union([z.object({ open: presenceSubject }).strict(), z.object({ closed: presenceSubject }).strict()])),
  /** Who else on the team has something open, as this desk last heard (empty when offline or solo). */
  'team.presence.list': call<TeamPresenceEntry[]>()(z.object({}).strict()),
};
