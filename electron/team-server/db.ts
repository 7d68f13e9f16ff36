import pg from 'pg';
import './pg-types';
import { recordReplyInTransaction } from './calls/idempotent';

// The team server's one way to reach PostgreSQL: a pool per process, and transactions that always
// end (COMMIT on success, ROLLBACK on any error, the error rethrown).


export class DatabaseUrlMissingError extends Error {
  constructor() {
    super('DATABASE_URL is not set: name the team database, e.g. DATABASE_URL=postgres://user:password@host:5432/billing_team (or start the server with --demo for a private one).');
    this.name = 'DatabaseUrlMissingError';
  }
}

export function openTeamPool(url: string | undefined, opts: { max?: number } = {}): pg.Pool {
  if (!url?.trim()) throw new DatabaseUrlMissingError();
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export type Tx = pg.PoolClient;

export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>, isolation: 'read committed' | 'repeatable read' = 'read committed'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`);
    const out = await fn(client);
    await recordReplyInTransaction(client, out, Date.now());
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
