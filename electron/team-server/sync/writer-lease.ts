import pg from 'pg';

// One sync writer per Stripe account across every team server instance: a PostgreSQL session
// advisory lock, held on a connection of its own. When the holder dies (kill -9, a crash, a lost
// network) PostgreSQL ends its session and the lock is free; the other instances try again every
// `retryMs` and one of them takes over. Each acquisition bumps the account's writer epoch
// (stripe_sync_state.writer_epoch): the new writer's sink writes only while the epoch is its own,
// so a writer that merely stalled cannot commit over its successor (pg-sink.ts checks it).
//
// A holder that is stuck with its session alive (event loop blocked, process frozen, a sync that
// makes no progress) would keep the lock forever, so the lease also has a heartbeat: while
// `healthy()` the holder writes its heartbeat every ttl/5 on the lease connection (which
// also checks the connection); a holder that is not healthy gives the lease up itself, and one
// that cannot even run its timer stops beating (stripe_sync_writer, migration 010). An instance
// that finds the lock held but the heartbeat older than `ttlMs` ends the holder's lease session
// (pg_terminate_backend of the recorded pid) and takes the lock: another instance replaces a stuck writer within about
// ttl + retryMs. The stuck writer's open write transaction is ended by PostgreSQL
// (idle_in_transaction_session_timeout, set by the sink), and it cannot commit afterwards: the
// epoch moved.

/** How old a heartbeat may be before another instance replaces the holder. */
export const LEASE_TTL_MS = 5_000;

/** Fixed first key of the advisory lock pair; the second is the account id's hash. */
const SYNC_LOCK_CLASS = 0x6273_7301;

export interface LeaseOptions {
  connectionString: string;
  accountId: string;
  /** Who holds it (shown in stripe_sync_state.writer_instance). */
  instanceId: string;
  /** The heartbeat's expiry (default LEASE_TTL_MS); beats go out every ttl/5. Every instance of a team uses the same. */
  ttlMs?: number;
  /** Whether the holder is making progress; when it is not, the lease is given up (default: always). */
  healthy?: () => boolean;
  /** Channels heard on the lease connection while held (the writer's wake-up calls). */
  listen?: { channel: string; onNotify: (payload: string | undefined) => void };
}

export class WriterLease {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private beating = false;
  private lostHandlers: Array<(reason: string) => void> = [];
  /** The fencing token of the current hold; null when not held. */
  epoch: number | null = null;

  constructor(private readonly o: LeaseOptions) {}

  get held(): boolean {
    return this.epoch !== null;
  }

  onLost(fn: (reason: string) => void): void {
    this.lostHandlers.push(fn);
  }

  /** Tries once; true when this instance is now the account's writer. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const client = new pg.Client({ connectionString: this.o.connectionString, keepAlive: true });
    client.on('error', () => this.lose('the lease connection failed'));
    client.on('end', () => this.lose('the lease connection closed'));
    await client.connect();
    try {
      let ok = await this.tryLock(client);
      if (!ok && (await this.endStuckHolder(client))) ok = await this.tryLock(client);
      if (!ok) {
        client.removeAllListeners('end');
        await client.end();
        return false;
      }
      const bumped = await client.query<{ writer_epoch: string }>(
        'UPDATE stripe_sync_state SET writer_epoch = writer_epoch + 1, writer_instance = $2, writer_since = now() WHERE account_id = $1 RETURNING writer_epoch',
        [this.o.accountId, this.o.instanceId],
      );
      if (!bumped.rows.length) throw new Error(`No sync state for ${this.o.accountId}: the account is not registered on the team server.`);
      await client.query(
        `INSERT INTO stripe_sync_writer (account_id, epoch, pid, heartbeat_at) VALUES ($1, $2, pg_backend_pid(), now())
         ON CONFLICT (account_id) DO UPDATE SET epoch = excluded.epoch, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`,
        [this.o.accountId, bumped.rows[0].writer_epoch],
      );
      if (this.o.listen) {
        const { channel, onNotify } = this.o.listen;
        client.on('notification', (n) => {
          if (n.channel === channel) onNotify(n.payload);
        });
        await client.query(`LISTEN ${channel}`);
      }
      this.client = client;
      this.epoch = Number(bumped.rows[0].writer_epoch);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    this.timer = setInterval(() => void this.beat(), this.ttlMs / 5);
    this.timer.unref();
    return true;
  }

  private get ttlMs(): number {
    return this.o.ttlMs ?? LEASE_TTL_MS;
  }

  private async tryLock(client: pg.Client): Promise<boolean> {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [SYNC_LOCK_CLASS, this.o.accountId]);
    return rows[0].ok;
  }

  /**
   * The lock is held: when its holder's heartbeat is older than the ttl and that session still
   * holds an advisory lock, the holder is stuck - its session is ended (waiting up to a few
   * seconds for it to go). True when one was ended.
   */
  private async endStuckHolder(client: pg.Client): Promise<boolean> {
    const { rows } = await client.query<{ ended: boolean }>(
      `SELECT pg_terminate_backend(w.pid, 3000) AS ended FROM stripe_sync_writer w
        WHERE w.account_id = $1 AND w.heartbeat_at < now() - make_interval(secs => $2::float8 / 1000)
          AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = w.pid AND l.locktype = 'advisory' AND l.granted)`,
      [this.o.accountId, this.ttlMs],
    );
    return rows[0]?.ended === true;
  }

  /** One heartbeat: only while healthy, only while the epoch is still this holder's. */
  private async beat(): Promise<void> {
    if (this.beating || !this.client) return;
    if (this.o.healthy && !this.o.healthy()) return this.lose('the sync writer made no progress');
    this.beating = true;
    const epoch = this.epoch;
    try {
      const r = await this.client.query('UPDATE stripe_sync_writer SET heartbeat_at = now() WHERE account_id = $1 AND epoch = $2', [this.o.accountId, epoch]);
      if (r.rowCount === 0 && this.epoch === epoch) this.lose('another instance took over the sync writer lease');
    } catch {
      this.lose('the lease connection stopped answering');
    } finally {
      this.beating = false;
    }
  }

  private lose(reason: string): void {
    if (!this.held) return;
    this.epoch = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    c?.removeAllListeners('end');
    c?.end().catch(() => {});
    for (const fn of this.lostHandlers) fn(reason);
  }

  /** Gives the lease up (shutdown): the lock is released with the session. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    this.epoch = null;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => {});
    }
  }
}
