import pg from 'pg';
import type { Logger } from '../../services/core/log';
import { AGENTS_CHANNEL } from '../stores/agents';
import { FEED_CHANNEL, SnapshotRequiredError, type FeedEntry, type FeedStore } from '../stores/feed';

// Live delivery of the feed to the desks connected to THIS instance. One LISTEN connection per
// instance (not per desk) hears every commit on any instance (NOTIFY bsc_feed), reads the new
// entries once and pushes them to every caught-up stream. A stream that starts behind catches up
// with its own pages first. A revoked agent (NOTIFY bsc_agents) has its streams closed at once.
// Safety nets: a slow poll covers a notification lost while the LISTEN connection was down, and
// the same tick re-checks the agents of open streams against the database. Other parts hear
// their own channels on the same connection (`onNotify`: presence), and hear revocations too.

export interface LiveStream {
  agentId: string;
  accountId?: string;
  /** The last seq this stream has sent. */
  seq: number;
  send(entries: FeedEntry[]): void;
  /** Ends the stream; `reason` is said to the desk. */
  close(reason: string): void;
}

export interface FeedHubOptions {
  /** Safety-net poll and agent re-check interval, ms (default 1 s: a revocation whose NOTIFY was lost still closes streams within about a second). */
  pollMs?: number;
  /** Entries read per page while catching up. */
  pageSize?: number;
}

export class FeedHub {
  private listener: pg.Client | null = null;
  private readonly streams = new Set<LiveStream>();
  private readonly live = new Set<LiveStream>();
  private hubSeq = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly handlers = new Map<string, Array<(payload: string) => void>>();

  constructor(
    private readonly connectionString: string,
    private readonly pool: pg.Pool,
    private readonly feed: FeedStore,
    private readonly log: Logger,
    private readonly opts: FeedHubOptions = {},
  ) {}

  /** Hears `channel` on this instance's LISTEN connection (register before start()). */
  onNotify(channel: string, fn: (payload: string) => void): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), fn]);
  }

  private dispatch(channel: string, payload: string): void {
    for (const fn of this.handlers.get(channel) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        this.log.warn('team feed: a notification handler failed', { channel, error: err });
      }
    }
  }

  /** An agent was revoked: its streams close, and the parts listening on bsc_agents hear it. */
  private revoked(agentId: string): void {
    this.closeAgent(agentId, 'This agent was revoked by the team.');
    this.dispatch(AGENTS_CHANNEL, agentId);
  }

  async start(): Promise<void> {
    this.hubSeq = await this.feed.head();
    await this.listen();
    const tick = () => {
      if (this.stopped) return;
      this.wake();
      void this.recheckAgents().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs ?? 1_000);
      });
    };
    this.timer = setTimeout(tick, this.opts.pollMs ?? 1_000);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (n) => {
      if (n.channel === FEED_CHANNEL) this.wake();
      else if (n.channel === AGENTS_CHANNEL && n.payload) this.revoked(n.payload);
      else if (n.payload) this.dispatch(n.channel, n.payload);
    });
    const reconnect = () => {
      if (this.stopped || this.listener !== client) return;
      this.listener = null;
      this.log.warn('team feed: LISTEN connection lost; reconnecting');
      setTimeout(() => {
        if (this.stopped) return;
        this.listen()
          .then(() => {
            this.wake();
            return this.recheckAgents();
          })
          .catch((err) => {
            this.log.warn('team feed: LISTEN reconnect failed; the poll keeps streams fed', { error: err });
            this.listener = client; // lets the next failure retry
            reconnect();
          });
      }, 1_000);
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    await client.connect();
    await client.query(`LISTEN ${FEED_CHANNEL}`);
    await client.query(`LISTEN ${AGENTS_CHANNEL}`);
    for (const channel of this.handlers.keys()) if (channel !== AGENTS_CHANNEL) await client.query(`LISTEN ${channel}`);
    this.listener = client;
  }

  /** Registers a stream and catches it up to the live head; then it receives pushes. */
  async subscribe(stream: LiveStream): Promise<void> {
    this.streams.add(stream);
    const pageSize = this.opts.pageSize ?? 1000;
    // The first page is always read: it also checks the position (pruned past, or ahead of the server).
    for (let first = true; this.streams.has(stream); first = false) {
      if (!first && stream.seq >= this.hubSeq) {
        this.live.add(stream);
        return;
      }
      const page = await this.feed.page(stream.seq, { limit: pageSize, accountId: stream.accountId });
      if (!this.streams.has(stream)) return;
      if (page.entries.length) {
        stream.send(page.entries);
        stream.seq = page.entries[page.entries.length - 1].seq;
      }
      // The last page: everything up to the head was seen (entries of other accounts included).
      if (!page.more) stream.seq = Math.max(stream.seq, page.head);
    }
  }

  unsubscribe(stream: LiveStream): void {
    this.streams.delete(stream);
    this.live.delete(stream);
  }

  /** Reads what was committed since the last read (coalescing bursts of notifications). */
  wake(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((err) => this.log.warn('team feed: reading new entries failed; retrying on the next tick', { error: err }))
      .finally(() => {
        this.reading = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async readNew(): Promise<void> {
    for (;;) {
      let page;
      try {
        page = await this.feed.page(this.hubSeq, { limit: this.opts.pageSize ?? 1000 });
      } catch (err) {
        if (!(err instanceof SnapshotRequiredError)) throw err;
        // This instance fell behind the pruned point (cut off from the database for longer than
        // the retention): its streams cannot be continued, so their desks take a new snapshot.
        this.log.warn('team feed: this instance fell behind the pruned feed; closing its streams', { at: this.hubSeq, prunedThrough: err.prunedThrough });
        for (const s of [...this.streams]) {
          this.unsubscribe(s);
          s.close(err.message);
        }
        this.hubSeq = err.head;
        return;
      }
      if (page.entries.length === 0) return;
      for (const stream of this.live) {
        const mine = page.entries.filter((e) => e.seq > stream.seq && (!stream.accountId || e.accountId === stream.accountId));
        if (mine.length) stream.send(mine);
        stream.seq = Math.max(stream.seq, page.entries[page.entries.length - 1].seq);
      }
      this.hubSeq = page.entries[page.entries.length - 1].seq;
      if (!page.more) return;
    }
  }

  closeAgent(agentId: string, reason: string): number {
    let closed = 0;
    for (const s of [...this.streams]) {
      if (s.agentId !== agentId) continue;
      this.unsubscribe(s);
      s.close(reason);
      closed++;
    }
    return closed;
  }

  private async recheckAgents(): Promise<void> {
    const ids = [...new Set([...this.streams].map((s) => s.agentId))];
    if (ids.length === 0) return;
    try {
      const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM agents WHERE id = ANY($1::text[]) AND revoked_at IS NULL', [ids]);
      const active = new Set(rows.map((r) => r.id));
      for (const id of ids) if (!active.has(id)) this.revoked(id);
    } catch (err) {
      this.log.warn('team feed: agent re-check failed', { error: err });
    }
  }

  get openStreams(): number {
    return this.streams.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of [...this.streams]) {
      this.unsubscribe(s);
      s.close('The team server is shutting down.');
    }
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => {});
    await this.reading;
  }
}
