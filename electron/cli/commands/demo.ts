import type { CliCommand } from '../command';
import { openServices } from '../open-services';
import { seedDemoWorkspace } from '../../services/demo/seed';
import { DEMO_ACCOUNT } from '../../services/workspace/workspace';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'write the deterministic demo data set into the cache (--db)',
  usage: 'demo [--seed N] [--customers N]',
  options: { seed: { type: 'string' }, customers: { type: 'string' } },
  async run({ values, globals, io }) {
    const seed = values.seed ? Number(values.seed) : undefined;
    const customers = values.customers ? Number(values.customers) : undefined;
    for (const [name, v] of [['seed', seed], ['customers', customers]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new (await import('../command')).UsageError(`--${name} must be a positive integer`);
    }
    const services = await openServices(globals, io);
    try {
      const db = services.ctx.db;
      const started = Date.now();
      db.prepare("DELETE FROM customers WHERE account_id = 'demo'").run();
      const result = seedDemoWorkspace(db, { seed, customers, now: Date.now() });
      const summary = { account: DEMO_ACCOUNT.id, ...result, seconds: (Date.now() - started) / 1000 };
      io.out(globals.json ? JSON.stringify(summary) : `Demo workspace written to ${globals.db}: ${JSON.stringify(result)}`);
    } finally {
      await services.close();
    }
  },
};
