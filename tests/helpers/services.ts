import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../electron/services';
import { createLogger } from '../../electron/services/core/log';
import { Redactor } from '../../electron/services/core/redact';

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'bsc-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServices extends Services {
  logLines: string[];
  dir: string;
  dispose(): Promise<void>;
}

/** Services over a real SQLite file in a temp dir, logs captured (for the no-secret assertions). */
export async function testServices(opts: { env?: NodeJS.ProcessEnv; demoCustomers?: number; skipDemoSeed?: boolean; stripeApiBase?: string } = {}): Promise<TestServices> {
  const { dir, cleanup } = tempDir();
  const logLines: string[] = [];
  const redactor = new Redactor();
  const logger = createLogger(redactor, (l) => logLines.push(l), 'debug');
  const services = await createServices(
    {
      dbPath: path.join(dir, 'cache.db'),
      env: opts.env ?? {},
      stripeApiBase: opts.stripeApiBase,
      demo: { customers: opts.demoCustomers ?? 60, seed: 7 },
      skipDemoSeed: opts.skipDemoSeed,
    },
    { redactor, logger },
  );
  return {
    ...services,
    logLines,
    dir,
    async dispose() {
      await services.close();
      cleanup();
    },
  };
}
