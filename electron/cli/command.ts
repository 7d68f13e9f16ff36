import type { ParseArgsConfig } from 'node:util';
import type { Redactor } from '../services/core/redact';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The run's redactor: everything written to stderr goes through it (set by runCli). */
  redactor?: Redactor;
  /**
   * A line printed before the command's first line of output (the account shown), or on stderr
   * before its error when it prints nothing (set by runCli): a failed command keeps stdout empty.
   */
  firstLine?: (line: string) => void;
}

export interface CliGlobals {
  db: string;
  json: boolean;
  /** --account acct_…: which cached account to show. */
  account?: string;
  /** No --db: the cache is in the CLI's own folder (~/.billing-support-console), kept 0700. */
  defaultDb?: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the value printed with --json (and summarized in text otherwise). */
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | boolean[] | undefined>; globals: CliGlobals; io: CliIo }): Promise<void>;
}
