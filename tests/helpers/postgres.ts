import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startLocalCluster, type LocalCluster } from '../../electron/team-server/local-postgres';

// A real PostgreSQL for a test file (never a mock). Without DATABASE_URL the file starts its own
// throwaway cluster (initdb + pg_ctl from the machine's PostgreSQL, a free loopback port, a temp
// folder; as the postgres user when root). With DATABASE_URL it uses that server. Either way every
// database handed out is created for this file alone (CREATE DATABASE), so files run in parallel.
//
//   let pgs: TestPostgres;
//   beforeAll(async () => { pgs = await startTestPostgres(); });
//   afterAll(() => pgs.close());
//   ... new pg.Pool({ connectionString: pgs.url }) or await pgs.newDatabase() for a fresh one.

export interface TestPostgres {
  /** A database created for this test file. */
  url: string;
  /** Another empty database on the same server (e.g. one per test case); dropped on close. */
  newDatabase(): Promise<string>;
  /** A pool on a new empty database; ended on close. */
  newPool(max?: number): Promise<pg.Pool>;
  close(): Promise<void>;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  const external = env.DATABASE_URL;
  let cluster: LocalCluster | undefined;
  const adminUrl = external ?? (cluster = await startLocalCluster()).adminUrl;
  const created: string[] = [];
  const pools: pg.Pool[] = [];
  const newDatabase = async () => {
    const name = `bsc_test_${process.pid}_${randomBytes(5).toString('hex')}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    created.push(name);
    return withDatabase(adminUrl, name);
  };
  try {
    const url = await newDatabase();
    return {
      url,
      newDatabase,
      newPool: async (max = 6) => {
        const pool = new pg.Pool({ connectionString: await newDatabase(), max });
        pools.push(pool);
        return pool;
      },
      close: async () => {
        await Promise.all(pools.map((p) => p.end()));
        if (cluster) return cluster.stop();
        // A shared server: drop what this file made (FORCE ends connections a failed test left open).
        for (const name of created) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  } catch (err) {
    await cluster?.stop();
    throw err;
  }
}
