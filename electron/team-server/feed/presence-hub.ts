import type pg from 'pg';
import type { PresenceReport, PresenceWire } from '../../../shared/contract/team-presence';
import type { Logger } from '../../services/core/log';
import type { Agent } from '../stores/agents';

// Who has what open, for the desks connected to THIS instance. Presence is ephemeral: a report is
// a NOTIFY on its own channel (bsc_presence), never a row, so it is neither team state nor in the
// feed. Every instance hears every report (its own included) on its LISTEN connection and keeps
// the presences it heard, each expiring `ttlMs` after its last heartbeat. An instance that starts
// (or loses its LISTEN connection) knows the others' presences again within one heartbeat.
// A revoked agent's presences go with it (bsc_agents), as its streams do.

export const PRESENCE_CHANNEL = 'bsc_presence';
/** A presence with no heartbeat for this long is gone (desks beat every third of it). */
export const DEFAULT_PRESENCE_TTL_MS = 30_000;

/** What an instance publishes for one report (ids and the agent's name only). */
interface PresenceNotice extends PresenceWire {
  accountId: string;
}

/** A live stream's side for presence: the account it follows and where its events go. */
export interface PresenceListener {
  agentId: string;
  accountId?: string;
  presence(p: PresenceWire): void;
}

interface Held {
  notice: PresenceNotice;
  expiresAt: number;
}

export class PresenceHub {
  private readonly held = new Map<string, Held>();
  private readonly listeners = new Set<PresenceListener>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    readonly ttlMs = DEFAULT_PRESENCE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    const sweep = () => {
      this.expire();
      this.timer = setTimeout(sweep, Math.min(1_000, Math.max(50, Math.floor(this.ttlMs / 4))));
    };
    this.timer = setTimeout(sweep, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  /** A desk's report (or heartbeat): published to every instance, this one included. */
  async report(agent: Agent, accountId: string, r: PresenceReport): Promise<void> {
    const notice: PresenceNotice = { key: `${agent.id}/${r.desk}`, agentId: agent.id, agentName: agent.name, accountId, open: r.open ? { customerId: r.open.customerId, caseId: r.open.caseId } : null };
    await this.pool.query('SELECT pg_notify($1, $2)', [PRESENCE_CHANNEL, JSON.stringify(notice)]);
  }

  /** A notification on PRESENCE_CHANNEL (from any instance). */
  heard(payload: string): void {
    let notice: PresenceNotice;
    try {
      notice = JSON.parse(payload) as PresenceNotice;
    } catch (err) {
      this.log.warn('team presence: a notification that is not JSON was ignored', { error: err });
      return;
    }
    const before = this.held.get(notice.key);
    if (notice.open) this.held.set(notice.key, { notice, expiresAt: this.now() + this.ttlMs });
    else this.held.delete(notice.key);
    // A heartbeat of an unchanged presence is not news for the desks.
    const same = before && JSON.stringify(before.notice.open) === JSON.stringify(notice.open);
    if (!same && (before || notice.open)) this.publish(notice);
  }

  /** Every presence of a revoked agent ends (its desks can no longer send heartbeats anyway). */
  agentRevoked(agentId: string): void {
    for (const [key, h] of [...this.held]) {
      if (h.notice.agentId !== agentId) continue;
      this.held.delete(key);
      this.publish({ ...h.notice, open: null });
    }
  }

  /** A stream starts hearing presence: first every presence held for its account, then changes. */
  subscribe(l: PresenceListener): () => void {
    this.listeners.add(l);
    for (const h of this.held.values()) if (this.reaches(l, h.notice)) l.presence(wire(h.notice));
    return () => this.listeners.delete(l);
  }

  private reaches(l: PresenceListener, n: PresenceNotice): boolean {
    return !l.accountId || l.accountId === n.accountId;
  }

  private publish(n: PresenceNotice): void {
    for (const l of this.listeners) if (this.reaches(l, n)) l.presence(wire(n));
  }

  private expire(): void {
    const now = this.now();
    for (const [key, h] of [...this.held]) {
      if (h.expiresAt > now) continue;
      this.held.delete(key);
      this.publish({ ...h.notice, open: null });
    }
  }

  /** Presences held now (for tests and health). */
  get size(): number {
    return this.held.size;
  }
}

function wire(n: PresenceNotice): PresenceWire {
  return { key: n.key, agentId: n.agentId, agentName: n.agentName, open: n.open };
}
