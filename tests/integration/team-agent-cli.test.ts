import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { PgAgentStore } from '../../electron/team-server/stores/agents';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// `billing-console team agent add|list|revoke` against a real team database.

let pgs: TestPostgres;
let pool: pg.Pool;
beforeAll(async () => {
  pgs = await startTestPostgres();
  pool = new pg.Pool({ connectionString: pgs.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await pgs?.close();
});

async function cli(args: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: pgs.url }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('billing-console team agent', () => {
  it('adds an agent and prints its one-time token; the database holds only a hash; the token authenticates', async () => {
    const r = await cli(['team', 'agent', 'add', '--name', 'Ana Lima', '--role', 'lead', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const added = JSON.parse(r.out);
    expect(Object.keys(added).sort()).toEqual(['id', 'name', 'role', 'token']);
    expect(added).toMatchObject({ name: 'Ana Lima', role: 'lead' });
    expect(added.token).toMatch(/^bsct_/);
    const dump = await pool.query('SELECT row_to_json(a)::text AS j FROM agents a');
    expect(dump.rows.map((x) => x.j).join('\n')).not.toContain(added.token);
    const store = new PgAgentStore(pool);
    expect(await store.authenticate(added.token)).toMatchObject({ id: added.id, name: 'Ana Lima', role: 'lead' });
    expect(await store.authenticate(added.token.slice(0, -1) + (added.token.endsWith('A') ? 'B' : 'A'))).toBeNull();
  });

  it('lists agents, and revoking one makes its token useless', async () => {
    const a = JSON.parse((await cli(['team', 'agent', 'add', '--name', 'Bo', '--role', 'agent', '--json'])).out);
    const listed = JSON.parse((await cli(['team', 'agent', 'list', '--json'])).out);
    expect(listed.find((x: { id: string }) => x.id === a.id)).toMatchObject({ name: 'Bo', role: 'agent', revoked_at: null });
    expect(JSON.stringify(listed)).not.toContain(a.token);
    const text = await cli(['team', 'agent', 'revoke', a.id]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Revoked Bo \(agt_/);
    expect(await new PgAgentStore(pool).authenticate(a.token)).toBeNull();
    const after = JSON.parse((await cli(['team', 'agent', 'list', '--json'])).out);
    expect(after.find((x: { id: string }) => x.id === a.id).revoked_at).not.toBeNull();
  });

  it('refuses bad input in words with exit 2, and changes nothing', async () => {
    const before = (await pool.query('SELECT count(*)::int AS n FROM agents')).rows[0].n;
    const badRole = await cli(['team', 'agent', 'add', '--name', 'Cy', '--role', 'owner']);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('--role agent, lead or admin (not "owner")');
    const noName = await cli(['team', 'agent', 'add', '--role', 'agent']);
    expect(noName.code).toBe(2);
    expect(noName.err).toContain('needs --name NAME');
    const long = await cli(['team', 'agent', 'add', '--name', 'x'.repeat(81), '--role', 'agent']);
    expect(long.code).toBe(2);
    expect(long.err).toContain('at most 80 characters (this one has 81)');
    const unknown = await cli(['team', 'agent', 'revoke', 'agt_nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No agent agt_nobody');
    expect((await pool.query('SELECT count(*)::int AS n FROM agents')).rows[0].n).toBe(before);
  });

  it('refuses a second active agent with the same name', async () => {
    await cli(['team', 'agent', 'add', '--name', 'Dee', '--role', 'agent']);
    const again = await cli(['team', 'agent', 'add', '--name', 'dee', '--role', 'admin']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('An active agent is already called "dee"');
  });

  it('says what to set when DATABASE_URL is missing', async () => {
    const r = await cli(['team', 'agent', 'list'], {});
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^DATABASE_URL is not set: name the team database/);
  });
});
