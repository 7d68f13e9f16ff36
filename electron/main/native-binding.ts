import fs from 'node:fs';
import path from 'node:path';

// better-sqlite3 is a native module, and Node and Electron speak different ABIs. Rather than
// rebuilding node_modules/better-sqlite3 in place (which breaks `npm test` under Node until the
// next rebuild, and vice versa), a second copy is built for Electron into
// .electron-native/<electron>/<platform>-<arch>/better_sqlite3.node and handed to better-sqlite3
// as `nativeBinding`. The Node build in node_modules is never touched, so `npm test` and
// `npm start` can run in either order. This module holds the pure decisions (paths, "is it up to
// date", which commands to try, what a failure means); scripts/ensure-electron-native.ts runs them.

export const NATIVE_ROOT = '.electron-native';
export const BINDING_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'stamp.json';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

export interface NativeTarget {
  electron: string;
  platform: string;
  arch: string;
}

export interface NativeStamp extends NativeTarget {
  betterSqlite3: string;
  method: 'prebuild-install' | 'node-gyp';
  builtAt: string;
}

export interface NativePaths {
  dir: string;
  binding: string;
  stamp: string;
}

const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.-]{1,40})?$/;
const PLATFORMS = ['linux', 'darwin', 'win32'];
const ARCHES = ['x64', 'arm64', 'ia32', 'armv7l'];

export function isValidVersion(v: unknown): v is string {
  return typeof v === 'string' && VERSION.test(v);
}

/** Refuses anything that could escape the .electron-native folder or reach a shell. */
export function assertValidTarget(target: NativeTarget): void {
  if (!isValidVersion(target.electron)) throw new Error(`not an Electron version: ${JSON.stringify(target.electron)}`);
  if (!PLATFORMS.includes(target.platform)) throw new Error(`unsupported platform: ${JSON.stringify(target.platform)}`);
  if (!ARCHES.includes(target.arch)) throw new Error(`unsupported architecture: ${JSON.stringify(target.arch)}`);
}

export function nativePaths(projectDir: string, target: NativeTarget): NativePaths {
  assertValidTarget(target);
  const dir = path.join(projectDir, NATIVE_ROOT, target.electron, `${target.platform}-${target.arch}`);
  return { dir, binding: path.join(dir, BINDING_FILE), stamp: path.join(dir, STAMP_FILE) };
}

export function parseStamp(raw: unknown): NativeStamp | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Record<string, unknown>;
  if (!isValidVersion(s.electron) || !isValidVersion(s.betterSqlite3)) return null;
  if (typeof s.platform !== 'string' || typeof s.arch !== 'string' || typeof s.builtAt !== 'string') return null;
  if (s.method !== 'prebuild-install' && s.method !== 'node-gyp') return null;
  return { electron: s.electron, betterSqlite3: s.betterSqlite3, platform: s.platform, arch: s.arch, method: s.method, builtAt: s.builtAt };
}

export type NativeStatus = { upToDate: true; stamp: NativeStamp } | { upToDate: false; reason: string };

/**
 * Whether the Electron build on disk fits: the file exists and is not empty, and its stamp names
 * the same Electron, better-sqlite3, platform and architecture. A new Electron or better-sqlite3
 * version means a rebuild.
 */
export function nativeStatus(expected: NativeTarget & { betterSqlite3: string }, found: { bindingBytes: number | null; stamp: unknown }): NativeStatus {
  if (found.bindingBytes === null) return { upToDate: false, reason: 'no Electron build of better-sqlite3 yet' };
  if (found.bindingBytes === 0) return { upToDate: false, reason: 'the Electron build of better-sqlite3 is an empty file' };
  const stamp = parseStamp(found.stamp);
  if (!stamp) return { upToDate: false, reason: 'the build stamp is missing or unreadable' };
  for (const key of ['electron', 'betterSqlite3', 'platform', 'arch'] as const) {
    if (stamp[key] !== expected[key]) return { upToDate: false, reason: `built for ${key} ${stamp[key]}, need ${expected[key]}` };
  }
  return { upToDate: true, stamp };
}

