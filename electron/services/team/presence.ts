import { randomBytes } from 'node:crypto';
import type { PresenceWire, TeamPresenceEntry } from '../../../shared/contract/team-presence';
import { AppError } from '../../../shared/contract/errors';
import type { ServiceContext } from '../core/context';
import { TeamSignedOutError, TeamUnreachableError, type TeamClient } from './team-client';

// This desk's side of presence ("Ana is looking at this"). What the agent has open is reported to
// the team server and repeated as a heartbeat (a third of the server's TTL) while it stays open;
// closing it, or the desk stopping, says so. What the other desks have open arrives on the live
// stream and is kept in memory only: when the stream is lost the desk no longer knows, so it
// shows nobody rather than stale names. Ids only, both ways.

export type PresenceSubject = { customerId: string; caseId: number | null };

export class TeamPresence {
  /** This running desk (an agent with two desks open has two presences). */
  readonly desk = randomBytes(12).toString('base64url');
  private open: PresenceSubject | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /**
   * One report at a time, and only the latest state: an agent moving down the queue closes and
   * opens a case per row, and what the team needs to hear is where the agent is now.
   */
  private inflight: Promise<boolean> | null = null;
  private queued: Promise<boolean> | null = null;
  private readonly others = new Map<string, PresenceWire>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly client: TeamClient,
    private readonly accountId: string,
    /** The agent of this desk (its own presences on other desks are not shown here). */
    private readonly me: () => string | null,
  ) {}

  /** What the agent has open now; false when the team server cannot hear it (offline, signed out). */
  async report(open: PresenceSubject | null): Promise<boolean> {
    this.open = open;
    return this.send();
  }

  /** A screen closed `subject`: the presence ends, unless another screen opened something since. */
  async close(subject: PresenceSubject): Promise<boolean> {
    if (!this.open || this.open.customerId !== subject.customerId || this.open.caseId !== subject.caseId) return false;
    return this.report(null);
  }

  /** Says it again (the desk is back online: the server may have let it expire). */
  resend(): Promise<boolean> {
    return this.open ? this.send() : Promise.resolve(false);
  }

  private send(): Promise<boolean> {
    if (!this.inflight) {
      this.inflight = this.sendNow().finally(() => {
        this.inflight = null;
      });
      return this.inflight;
    }
    this.queued ??= this.inflight
      .catch(() => false)
      .then(() => {
        this.queued = null;
        return this.send();
      });
    return this.queued;
  }

  private async sendNow(): Promise<boolean> {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    const open = this.open;
    try {
      const { ttlMs } = await this.client.reportPresence({ desk: this.desk, open });
      if (open && this.open === open) {
        const beat = () => void this.send().catch((err) => this.ctx.log.warn('presence heartbeat refused by the team server', { error: err }));
        this.heartbeat = setTimeout(beat, Math.max(1_000, Math.floor(ttlMs / 3)));
        this.heartbeat.unref();
      }
      return true;
    } catch (err) {
      const tooFast = err instanceof AppError && err.code === 'rate_limited';
      if (!(err instanceof TeamUnreachableError) && !(err instanceof TeamSignedOutError) && !tooFast) throw err;
      // Offline or signed out: nobody hears it now; the desk says it again once it is back online.
      // Over the agent's request budget: the next report or heartbeat says it.
      this.ctx.log.debug('presence not reported: the team server cannot hear it', { reason: err.message });
      return false;
    }
  }

  /** A presence from the live stream (another desk opened or closed something). */
  heard(p: PresenceWire): void {
    const before = this.others.get(p.key);
    if (p.open) this.others.set(p.key, p);
    else if (!this.others.delete(p.key)) return;
    this.changed([before?.open?.customerId, p.open?.customerId]);
  }

  /** The live stream ended: who has what open is no longer known here. */
  lost(): void {
    if (this.others.size === 0) return;
    const customers = [...this.others.values()].map((p) => p.open?.customerId);
    this.others.clear();
    this.changed(customers);
  }

  /** Other agents and what they have open (never this desk's own agent). */
  list(): TeamPresenceEntry[] {
    const me = this.me();
    const out: TeamPresenceEntry[] = [];
    for (const p of this.others.values()) if (p.open && p.agentId !== me) out.push({ agentId: p.agentId, agentName: p.agentName, customerId: p.open.customerId, caseId: p.open.caseId });
    return out.sort((a, b) => a.agentName.localeCompare(b.agentName));
  }

  /** The desk stops: its presence ends now rather than at the server's TTL. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    if (!this.open) return;
    this.open = null;
    await this.send().catch((err) => this.ctx.log.warn('presence not cleared at close; it expires on the server', { error: err }));
  }

  private changed(customers: Array<string | undefined>): void {
    const customerIds = [...new Set(customers.filter((c): c is string => !!c))];
    this.ctx.hub.emit('data.changed', { accountId: this.accountId, kinds: ['presence'], customerIds });
  }
}
