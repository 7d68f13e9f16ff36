import fs from 'node:fs';
import type { CliCommand } from '../command';
import { openServices } from '../open-services';
import { schemaVersion } from '../../services/db/migrate';
import { LATEST_SCHEMA_VERSION } from '../../services/db/migrations';
import { checkStripeKeyShape } from '../../services/core/stripe-key';
import { AppError } from '../../../shared/contract/errors';

const COUNTED_TABLES = ['accounts', 'customers', 'subscriptions', 'subscription_items', 'invoices', 'payment_attempts', 'payment_methods', 'timeline_events', 'dunning_cases', 'notes', 'portal_links', 'audit_log', 'applied_events', 'kb_documents', 'kb_chunks'];

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check the cache file, schema version, key kind and connectivity',
  usage: 'doctor',
  async run({ globals, io }) {
    const existed = fs.existsSync(globals.db);
    const key = io.env.STRIPE_SECRET_KEY?.trim();
    let keyReport: Record<string, unknown> = { present: false };
    if (key) {
      try {
        const check = checkStripeKeyShape(key);
        keyReport = { present: true, valid_shape: true, kind: check.kind, mode: check.livemode ? 'live' : 'test', hint: `••••${check.hint}` };
      } catch (err) {
        keyReport = { present: true, valid_shape: false, problem: err instanceof AppError ? err.message : 'invalid key' };
      }
    }
    const services = await openServices(globals, io);
    try {
      const db = services.ctx.db;
      const counts: Record<string, number> = {};
      for (const t of COUNTED_TABLES) counts[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
      let connectivity: Record<string, unknown> = { checked: false };
      if (keyReport.valid_shape) {
        const account = services.ctx.workspace.current();
        connectivity = account.isDemo
          ? { checked: true, ok: false, problem: 'Stripe could not be reached or rejected the key' }
          : { checked: true, ok: true, account: account.id, name: account.name };
      }
      const report = {
        cache: { path: globals.db, existed, size_bytes: fs.statSync(globals.db).size, journal_mode: db.pragma('journal_mode', { simple: true }), recovered: services.cacheRecovered },
        schema_version: schemaVersion(db),
        latest_schema_version: LATEST_SCHEMA_VERSION,
        counts,
        stripe_key: keyReport,
        api_base: io.env.STRIPE_API_BASE ?? 'https://api.stripe.com',
        connectivity,
      };
      if (globals.json) io.out(JSON.stringify(report));
      else {
        io.out(`cache       ${report.cache.path} (${report.cache.size_bytes} bytes, ${String(report.cache.journal_mode)})`);
        io.out(`schema      ${report.schema_version} (latest ${report.latest_schema_version})`);
        io.out(`stripe key  ${key ? JSON.stringify(keyReport) : 'not set (STRIPE_SECRET_KEY): demo workspace'}`);
        io.out(`connection  ${JSON.stringify(connectivity)}`);
        for (const [t, n] of Object.entries(counts)) io.out(`  ${t.padEnd(20)} ${n}`);
      }
    } finally {
      await services.close();
    }
  },
};
