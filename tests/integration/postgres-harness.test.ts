import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// The harness every team-server test stands on: a real PostgreSQL, one database per file, more on
// demand, each independent of the others.

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

describe('test PostgreSQL', () => {
  it('is a real server of version 14 or newer with pg_trgm available', async () => {
    const client = new pg.Client({ connectionString: pgs.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      expect(Number(rows[0].v)).toBeGreaterThanOrEqual(140000);
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      const sim = await client.query<{ s: number }>("SELECT similarity('stripe', 'stripes') AS s");
      expect(sim.rows[0].s).toBeGreaterThan(0.5);
    } finally {
      await client.end();
    }
  });

  it('hands out separate databases: a table in one is absent from another', async () => {
    const other = await pgs.newDatabase();
    expect(other).not.toBe(pgs.url);
    const a = new pg.Client({ connectionString: pgs.url });
    const b = new pg.Client({ connectionString: other });
    await a.connect();
    await b.connect();
    try {
      await a.query('CREATE TABLE only_in_a (id int)');
      const { rows } = await b.query("SELECT to_regclass('only_in_a') AS t");
      expect(rows[0].t).toBeNull();
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('delivers LISTEN/NOTIFY between connections (the feed wakes streams with it)', async () => {
    const listener = new pg.Client({ connectionString: pgs.url });
    const sender = new pg.Client({ connectionString: pgs.url });
    await listener.connect();
    await sender.connect();
    try {
      await listener.query('LISTEN harness_check');
      const got = new Promise<string | undefined>((resolve) => listener.on('notification', (n) => resolve(n.payload)));
      await sender.query("SELECT pg_notify('harness_check', 'seq:42')");
      expect(await got).toBe('seq:42');
    } finally {
      await listener.end();
      await sender.end();
    }
  });

  it('refuses a wrong password (the cluster is not open to every local user)', async () => {
    if (process.env.DATABASE_URL) return; // an operator's server: its own auth rules
    const u = new URL(pgs.url);
    u.password = 'wrong';
    const client = new pg.Client({ connectionString: u.toString() });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });
});
