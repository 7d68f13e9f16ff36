import type { ServiceContext } from '../core/context';
import { prepared } from '../db/statements';
import { ProductNames } from '../stripe/product-names';
import { applyTeamEntry, type Applied } from './apply-team-entry';
import { SnapshotStage } from './snapshot-stage';
import type { PresenceWire } from '../../../shared/contract/team-presence';
import { clearTeamKbArticles } from '../copilot/kb/team-articles';
import { TeamSignedOutError, TeamSnapshotRequiredError, TeamUnreachableError, type TeamAgentIdentity, type TeamClient, type WireEntry } from './team-client';

// The desk's copy of the team: a snapshot at seq S, then the feed after S (pages to catch up, the
// live stream to follow). The seq is written in the same SQLite transaction as the entries it
// covers, so a crash or a lost connection never skips an entry nor applies one twice; an entry at
// or below the stored seq is ignored (a stream that re-sends after a reconnect). A desk behind the
// pruned point (410) takes a new snapshot by itself.

export type ReplicaStatus = 'connecting' | 'online' | 'offline' | 'signed_out';

export interface PullResult {
  seq: number;
  applied: number;
  snapshot: boolean;
  counts: Record<string, number>;
}

/** Tables a snapshot replaces for the account (children first, for the foreign keys). */
const REPLICATED_TABLES = ['notes', 'portal_links', 'dunning_cases', 'payment_attempts', 'subscription_items', 'subscriptions', 'invoices', 'payment_methods', 'timeline_events', 'sync_tombstones', 'customers'];
/**
 * Replicated tables without an account column, replaced whole: a team desk's saved views are the
 * team's (the applier already drops a local view of the same name). A snapshot lists only what
 * lives, so a row kept from before it would be one deleted while the desk was away.
 */
const REPLICATED_DESK_TABLES = ['dunning_saved_views'];
/** What a snapshot may change: every kind of row the replica holds. */
const SNAPSHOT_KINDS = ['customers', 'subscriptions', 'invoices', 'payment_methods', 'dunning', 'notes', 'portal_links', 'kb'] as const;

/** Who has what open, as the live stream says it (presence.ts); it is known only while the stream is. */
export interface LivePresence {
  heard(p: PresenceWire): void;
  lost(): void;
}

