import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTeamDb, NewerTeamSchemaError, teamSchemaVersion } from '../../electron/team-server/migrate';
import { TEAM_MIGRATIONS, type TeamMigration } from '../../electron/team-server/migrations';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

// The team database's migration runner and each migration (a test per migration: migrate to
// N-1, seed, migrate to N, assert).

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(() => pgs?.close());

const freshPool = () => pgs.newPool(4);

const tableExists = async (pool: pg.Pool, name: string) => (await pool.query('SELECT to_regclass($1) AS t', [name])).rows[0].t !== null;

describe('team migration runner', () => {
  it('brings an empty database to the latest version, and a second run changes nothing', async () => {
    const pool = await freshPool();
    expect(await teamSchemaVersion(pool)).toBe(0);
    const latest = TEAM_MIGRATIONS[TEAM_MIGRATIONS.length - 1].version;
    expect(await migrateTeamDb(pool)).toBe(latest);
    expect(await migrateTeamDb(pool)).toBe(latest);
    const { rows } = await pool.query('SELECT version, name FROM team_schema_version ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(TEAM_MIGRATIONS.map((m) => m.version));
  });

  it('numbers migrations strictly upwards (team-core odd, team-sync even, never the same twice)', () => {
    const versions = TEAM_MIGRATIONS.map((m) => m.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('refuses a database from a newer team server in words, and leaves it untouched', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool);
    await pool.query("INSERT INTO team_schema_version (version, name) VALUES (999, 'from the future')");
    const err = await migrateTeamDb(pool).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NewerTeamSchemaError);
    expect((err as Error).message).toMatch(/newer version of the team server \(schema 999; this version knows up to \d+\)/);
    expect(await teamSchemaVersion(pool)).toBe(999);
  });

  it('rolls back a failing migration completely: the version stays and nothing of it remains', async () => {
    const pool = await freshPool();
    const broken: TeamMigration = {
      version: 1001,
      name: 'half-broken',
      async up(db) {
        await db.query('CREATE TABLE half_made (id int)');
        await db.query('SELECT * FROM no_such_table');
      },
    };
    await expect(migrateTeamDb(pool, [...TEAM_MIGRATIONS, broken])).rejects.toThrow(/migration 1001 \(half-broken\) failed and was rolled back: relation "no_such_table" does not exist/);
    expect(await teamSchemaVersion(pool)).toBe(TEAM_MIGRATIONS[TEAM_MIGRATIONS.length - 1].version);
    expect(await tableExists(pool, 'half_made')).toBe(false);
  });

  it('lets several instances start at once: all end at the latest version, each migration applied once', async () => {
    const pool = await freshPool();
    const results = await Promise.all([migrateTeamDb(pool), migrateTeamDb(pool), migrateTeamDb(pool)]);
    expect(new Set(results).size).toBe(1);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM team_schema_version');
    expect(rows[0].n).toBe(TEAM_MIGRATIONS.length);
  });
});

describe('001 team core', () => {
  it('creates agents with unique active names, the feed with its horizon, team state and a searchable KB', async () => {
    const pool = await freshPool();
    expect(await migrateTeamDb(pool, TEAM_MIGRATIONS, 0)).toBe(0);
    expect(await migrateTeamDb(pool, TEAM_MIGRATIONS, 1)).toBe(1);
    for (const t of ['agents', 'feed_entries', 'feed_latest', 'feed_horizon', 'dunning_cases', 'dunning_history', 'team_notes', 'portal_links', 'audit_log', 'saved_views', 'team_settings', 'model_usage', 'kb_documents', 'kb_chunks']) {
      expect(await tableExists(pool, t), t).toBe(true);
    }
    await pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_a', 'Ana', 'agent', 'h1')");
    await expect(pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_b', 'ana', 'lead', 'h2')")).rejects.toThrow(/agents_active_name/);
    await expect(pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_c', 'Cy', 'owner', 'h3')")).rejects.toThrow(/check constraint/);
    await pool.query("UPDATE agents SET revoked_at = now() WHERE id = 'agt_a'");
    await pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_b', 'Ana', 'lead', 'h2')");

    expect((await pool.query('SELECT pruned_through FROM feed_horizon')).rows).toEqual([{ pruned_through: '0' }]);

    const doc = await pool.query("INSERT INTO kb_documents (ref, title, source, content_hash, updated_at_ms) VALUES ('kb:refunds', 'Refunds', 'refunds.md', 'x', 1) RETURNING id");
    await pool.query('INSERT INTO kb_chunks (document_id, ord, heading, body) VALUES ($1, 0, $2, $3)', [doc.rows[0].id, 'Refund policy', 'Customers may ask for a refund within 30 days of being charged.']);
    const hit = await pool.query("SELECT heading FROM kb_chunks WHERE tsv @@ websearch_to_tsquery('english', 'refunded charges')");
    expect(hit.rows).toEqual([{ heading: 'Refund policy' }]);
  });
});

describe('003 portal link details', () => {
  it('keeps links written before it and adds the details columns (recovery off for old rows)', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 2);
    await pool.query("INSERT INTO portal_links (account_id, customer_id, flow, idempotency_key, actor, result, created_at_ms) VALUES ('acct_1', 'cus_1', 'home', 'key-00000001', 'Ana', 'ok', 1)");
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 3);
    const { rows } = await pool.query('SELECT customer_id, url, return_url, configuration_id, recovers_after_expiry FROM portal_links');
    expect(rows).toEqual([{ customer_id: 'cus_1', url: null, return_url: null, configuration_id: null, recovers_after_expiry: false }]);
  });
});

