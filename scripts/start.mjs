// `npm start`: build the three bundles, make sure better-sqlite3 exists for this Electron, launch.
// With no Stripe key stored the app opens the demo workspace.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const projectDir = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

function step(label, args) {
  const run = spawnSync(process.execPath, args, { cwd: projectDir, stdio: 'inherit' });
  if (run.status !== 0) {
    process.stderr.write(`\nnpm start stopped: ${label} did not succeed (see above).\n`);
    process.exit(1);
  }
}

step('the build', ['scripts/build.mjs']);
step('preparing better-sqlite3 for Electron', ['--import', 'tsx', 'scripts/ensure-electron-native.ts']);

// Requiring the electron package yields the binary's path; on first use it downloads the binary.
let electronBinary;
try {
  electronBinary = require('electron');
} catch (err) {
  process.stderr.write(
    `\nnpm start stopped: the Electron binary is not installed and could not be downloaded (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).\n` +
      'Connect to the internet and run `npm start` again.\n',
  );
  process.exit(1);
}

// The app must run as Electron, never as plain Node, whatever the parent shell had set.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(electronBinary, [projectDir], { cwd: projectDir, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (err) => {
  process.stderr.write(`\nnpm start stopped: Electron could not be launched (${err.message}).\n`);
  process.exit(1);
});
