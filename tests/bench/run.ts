// `npm run bench -- <suite> [--json] [suite options]`: speed and memory figures, each suite comparing
// against the alternatives its issue names, in the same run. With --json the LAST line of output is
// one JSON object of figures (human-readable lines come before it).
import { SUITES } from './suites';

export interface BenchContext {
  json: boolean;
  /** Remaining command-line arguments (suite-specific options such as --customers 1000). */
  args: string[];
  /** Human-readable progress and results (printed in both modes). */
  print: (line: string) => void;
}

export type BenchSuite = (ctx: BenchContext) => Promise<Record<string, unknown>>;

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const json = rest.includes('--json');
  const args = rest.filter((a) => a !== '--json');
  const suite = name ? SUITES[name] : undefined;
  if (!suite) {
    process.stderr.write(`usage: npm run bench -- <suite> [--json]\nsuites: ${Object.keys(SUITES).join(', ') || '(none yet)'}\n`);
    process.exit(2);
  }
  const figures = await suite({ json, args, print: (line) => process.stdout.write(line + '\n') });
  if (json) process.stdout.write(JSON.stringify({ suite: name, ...figures }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
