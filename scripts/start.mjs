// `npm start`: build the three bundles, make sure better-sqlite3 exists for this Electron, launch.
// With no Stripe key stored the app opens the demo workspace.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

// The electron package downloads its binary on first use. Do that here with the output captured, so
// an offline machine gets one clear sentence instead of a downloader stack trace.
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const installed = fs.existsSync(pathFile) && fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()));
if (!installed) {
  process.stdout.write('Downloading the Electron binary (first start only)…\n');
  const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8' });
  if (download.status !== 0) {
    const output = `${download.stdout ?? ''}\n${download.stderr ?? ''}`;
    const reason = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH|getaddrinfo|fetch failed/.test(output)
      ? 'the download server could not be reached (no network?)'
      : output.split('\n').map((l) => l.trim()).filter(Boolean).find((l) => /error/i.test(l)) ?? 'the download failed';
    process.stderr.write(`\nnpm start stopped: the Electron binary could not be downloaded: ${reason}.\nConnect to the internet and run \`npm start\` again.\n`);
    process.exit(1);
  }
}
// Requiring the electron package from Node yields the binary's path.
const electronBinary = require('electron');

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