/** Reads the files nativeStatus needs. */
export function readNativeStatus(paths: NativePaths, expected: NativeTarget & { betterSqlite3: string }): NativeStatus {
  let bindingBytes: number | null = null;
  try {
    bindingBytes = fs.statSync(paths.binding).size;
  } catch {
    bindingBytes = null;
  }
  let stamp: unknown = null;
  try {
    stamp = JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
  } catch {
    stamp = null;
  }
  return nativeStatus(expected, { bindingBytes, stamp });
}

export interface RebuildAttempt {
  method: NativeStamp['method'];
  command: string;
  args: string[];
  cwd: string;
}

/**
 * What to run, in order, inside a private copy of the better-sqlite3 package: first download the
 * project's prebuilt binary for this Electron (seconds), then compile against Electron's headers
 * (minutes, needs a C++ toolchain). Compiling is only possible for the machine's own platform/arch.
 */
export function rebuildAttempts(opts: { packageDir: string; target: NativeTarget; host: { platform: string; arch: string }; nodePath: string; prebuildInstallJs: string; nodeGypJs: string }): RebuildAttempt[] {
  const { target } = opts;
  assertValidTarget(target);
  const attempts: RebuildAttempt[] = [
    {
      method: 'prebuild-install',
      command: opts.nodePath,
      args: [opts.prebuildInstallJs, '--runtime=electron', `--target=${target.electron}`, `--platform=${target.platform}`, `--arch=${target.arch}`, '--verbose'],
      cwd: opts.packageDir,
    },
  ];
  if (target.platform === opts.host.platform && target.arch === opts.host.arch) {
    attempts.push({
      method: 'node-gyp',
      command: opts.nodePath,
      args: [opts.nodeGypJs, 'rebuild', '--release', '--runtime=electron', `--target=${target.electron}`, `--arch=${target.arch}`, `--dist-url=${ELECTRON_HEADERS_URL}`],
      cwd: opts.packageDir,
    });
  }
  return attempts;
}

/**
 * The environment for the rebuild commands: npm exports its config as npm_config_*, and settings
 * meant for Node builds (nodedir, target, runtime, disturl) would make node-gyp or prebuild-install
 * build for Node instead of Electron.
 */
export function rebuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  const drop = /^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|platform|build_from_source|node_gyp)$/i;
  for (const [k, v] of Object.entries(env)) if (!drop.test(k)) out[k] = v;
  return out;
}

const OFFLINE_SIGNS = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|network is unreachable/i;

export function looksOffline(output: string): boolean {
  return OFFLINE_SIGNS.test(output);
}

/** One paragraph for the user when every attempt failed: what happened and what to do next. */
export function rebuildFailureMessage(target: NativeTarget, outputs: string[]): string {
  const all = outputs.join('\n');
  const where = `Electron ${target.electron} (${target.platform}-${target.arch})`;
  if (looksOffline(all)) {
    return (
      `Could not get better-sqlite3 for ${where}: the download server could not be reached (no network?). ` +
      'The app needs this once per Electron version. Connect to the internet and run `npm start` again. ' +
      '`npm test` is not affected: it uses the Node build in node_modules.'
    );
  }
  if (/not find any Visual Studio|gyp ERR! find Python|make: not found|g\+\+: not found|No Xcode|xcrun/i.test(all)) {
    return (
      `No prebuilt better-sqlite3 was found for ${where}, and compiling it needs a C++ toolchain this machine lacks ` +
      '(Linux: build-essential and python3; macOS: Xcode command line tools; Windows: Visual Studio Build Tools). Install it and run `npm start` again.'
    );
  }
  const tail = all.split('\n').filter((l) => l.trim()).slice(-6).join('\n');
  return `Could not build better-sqlite3 for ${where}. The last lines of the build output:\n${tail}`;
}

/**
 * Where the main process finds the Electron build at run time: in a packaged app, under the
 * resources folder (copied there by scripts/after-pack.cjs); from source, in .electron-native.
 */
export function runtimeNativeBinding(opts: { isPackaged: boolean; appPath: string; resourcesPath: string; target: NativeTarget }): string {
  if (opts.isPackaged) return path.join(opts.resourcesPath, 'native', BINDING_FILE);
  return nativePaths(opts.appPath, opts.target).binding;
}
