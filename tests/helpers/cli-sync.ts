import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// The CLI sync as a person runs it, in its own process (node + tsx, no wrapper process a kill
// would hit instead), for the kill -9 tests: output collected, the exit awaited.

const ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCliSync(opts: { db: string; key: string; apiBase: string; rate: string }, ...args: string[]): CliRun {
  const env = { ...process.env, STRIPE_SECRET_KEY: opts.key, STRIPE_API_BASE: opts.apiBase };
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'sync', '--db', opts.db, '--rate', opts.rate, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: CliRun = { child, stdout: '', stderr: '', exit: null! };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  run.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return run;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
