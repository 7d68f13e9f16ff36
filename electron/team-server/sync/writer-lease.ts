import pg from 'pg';

// One sync writer per Stripe account across every team server instance: a PostgreSQL session
// advisory lock, held on a connection of its own. When the holder dies (kill -9, a crash, a lost
// network) PostgreSQL ends its session and the lock is free; the other instances try again every
// `retryMs` and one of them takes over. Each acquisition bumps the account's writer epoch
// (stripe_sync_state.writer_epoch): the new writer's sink writes only while the epoch is its own,
// so a writer that merely stalled cannot commit over its successor (pg-sink.ts checks it).
// The lease connection is also checked every `checkMs`; if it fails the lease is lost at once.

/** Fixed first key of the advisory lock pair; the second is the account id's hash. */
const SYNC_LOCK_CLASS = 0x6273_7301;

export interface LeaseOptions {
  connectionString: string;
  accountId: string;
  /** Who holds it (shown in stripe_sync_state.writer_instance). */
  instanceId: string;
  checkMs?: number;
  /** Channels heard on the lease connection while held (the writer's wake-up calls). */
  listen?: { channel: string; onNotify: (payload: string | undefined) => void };
}

export class WriterLease {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
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
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [SYNC_LOCK_CLASS, this.o.accountId]);
      if (!rows[0].ok) {
        client.removeAllListeners('end');
        await client.end();
        return false;
      }
      const bumped = await client.query<{ writer_epoch: string }>(
        'UPDATE stripe_sync_state SET writer_epoch = writer_epoch + 1, writer_instance = $2, writer_since = now() WHERE account_id = $1 RETURNING writer_epoch',
        [this.o.accountId, this.o.instanceId],
      );
      if (!bumped.rows.length) throw new Error(`No sync state for ${this.o.accountId}: the account is not registered on the team server.`);
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
    this.timer = setInterval(() => {
      this.client?.query('SELECT 1').catch(() => this.lose('the lease connection stopped answering'));
    }, this.o.checkMs ?? 2_000);
    this.timer.unref();
    return true;
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
