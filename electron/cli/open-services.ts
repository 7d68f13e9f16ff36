import { createServices, type Services } from '../services';
import { createLogger } from '../services/core/log';
import { Redactor } from '../services/core/redact';
import type { CliGlobals, CliIo } from './command';
import { accountLine, chooseAccount } from './choose-account';

/** A CLI command is short-lived: a team desk catches up when the command asks (sync), it does not follow live. */
function cliEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.BSC_TEAM_URL && env.BSC_TEAM_FOLLOW === undefined ? { ...env, BSC_TEAM_FOLLOW: '0' } : env;
}

/**
 * The same services as the app, over the cache given by --db; logs go to stderr (redacted). The
 * account shown is chosen (choose-account.ts) and named: the first line of human output, or a
 * stderr line beside --json (or --csv) so stdout stays machine-readable. `chooseAccount: false` for commands
 * that do not show an account's data (demo writes the demo workspace).
 */
export async function openServices(globals: CliGlobals, io: CliIo, opts: { skipDemoSeed?: boolean; chooseAccount?: boolean; machineOutput?: boolean } = {}): Promise<Services> {
  const redactor = io.redactor ?? new Redactor();
  const logger = createLogger(redactor, (line) => io.err(line), io.env.BSC_LOG_LEVEL === 'debug' ? 'debug' : 'warn');
  const services = await createServices(
    { dbPath: globals.db, stripeApiBase: io.env.STRIPE_API_BASE, env: cliEnvironment(io.env), skipDemoSeed: opts.skipDemoSeed ?? true, privateCacheFolder: globals.defaultDb ?? false, defaultAgentName: io.env.USER },
    { redactor, logger },
  );
  if (services.cacheRecovered) {
    const { movedTo, reason } = services.cacheRecovered;
    io.err(`The cache file ${globals.db} could not be read (${reason}). It was moved aside to ${movedTo} (not deleted) and a new, empty cache was created.`);
  }
  if (opts.chooseAccount === false) return services;
  try {
    const account = chooseAccount(services, globals.account, globals.db);
    const line = accountLine(account, account.isDemo || services.ctx.workspace.hasKey(account.id));
    if (globals.json || opts.machineOutput) io.err(line);
    else if (io.firstLine) io.firstLine(line);
    else io.out(line);
  } catch (err) {
    await services.close();
    throw err;
  }
  return services;
}
