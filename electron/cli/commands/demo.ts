import { UsageError, type CliCommand } from '../command';
import { openServices } from '../open-services';
import { clearDemoWorkspace, seedDemoWorkspace } from '../../services/demo/seed';
import { DEFAULT_DEMO_CUSTOMERS, DEFAULT_DEMO_SEED, MAX_DEMO_CUSTOMERS } from '../../services/demo/generate';
import { schemaVersion } from '../../services/db/migrate';
import { DEMO_ACCOUNT } from '../../services/workspace/workspace';
import { startOfUtcDay } from '../../services/demo/time';

/** A whole number written in decimal digits only ("1e3", "0x10" and " 5" are refused). */
function wholeNumberOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** `--anchor 2026-11-01` or a full ISO time: the instant the data describes. */
function anchorOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(raw);
  // Date.parse rolls 2026-02-30 over to March 2: the day must exist in its month.
  const daysInMonth = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate() : 0;
  const ms = m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= daysInMonth ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) throw new UsageError(`--anchor must be a date like 2026-11-01 or 2026-11-01T12:00:00Z, got "${raw}"`);
  return ms;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'write the deterministic demo data set into the cache (--db), replacing earlier demo data',
  usage: 'demo [--seed N] [--customers N] [--anchor YYYY-MM-DD]',
  options: { seed: { type: 'string' }, customers: { type: 'string' }, anchor: { type: 'string' } },
  async run({ values, globals, io }) {
    const seed = wholeNumberOption('seed', values.seed as string | undefined, 0, Number.MAX_SAFE_INTEGER) ?? DEFAULT_DEMO_SEED;
    const customers = wholeNumberOption('customers', values.customers as string | undefined, 1, MAX_DEMO_CUSTOMERS) ?? DEFAULT_DEMO_CUSTOMERS;
    // Like the app: "today" in the demo is today (UTC), unless pinned for a reproducible file.
    const anchor = anchorOption(values.anchor as string | undefined) ?? startOfUtcDay(Date.now());
    const services = await openServices(globals, io, { chooseAccount: false });
    try {
      const db = services.ctx.db;
      const started = performance.now();
      clearDemoWorkspace(db);
      const counts = seedDemoWorkspace(db, { seed, customers, anchor });
      const seconds = Math.round(performance.now() - started) / 1000;
      const summary = { account: DEMO_ACCOUNT.id, db: globals.db, schema_version: schemaVersion(db), seed, anchor: new Date(anchor).toISOString(), ...counts, seconds };
      io.out(
        globals.json
          ? JSON.stringify(summary)
          : `Demo workspace written to ${globals.db} in ${seconds}s (seed ${seed}): ${counts.customers} customers, ${counts.subscriptions} subscriptions, ` +
              `${counts.invoices} invoices, ${counts.payment_methods} payment methods, ${counts.failing_payments} failed payments, ${counts.timeline_events} timeline events`,
      );
    } finally {
      await services.close();
    }
  },
};
