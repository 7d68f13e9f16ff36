import path from 'node:path';
import os from 'node:os';
import { createServices } from '../services';
import { startHarness } from './server';

// `npm run web`: the demo workspace (or the account of STRIPE_SECRET_KEY) in a browser.
// Options by environment: HARNESS_PORT, HARNESS_TOKEN, BSC_DB (cache file).
async function main(): Promise<void> {
  const dbPath = process.env.BSC_DB ?? path.join(os.homedir(), '.billing-support-console', 'harness.db');
  const services = await createServices({ dbPath, stripeApiBase: process.env.STRIPE_API_BASE, env: process.env, privateCacheFolder: !process.env.BSC_DB });
  const harness = await startHarness(services, {
    staticDir: path.resolve('dist/renderer'),
    port: process.env.HARNESS_PORT ? Number(process.env.HARNESS_PORT) : undefined,
    token: process.env.HARNESS_TOKEN,
  });
  process.stdout.write(`Billing Support Console (web harness)\n  cache: ${dbPath}\n  open:  ${harness.appUrl}\n`);
  // A failed close still ends the process, with the reason and a non-zero code.
  const stop = () => {
    harness
      .close()
      .then(() => services.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`web harness did not close cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`web harness failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
