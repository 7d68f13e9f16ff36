// Makes sure .electron-native holds better-sqlite3 built for the installed Electron (see
// electron/main/native-binding.ts for why it is a separate copy). Run by `npm start` before
// Electron launches, and by scripts/after-pack.cjs for packaging.
//
//   node --import tsx scripts/ensure-electron-native.ts [--platform linux] [--arch x64] [--quiet]
//
// Exit 0 when the build is there (already or now), 1 with a one-paragraph reason otherwise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nativePaths, readNativeStatus, rebuildAttempts, rebuildEnv, rebuildFailureMessage, type NativeStamp, type NativeTarget } from '../electron/main/native-binding';

const projectDir = path.resolve(import.meta.dirname, '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function packageVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(projectDir, 'node_modules', name, 'package.json'), 'utf8')).version as string;
}

function main(): number {
  const quiet = process.argv.includes('--quiet');
  const say = (line: string) => {
    if (!quiet) process.stdout.write(line + '\n');
  };
  const target: NativeTarget = { electron: packageVersion('electron'), platform: option('platform') ?? process.platform, arch: option('arch') ?? process.arch };
  const betterSqlite3 = packageVersion('better-sqlite3');
  const paths = nativePaths(projectDir, target);
  const status = readNativeStatus(paths, { ...target, betterSqlite3 });
  if (status.upToDate) {
    say(`better-sqlite3 ${betterSqlite3} for Electron ${target.electron} (${target.platform}-${target.arch}) is ready.`);
    return 0;
  }
  say(`Preparing better-sqlite3 ${betterSqlite3} for Electron ${target.electron} (${target.platform}-${target.arch}): ${status.reason}.`);

  // A private copy of the package, so node_modules/better-sqlite3/build (the Node build) is never touched.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-electron-native-'));
  const packageDir = path.join(work, 'better-sqlite3');
  const outputs: string[] = [];
  try {
    fs.cpSync(path.join(projectDir, 'node_modules', 'better-sqlite3'), packageDir, {
      recursive: true,
      filter: (src) => !src.startsWith(path.join(projectDir, 'node_modules', 'better-sqlite3', 'build')),
    });
    const attempts = rebuildAttempts({
      packageDir,
      target,
      host: { platform: process.platform, arch: process.arch },
      nodePath: process.execPath,
      prebuildInstallJs: path.join(projectDir, 'node_modules', 'prebuild-install', 'bin.js'),
      nodeGypJs: path.join(projectDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    });
    const built = path.join(packageDir, 'build', 'Release', 'better_sqlite3.node');
    for (const attempt of attempts) {
      say(`  trying ${attempt.method}…`);
      const run = spawnSync(attempt.command, attempt.args, { cwd: attempt.cwd, env: rebuildEnv(process.env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      outputs.push(`${run.stdout ?? ''}\n${run.stderr ?? ''}\n${run.error?.message ?? ''}`);
      if (run.status === 0 && fs.existsSync(built) && fs.statSync(built).size > 0) {
        fs.mkdirSync(paths.dir, { recursive: true });
        const tmp = `${paths.binding}.${process.pid}.tmp`;
        fs.copyFileSync(built, tmp);
        fs.renameSync(tmp, paths.binding);
        const stamp: NativeStamp = { ...target, betterSqlite3, method: attempt.method, builtAt: new Date().toISOString() };
        fs.writeFileSync(paths.stamp, JSON.stringify(stamp, null, 2) + '\n');
        say(`  done (${attempt.method}): ${path.relative(projectDir, paths.binding)}`);
        return 0;
      }
    }
    process.stderr.write(rebuildFailureMessage(target, outputs) + '\n');
    return 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main();
} catch (err) {
  // Unexpected (a missing package, a read-only disk): one line, no stack.
  process.stderr.write(`Could not prepare better-sqlite3 for Electron: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
