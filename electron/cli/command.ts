import type { ParseArgsConfig } from 'node:util';

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