export class TeamReplica {
  status: ReplicaStatus = 'connecting';
  /** Why the desk is offline or signed out, in words. */
  statusMessage: string | null = null;
  private abort: AbortController | null = null;
  private following: Promise<void> | null = null;
  private readonly listeners = new Set<(s: ReplicaStatus) => void>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly client: TeamClient,
    readonly accountId: string,
    private readonly presence?: LivePresence,
  ) {}

  onStatus(fn: (s: ReplicaStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private setStatus(s: ReplicaStatus, message: string | null = null): void {
    const changed = s !== this.status;
    this.status = s;
    this.statusMessage = message;
    if (changed) for (const l of this.listeners) l(s);
  }

  seq(): number {
    const r = prepared(this.ctx.db, 'SELECT seq FROM team_replica WHERE account_id = ?').get(this.accountId) as { seq: number } | undefined;
    return r?.seq ?? 0;
  }

  identity(): TeamAgentIdentity | null {
    const r = prepared(this.ctx.db, 'SELECT agent_id, agent_name, agent_role FROM team_replica WHERE account_id = ?').get(this.accountId) as { agent_id: string | null; agent_name: string | null; agent_role: string | null } | undefined;
    return r?.agent_id ? { id: r.agent_id, name: r.agent_name ?? r.agent_id, role: (r.agent_role as TeamAgentIdentity['role']) ?? 'agent' } : null;
  }

  rememberIdentity(me: TeamAgentIdentity): void {
    prepared(this.ctx.db, 'UPDATE team_replica SET agent_id = ?, agent_name = ?, agent_role = ?, last_contact_ms = ? WHERE account_id = ?').run(me.id, me.name, me.role, this.ctx.now(), this.accountId);
  }

  /** "Synced N ago" on the banner means: this copy matched the team server then (the server matches Stripe). */
  private markSynced(): void {
    prepared(this.ctx.db, 'UPDATE sync_state SET last_synced_at_ms = ?, backfill_complete = 1, last_error = NULL WHERE account_id = ?').run(this.ctx.now(), this.accountId);
  }

  /** Applies entries after the stored seq, and the new seq, in one transaction. */
  applyEntries(entries: readonly WireEntry[]): { applied: number; counts: Record<string, number> } {
    const db = this.ctx.db;
    const names = new ProductNames(db, this.accountId);
    const results: Applied[] = [];
    const run = db.transaction(() => {
      let seq = this.seq();
      for (const e of entries) {
        if (e.seq <= seq) continue;
        results.push(applyTeamEntry(db, this.accountId, e, names));
        seq = e.seq;
      }
      prepared(db, 'UPDATE team_replica SET seq = ?, last_contact_ms = ? WHERE account_id = ?').run(seq, this.ctx.now(), this.accountId);
      this.markSynced();
    });
    run();
    return { applied: results.length, counts: this.announce(results) };
  }

  /** Replaces the account's replicated rows with the server's snapshot, and its seq, in one transaction. */
  async takeSnapshot(): Promise<{ seq: number; count: number; counts: Record<string, number> }> {
    const db = this.ctx.db;
    const stage = new SnapshotStage(db);
    try {
      const head = await this.client.snapshotLines((lines) => stage.add(lines));
      const results: Applied[] = [];
      db.transaction(() => {
        for (const t of REPLICATED_TABLES) db.prepare(`DELETE FROM ${t} WHERE account_id = ?`).run(this.accountId);
        for (const t of REPLICATED_DESK_TABLES) db.prepare(`DELETE FROM ${t}`).run();
        clearTeamKbArticles(db);
        const names = new ProductNames(db, this.accountId);
        for (const e of stage.entries()) results.push(applyTeamEntry(db, this.accountId, e, names));
        prepared(db, 'UPDATE team_replica SET seq = ?, snapshots = snapshots + 1, last_contact_ms = ? WHERE account_id = ?').run(head.seq, this.ctx.now(), this.accountId);
        this.markSynced();
      })();
      this.ctx.log.info('team snapshot applied', { account: this.accountId, seq: head.seq, entries: head.count });
      // Replaced whole: what went away (a deleted view, a deleted invoice's customer) is in no entry,
      // so the notice names every kind and no customers (everything is to be read again).
      const counts = this.count(results);
      this.ctx.hub.emit('data.changed', { accountId: this.accountId, kinds: [...SNAPSHOT_KINDS] });
      return { ...head, counts };
    } finally {
      stage.drop();
    }
  }

  /** Catches up: a snapshot when the desk has none or is behind the pruned point, then feed pages to the head. */
  async pull(): Promise<PullResult> {
    let snapshot = false;
    let applied = 0;
    const counts: Record<string, number> = {};
    const add = (c: Record<string, number>) => {
      for (const [k, v] of Object.entries(c)) counts[k] = (counts[k] ?? 0) + v;
    };
    if (this.seq() === 0) {
      const s = await this.takeSnapshot();
      snapshot = true;
      applied += s.count;
      add(s.counts);
    }
    for (;;) {
      let page;
      try {
        page = await this.client.feedPage(this.seq());
      } catch (err) {
        if (!(err instanceof TeamSnapshotRequiredError) || snapshot) throw err;
        this.ctx.log.info('team feed pruned past this desk: taking a new snapshot', { account: this.accountId, seq: this.seq() });
        const s = await this.takeSnapshot();
        snapshot = true;
        applied += s.count;
        add(s.counts);
        continue;
      }
      const r = this.applyEntries(page.entries);
      applied += r.applied;
      add(r.counts);
      if (!page.more) break;
    }
    return { seq: this.seq(), applied, snapshot, counts };
  }

  /**
   * Follows the team live until stop(): catch up, then the stream; on a lost connection the desk
   * is offline (reads keep working) and tries again with a growing pause. `onOnline` runs each
   * time the desk is back (to send the queued writes).
   */
  follow(onOnline: () => Promise<void>, retryMs = { min: 250, max: 10_000 }): void {
    if (this.following) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let pause = retryMs.min;
    this.following = (async () => {
      while (!signal.aborted) {
        try {
          this.rememberIdentity(await this.client.me());
          await this.pull();
          await this.client.stream(
            this.seq(),
            (e) => this.queueLive(e),
            signal,
            () => {
              this.setStatus('online');
              pause = retryMs.min;
              void onOnline().catch((err) => this.ctx.log.warn('sending queued team writes failed', { error: err }));
            },
            (p) => this.presence?.heard(p),
          );
          this.presence?.lost();
          this.flushLive();
          if (signal.aborted) break;
          this.setStatus('offline', 'The team server closed the live feed; reconnecting.');
        } catch (err) {
          this.presence?.lost();
          this.flushLive();
          if (signal.aborted) break;
          if (err instanceof TeamSignedOutError) {
            this.setStatus('signed_out', err.message);
            this.ctx.log.warn('signed out by the team', { account: this.accountId });
            break;
          }
          this.setStatus('offline', err instanceof TeamUnreachableError ? err.message : 'The team feed could not be applied; retrying.');
          if (!(err instanceof TeamUnreachableError)) this.ctx.log.warn('team feed follow failed', { error: err });
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, retryMs.max);
      }
    })();
  }

  // Live entries arrive one per SSE event; they are applied in small batches (one transaction each).
  private live: WireEntry[] = [];
  private liveTimer: NodeJS.Immediate | null = null;
  private queueLive(e: WireEntry): void {
    this.live.push(e);
    if (!this.liveTimer) this.liveTimer = setImmediate(() => this.flushLive());
  }
  private flushLive(): void {
    if (this.liveTimer) clearImmediate(this.liveTimer);
    this.liveTimer = null;
    const batch = this.live;
    this.live = [];
    if (batch.length) this.applyEntries(batch);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.following?.catch(() => {});
    this.following = null;
    this.flushLive();
  }

  /** Change notices for what was written, so screens refresh; the counts for the CLI. */
  private count(results: readonly Applied[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of results) if (r.kind) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    return counts;
  }

  private announce(results: readonly Applied[]): Record<string, number> {
    const kinds = new Set<string>();
    const customers = new Set<string>();
    for (const r of results) {
      if (!r.kind) continue;
      kinds.add(r.kind);
      if (r.customerId) customers.add(r.customerId);
    }
    if (kinds.size) this.ctx.hub.emit('data.changed', { accountId: this.accountId, kinds: [...kinds] as never, customerIds: [...customers] });
    return this.count(results);
  }
}
