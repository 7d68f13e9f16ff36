import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeamDb } from '../../electron/team-server/migrate';
import { TEAM_MIGRATIONS } from '../../electron/team-server/migrations';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// Migration 002 (the Stripe mirror): migrate to 1, seed team rows, migrate to 2, assert the new
// tables keep Stripe objects, their tombstones and the sync's memory, and that 001's rows survive.

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

describe('002 stripe mirror', () => {
  it('adds accounts, objects with tombstones, sync state, applied events and the webhook inbox; 001 data kept', async () => {
    expect(await migrateTeamDb(pool, TEAM_MIGRATIONS, 1)).toBe(1);
    await pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_1', 'Ana', 'lead', 'h')");
    expect(await migrateTeamDb(pool, TEAM_MIGRATIONS, 2)).toBe(2);
    expect((await pool.query('SELECT name FROM agents')).rows).toEqual([{ name: 'Ana' }]);

    await expect(pool.query("INSERT INTO stripe_accounts (id) VALUES ('not an account')")).rejects.toThrow(/check constraint/);
    await pool.query("INSERT INTO stripe_accounts (id, name) VALUES ('acct_1Mig002', 'Acme')");
    // Live mode is a workspace of its own; the demo data set has its own id.
    await pool.query("INSERT INTO stripe_accounts (id, name, livemode) VALUES ('acct_1Mig002:live', 'Acme', true), ('demo', 'Demo', false)");
    await expect(pool.query("INSERT INTO stripe_accounts (id) VALUES ('acct_1Mig002:prod')")).rejects.toThrow(/check constraint/);
    await pool.query("DELETE FROM stripe_accounts WHERE id <> 'acct_1Mig002'");
    await pool.query("INSERT INTO stripe_sync_state (account_id) VALUES ('acct_1Mig002')");
    await pool.query(`INSERT INTO stripe_objects (account_id, id, type, data, source_ts) VALUES ('acct_1Mig002', 'cus_1', 'customer', '{"id":"cus_1","object":"customer"}', 10)`);
    await expect(pool.query("INSERT INTO stripe_objects (account_id, id, type, data, source_ts) VALUES ('acct_1Mig002', 'ch_1', 'charge', '{}', 10)")).rejects.toThrow(/check constraint/);
    // A tombstone keeps the last object.
    await pool.query("UPDATE stripe_objects SET deleted = true WHERE id = 'cus_1'");
    expect((await pool.query("SELECT data->>'id' AS id, deleted FROM stripe_objects WHERE id = 'cus_1'")).rows).toEqual([{ id: 'cus_1', deleted: true }]);
    const state = (await pool.query("SELECT backfill, backfill_complete, writer_epoch::int AS writer_epoch FROM stripe_sync_state WHERE account_id = 'acct_1Mig002'")).rows[0];
    expect(state).toEqual({ backfill: {}, backfill_complete: false, writer_epoch: 0 });
    await pool.query(`INSERT INTO stripe_webhook_inbox (account_id, event_id, type, created, payload) VALUES ('acct_1Mig002', 'evt_1', 'customer.updated', 5, '{}')`);
    await expect(pool.query(`INSERT INTO stripe_webhook_inbox (account_id, event_id, type, created, payload) VALUES ('acct_1Mig002', 'evt_1', 'customer.updated', 5, '{}')`)).rejects.toThrow(/duplicate key/);
    await pool.query(`INSERT INTO stripe_applied_events (account_id, event_id, type, created) VALUES ('acct_1Mig002', 'evt_1', 'customer.updated', 5)`);
    // Removing an account removes its mirror and sync memory.
    await pool.query("DELETE FROM stripe_accounts WHERE id = 'acct_1Mig002'");
    for (const t of ['stripe_objects', 'stripe_sync_state', 'stripe_applied_events', 'stripe_webhook_inbox']) expect((await pool.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n, t).toBe(0);
  });
});
