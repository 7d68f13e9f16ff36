import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import { UsageError, type CliIo } from './command';
import { COMMANDS } from './commands';
import { NewerSchemaError } from '../services/db/migrate';
import { Redactor } from '../services/core/redact';

// Headless CLI over the same services as the app. Exit codes: 0 success, 2 bad usage or bad
// input, 1 any other failure; the reason goes to stderr.

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`);
  return [
    'usage: billing-console <command> [options] [--db FILE] [--account acct_…] [--json]',
    '',
    'commands:',
    ...lines,
    '',
    'global options: --db FILE (cache file; default ~/.billing-support-console/cli.db), --json (one JSON value on stdout; the account on stderr),',
    '  --account acct_… (which cached account to show; needed when the cache holds several and STRIPE_SECRET_KEY names none; reads need no key)',
    'environment: STRIPE_SECRET_KEY, STRIPE_API_BASE (e.g. http://127.0.0.1:12111), OPENAI_API_KEY, OPENAI_BASE_URL, COPILOT_MODEL',
  ].join('\n');
}

/**
 * Every line on stderr (errors straight from the Stripe SDK or the sync engine, progress, logs)
 * passes the same redactor as IPC and the harness: a Stripe-compatible server or proxy that
 * echoes the key back in an error message must not put it in a terminal or a CI log.
 */
function redactedIo(io: CliIo): CliIo {
  const redactor = io.redactor ?? new Redactor();
  for (const name of ['STRIPE_SECRET_KEY', 'OPENAI_API_KEY']) redactor.remember(io.env[name]?.trim());
  return { ...io, redactor, err: (text) => io.err(redactor.text(text)) };
}

/** stdout with a pending first line (the account), written just before the first output. */
function withFirstLine(io: CliIo): { io: CliIo; flushToStderr: () => void } {
  let pending: string | null = null;
  const flushed: CliIo = {
    ...io,
    out: (text) => {
      if (pending !== null) io.out(pending);
      pending = null;
      io.out(text);
    },
    firstLine: (line) => {
      pending = line;
    },
  };
  return {
    io: flushed,
    flushToStderr: () => {
      if (pending !== null) io.err(pending);
      pending = null;
    },
  };
}

export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  const { io, flushToStderr } = withFirstLine(redactedIo(rawIo));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { db: { type: 'string' }, json: { type: 'boolean' }, account: { type: 'string' }, ...(command.options ?? {}) },
    });
    const globals = {
      db: (values.db as string | undefined) ?? path.join(os.homedir(), '.billing-support-console', 'cli.db'),
      json: Boolean(values.json),
      account: values.account as string | undefined,
      defaultDb: values.db === undefined,
    };
    await command.run({ positionals, values: values as never, globals, io });
    return 0;
  } catch (err) {
    flushToStderr();
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${err.message}\nusage: billing-console ${command.usage}`);
      return 2;
    }
    if (err instanceof AppError) {
      io.err(err.message);
      return err.code === 'bad_input' || err.code === 'not_found' ? 2 : 1;
    }
    if (err instanceof NewerSchemaError) {
      io.err(err.message);
      return 1;
    }
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

const isEntry = process.argv[1] && /cli[\\/]main\.(ts|js|mjs|cjs)$|billing-console(\.mjs)?$/.test(process.argv[1]);
if (isEntry) {
  runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    // runCli turns every failure into a reason and an exit code; what is left is writing that
    // reason failing (a closed pipe), which still must not end the process with exit code 0.
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
