import { createServices, type Services } from '../services';
import { createLogger } from '../services/core/log';
import { Redactor } from '../services/core/redact';
import type { CliGlobals, CliIo } from './command';

/** The same services as the app, over the cache given by --db; logs go to stderr (redacted). */
export async function openServices(globals: CliGlobals, io: CliIo, opts: { skipDemoSeed?: boolean } = {}): Promise<Services> {
  const redactor = new Redactor();
  const logger = createLogger(redactor, (line) => io.err(line), io.env.BSC_LOG_LEVEL === 'debug' ? 'debug' : 'warn');
  const services = await createServices(
    { dbPath: globals.db, stripeApiBase: io.env.STRIPE_API_BASE, env: io.env, skipDemoSeed: opts.skipDemoSeed ?? true, defaultAgentName: io.env.USER },
    { redactor, logger },
  );
  if (services.cacheRecovered) {
    const { movedTo, reason } = services.cacheRecovered;
    io.err(`The cache file ${globals.db} could not be read (${reason}). It was moved aside to ${movedTo} (not deleted) and a new, empty cache was created.`);
  }
  return services;
}