describe('005 case recovered amount', () => {
  it('keeps cases opened before it, with nothing recovered', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 4);
    await pool.query("INSERT INTO dunning_cases (account_id, customer_id, invoice_id, currency, opened_at, stage_changed_at) VALUES ('acct_1', 'cus_1', 'in_1', 'usd', 1, 1)");
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 5);
    expect((await pool.query('SELECT invoice_id, stage, recovered_amount FROM dunning_cases')).rows).toEqual([{ invoice_id: 'in_1', stage: 'new', recovered_amount: '0' }]);
  });
});

describe('007 knowledge base article body', () => {
  it('keeps articles imported before it, with an empty body until imported again', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 6);
    await pool.query("INSERT INTO kb_documents (ref, title, source, content_hash, updated_at_ms) VALUES ('kb:refunds', 'Refunds', 'refunds.md', 'h', 1)");
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 7);
    expect((await pool.query('SELECT ref, body FROM kb_documents')).rows).toEqual([{ ref: 'kb:refunds', body: '' }]);
  });
});

describe('009 copilot proposals', () => {
  it('adds the proposals table: one proposal per account and id, of an agent, in a known status', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 8);
    expect(await tableExists(pool, 'copilot_proposals')).toBe(false);
    await pool.query("INSERT INTO agents (id, name, role, token_hash) VALUES ('agt_1', 'Ana', 'agent', 'h1')");
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 9);
    const insert = (id: string, status = 'proposed') =>
      pool.query("INSERT INTO copilot_proposals (account_id, id, customer_id, agent_id, type, args, title, reason, source, status, created_at_ms) VALUES ('acct_1', $1, 'cus_1', 'agt_1', 'send_portal_link', '{}', 't', 'r', 'state', $2, 1)", [id, status]);
    await insert('prop_a');
    await expect(insert('prop_a')).rejects.toThrow(/duplicate key/);
    await expect(insert('prop_b', 'running')).rejects.toThrow(/check constraint/);
    expect((await pool.query('SELECT id, status, attempt, result FROM copilot_proposals')).rows).toEqual([{ id: 'prop_a', status: 'proposed', attempt: 0, result: null }]);
  });
});

describe('951 case Stripe facts', () => {
  it('keeps cases opened before it: the amount they entered with is their amount at risk, no attempts known yet', async () => {
    const pool = await freshPool();
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 950);
    await pool.query("INSERT INTO dunning_cases (account_id, customer_id, invoice_id, currency, amount_at_risk, opened_at, stage_changed_at, assignee) VALUES ('acct_1', 'cus_1', 'in_1', 'usd', 4200, 1, 1, 'Lena')");
    await migrateTeamDb(pool, TEAM_MIGRATIONS, 951);
    expect((await pool.query('SELECT invoice_id, assignee, entered_amount, attempt_count, next_payment_attempt, advice_code, last_failure_at, payment_method_at_decline FROM dunning_cases')).rows).toEqual([
      { invoice_id: 'in_1', assignee: 'Lena', entered_amount: '4200', attempt_count: 0, next_payment_attempt: null, advice_code: null, last_failure_at: null, payment_method_at_decline: null },
    ]);
    const indexes = (await pool.query("SELECT indexname FROM pg_indexes WHERE indexname IN ('stripe_objects_open_invoice_subscription', 'dunning_cases_subscription') ORDER BY 1")).rows;
    expect(indexes.map((r) => r.indexname)).toEqual(['dunning_cases_subscription', 'stripe_objects_open_invoice_subscription']);
  });
});

describe('parallel numbering', () => {
  it('applies a lower-numbered migration that arrives after a higher one (a merge of the other branch)', async () => {
    const pool = await freshPool();
    const late: TeamMigration = { version: 2, name: 'arrived with a merge', up: async (db) => void (await db.query('CREATE TABLE arrived_late (id int)')) };
    await migrateTeamDb(pool, TEAM_MIGRATIONS.filter((m) => m.version !== 2));
    const merged = [...TEAM_MIGRATIONS.filter((m) => m.version !== 2), late].sort((a, b) => a.version - b.version);
    await migrateTeamDb(pool, merged);
    expect(await tableExists(pool, 'arrived_late')).toBe(true);
  });

  it('refuses a database holding a step this version does not know', async () => {
    const pool = await freshPool();
    const other: TeamMigration = { version: 1002, name: 'from a newer server', up: async () => {} };
    await migrateTeamDb(pool, [...TEAM_MIGRATIONS, other]);
    await expect(migrateTeamDb(pool)).rejects.toThrow(NewerTeamSchemaError);
  });
});
