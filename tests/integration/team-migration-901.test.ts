import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { TEAM_MIGRATIONS } from '../../electron/team-server/migrations';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// Team migration 901 (desk-owned numbers start at 901): kept replies of forwarded writes, one per
// (agent, Idempotency-Key). Runs after whatever the other branches numbered before it.

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

describe('901 call replies', () => {
  it('adds the kept replies beside data written before it; one reply per agent and key', async () => {
    const pool = await pgs.newPool(2);
    const before = Math.max(...TEAM_MIGRATIONS.filter((m) => m.version < 901).map((m) => m.version));
    await migrateTeamDb(pool, TEAM_MIGRATIONS, before);
    await pool.query("INSERT INTO team_notes (account_id, customer_id, body, author, created_at_ms, updated_at_ms) VALUES ('acct_1', 'cus_1', 'kept', 'ana', 1, 1)");
    expect(await migrateTeamDb(pool, TEAM_MIGRATIONS, 901)).toBe(901);
    expect((await pool.query('SELECT body FROM team_notes')).rows).toEqual([{ body: 'kept' }]);
    await pool.query("INSERT INTO team_call_replies (agent_id, idempotency_key, call, value, at_ms) VALUES ('agt_1', 'desk-k1', 'notes.add', '{\"id\":1}', 1)");
    await pool.query("INSERT INTO team_call_replies (agent_id, idempotency_key, call, value, at_ms) VALUES ('agt_2', 'desk-k1', 'notes.add', '{\"id\":2}', 1)");
    await expect(pool.query("INSERT INTO team_call_replies (agent_id, idempotency_key, call, value, at_ms) VALUES ('agt_1', 'desk-k1', 'notes.add', null, 2)")).rejects.toThrow(/duplicate key/);
  });
});
