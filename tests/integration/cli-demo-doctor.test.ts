import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_SCHEMA_VERSION } from '../../electron/services/db/migrations';
import { tempDir } from '../helpers/services';

// The acceptance path as a person runs it: `npm run cli -- demo --db X`, then
// `npm run cli -- doctor --db X --json`, in a real child process (tsx), checking stdout, stderr
// and the exit code.

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  // No Stripe key: the CLI works on the demo workspace. Everything else from the parent.
  const env = { ...process.env };
  delete env.STRIPE_SECRET_KEY;
  delete env.STRIPE_API_BASE;
  return new Promise((resolve) => {
    execFile(TSX, ['electron/cli/main.ts', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** What `demo --json` prints: the row counts of the data set it wrote. */
type DemoSummary = Record<string, number>;

/** What `doctor --json` prints (the fields these tests read). */
interface DoctorReport {
  cache: { path: string; existed: boolean; journal_mode: string; recovered: { movedTo: string } | null };
  schema_version: number;
  latest_schema_version: number;
  counts: Record<string, number>;
  stripe_key: Record<string, unknown>;
}

/** The one JSON value `--json` promises on stdout. */
function jsonOut<T extends object>(run: Run): T {
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stdout).toHaveLength(1);
  return JSON.parse(lines[0]) as T;
}

describe('billing-console demo + doctor', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('bsc-cli-demo-'));
  });
  afterAll(() => cleanup());

  it('demo writes the default data set; doctor reports the schema version and the row counts', async () => {
    const db = path.join(dir, 'demo.db');
    const demo = await cli('demo', '--db', db, '--json');
    expect(demo.code, demo.stderr).toBe(0);
    const written = jsonOut<DemoSummary>(demo);
    expect(written).toMatchObject({ account: 'demo', db, schema_version: LATEST_SCHEMA_VERSION, customers: 2000 });
    expect(written.invoices).toBeGreaterThanOrEqual(6000);
    expect(written.failing_payments).toBeGreaterThanOrEqual(150);

    const doctor = await cli('doctor', '--db', db, '--json');
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = jsonOut<DoctorReport>(doctor);
    expect(report.schema_version).toBe(LATEST_SCHEMA_VERSION);
    expect(report.latest_schema_version).toBe(LATEST_SCHEMA_VERSION);
    expect(report.cache).toMatchObject({ path: db, existed: true, journal_mode: 'wal', recovered: null });
    expect(report.counts).toMatchObject({
      customers: written.customers,
      subscriptions: written.subscriptions,
      invoices: written.invoices,
      payment_methods: written.payment_methods,
      timeline_events: written.timeline_events,
    });
    expect(report.counts.payment_attempts).toBeGreaterThan(written.failing_payments);
    expect(report.stripe_key).toEqual({ present: false });

    // Without --json the same facts, for a person.
    const human = await cli('doctor', '--db', db);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`schema      ${LATEST_SCHEMA_VERSION}`);
    expect(human.stdout).toMatch(/customers\s+2000/);
  }, 180_000);

  it('running demo again replaces the data set instead of adding to it', async () => {
    const db = path.join(dir, 'again.db');
    const first = jsonOut<DemoSummary>(await cli('demo', '--db', db, '--customers', '40', '--seed', '1', '--json'));
    const second = await cli('demo', '--db', db, '--customers', '25', '--seed', '2', '--json');
    expect(second.code, second.stderr).toBe(0);
    const report = jsonOut<DoctorReport>(await cli('doctor', '--db', db, '--json'));
    expect(first.customers).toBe(40);
    expect(report.counts.customers).toBe(25);
    expect(report.counts.invoices).toBe(jsonOut<DemoSummary>(second).invoices);
  }, 120_000);

  it('exits 2 with the reason on stderr for a bad --customers value, and touches no file', async () => {
    const db = path.join(dir, 'never.db');
    for (const bad of ['abc', '-5', '0', '1e3', '12abc', '99999999']) {
      const run = await cli('demo', '--db', db, `--customers=${bad}`);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain('--customers must be a whole number');
      expect(run.stdout).toBe('');
    }
    expect(fs.existsSync(db)).toBe(false);
  }, 120_000);

  it('exits 2 for an unknown option', async () => {
    const run = await cli('demo', '--db', path.join(dir, 'never.db'), '--frobnicate');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/frobnicate/);
    expect(run.stderr).toContain('usage: billing-console demo');
  }, 60_000);

  it('moves a corrupt cache file aside with a clear message, never deleting it, and carries on with a fresh cache', async () => {
    const db = path.join(dir, 'corrupt.db');
    const garbage = Buffer.from('this is not a SQLite database, but somebody may still want it back\n'.repeat(100));
    fs.writeFileSync(db, garbage);

    const doctor = await cli('doctor', '--db', db, '--json');
    expect(doctor.code, doctor.stderr).toBe(0);
    const report = jsonOut<DoctorReport>(doctor);
    expect(report.cache.recovered, 'doctor reports where the unreadable file went').not.toBeNull();
    const movedTo = report.cache.recovered!.movedTo;
    expect(movedTo.startsWith(`${db}.corrupt-`)).toBe(true);
    expect(fs.readFileSync(movedTo).equals(garbage)).toBe(true);
    expect(doctor.stderr).toContain(`The cache file ${db} could not be read`);
    expect(doctor.stderr).toContain(`moved aside to ${movedTo} (not deleted)`);
    expect(report.schema_version).toBe(LATEST_SCHEMA_VERSION);

    // The fresh cache is usable at once.
    const demo = await cli('demo', '--db', db, '--customers', '20', '--json');
    expect(demo.code, demo.stderr).toBe(0);
    expect(jsonOut<DemoSummary>(demo).customers).toBe(20);
    expect(fs.readFileSync(movedTo).equals(garbage)).toBe(true);
  }, 120_000);
});
