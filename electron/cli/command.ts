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
}

export interface CliGlobals {
  db: string;
  json: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the value printed with --json (and summarized in text otherwise). */
  run(args: { positionals: string[]; values: Record<string, string | boolean | string[] | boolean[] | undefined>; globals: CliGlobals; io: CliIo }): Promise<void>;
}
