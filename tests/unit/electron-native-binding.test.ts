import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import {
  BINDING_FILE,
  nativePaths,
  nativeStatus,
  rebuildAttempts,
  rebuildEnv,
  rebuildFailureMessage,
  runtimeNativeBinding,
  type NativeTarget,
} from '../../electron/main/native-binding';
import { cacheRecoveredText, missingNativeBindingText, startupFailureText } from '../../electron/main/startup-messages';
import { tempDir } from '../helpers/services';

// better-sqlite3 for Electron lives beside, not instead of, the Node build: these are the pure
// decisions behind `npm start` (scripts/ensure-electron-native.ts) and packaging (after-pack.cjs).

const TARGET: NativeTarget = { electron: '45.5.0', platform: 'linux', arch: 'x64' };
const PROJECT = path.resolve('/home/me/console');

describe('native binding paths', () => {
  it('lives under .electron-native/<electron>/<platform>-<arch>/, never in node_modules', () => {
    const p = nativePaths(PROJECT, TARGET);
    expect(p.binding).toBe(path.join(PROJECT, '.electron-native', '45.5.0', 'linux-x64', BINDING_FILE));
    expect(p.binding).not.toContain('node_modules');
    expect(p.stamp).toBe(path.join(p.dir, 'stamp.json'));
  });

  it.each([
    ['a path in the version', { ...TARGET, electron: '../../etc' }],
    ['a shell metacharacter', { ...TARGET, electron: '45.5.0;rm -rf ~' }],
    ['an empty version', { ...TARGET, electron: '' }],
    ['an unknown platform', { ...TARGET, platform: 'plan9' }],
    ['an arch with a separator', { ...TARGET, arch: 'x64/../../x' }],
  ])('refuses %s', (_label, target) => {
    expect(() => nativePaths(PROJECT, target)).toThrow();
  });

  it('accepts pre-release Electron versions', () => {
    expect(nativePaths(PROJECT, { ...TARGET, electron: '46.0.0-beta.3' }).dir).toContain('46.0.0-beta.3');
  });

  it('packaged app: resources/native; from source: .electron-native', () => {
    expect(runtimeNativeBinding({ isPackaged: true, appPath: '/opt/x/resources/app.asar', resourcesPath: '/opt/x/resources', target: TARGET })).toBe(path.join('/opt/x/resources', 'native', BINDING_FILE));
    expect(runtimeNativeBinding({ isPackaged: false, appPath: PROJECT, resourcesPath: '/ignored', target: TARGET })).toBe(nativePaths(PROJECT, TARGET).binding);
  });
});

describe('nativeStatus: is the Electron build up to date?', () => {
  const expected = { ...TARGET, betterSqlite3: '12.11.1' };
  const stamp = { ...expected, method: 'prebuild-install', builtAt: '2026-01-01T00:00:00Z' };

  it('up to date when the file exists and the stamp matches', () => {
    expect(nativeStatus(expected, { bindingBytes: 2_000_000, stamp })).toMatchObject({ upToDate: true });
  });

  it.each([
    ['no file', { bindingBytes: null, stamp }, /no Electron build/],
    ['an empty file (interrupted copy)', { bindingBytes: 0, stamp }, /empty/],
    ['no stamp', { bindingBytes: 10, stamp: null }, /stamp/],
    ['a garbage stamp', { bindingBytes: 10, stamp: { electron: 45 } }, /stamp/],
    ['another Electron', { bindingBytes: 10, stamp: { ...stamp, electron: '44.0.0' } }, /electron 44\.0\.0, need 45\.5\.0/],
    ['another better-sqlite3', { bindingBytes: 10, stamp: { ...stamp, betterSqlite3: '12.10.0' } }, /betterSqlite3/],
    ['another arch', { bindingBytes: 10, stamp: { ...stamp, arch: 'arm64' } }, /arch/],
    ['an unknown build method', { bindingBytes: 10, stamp: { ...stamp, method: 'magic' } }, /stamp/],
  ])('rebuilds on %s', (_label, found, reason) => {
    const status = nativeStatus(expected, found);
    expect(status.upToDate).toBe(false);
    if (!status.upToDate) expect(status.reason).toMatch(reason);
  });
});

describe('rebuild plan', () => {
  const base = { packageDir: '/tmp/x/better-sqlite3', nodePath: '/usr/bin/node', prebuildInstallJs: '/p/prebuild-install/bin.js', nodeGypJs: '/p/node-gyp/bin/node-gyp.js' };

  it('downloads the prebuilt binary first, then compiles against Electron headers', () => {
    const attempts = rebuildAttempts({ ...base, target: TARGET, host: { platform: 'linux', arch: 'x64' } });
    expect(attempts.map((a) => a.method)).toEqual(['prebuild-install', 'node-gyp']);
    expect(attempts[0]!.args).toEqual(expect.arrayContaining(['--runtime=electron', '--target=45.5.0', '--arch=x64', '--platform=linux']));
    expect(attempts[1]!.args).toEqual(expect.arrayContaining(['rebuild', '--runtime=electron', '--target=45.5.0', '--dist-url=https://electronjs.org/headers']));
    // Both run in the private copy: node_modules/better-sqlite3 is never the working directory.
    expect(attempts.every((a) => a.cwd === base.packageDir)).toBe(true);
  });

  it('for another platform only a download is possible', () => {
    const attempts = rebuildAttempts({ ...base, target: { ...TARGET, platform: 'darwin', arch: 'arm64' }, host: { platform: 'linux', arch: 'x64' } });
    expect(attempts.map((a) => a.method)).toEqual(['prebuild-install']);
  });

  it("drops npm's Node-specific build settings from the environment", () => {
    const env = rebuildEnv({ PATH: '/bin', npm_config_nodedir: '/usr', npm_config_target: '20.0.0', npm_config_runtime: 'node', npm_config_disturl: 'x', npm_config_cache: '/c', HOME: '/h' });
    expect(env).toEqual({ PATH: '/bin', npm_config_cache: '/c', HOME: '/h' });
  });
});

describe('rebuild failure messages', () => {
  it('offline: says so, says what to do, and that npm test is unaffected', () => {
    const msg = rebuildFailureMessage(TARGET, ['prebuild-install warn install getaddrinfo ENOTFOUND github.com', 'gyp ERR! stack Error: connect ETIMEDOUT']);
    expect(msg).toMatch(/could not be reached/);
    expect(msg).toMatch(/npm start/);
    expect(msg).toMatch(/npm test/);
    expect(msg).not.toMatch(/\n\s+at /); // no stack
  });

  it('no toolchain: names what to install', () => {
    expect(rebuildFailureMessage(TARGET, ['404 Not Found', 'gyp ERR! find Python'])).toMatch(/C\+\+ toolchain/);
  });

  it('anything else: the last lines of the output', () => {
    const msg = rebuildFailureMessage(TARGET, ['line1\nline2\nerror: something specific']);
    expect(msg).toMatch(/something specific/);
  });
});

describe('start-up dialogs', () => {
  it('a newer cache: says so and that the file was left alone', () => {
    const err = Object.assign(new Error('This cache was written by a newer version of the app (schema 99; this version knows up to 8).'), { name: 'NewerSchemaError' });
    const t = startupFailureText(err, { cacheFile: '/u/cache.db' });
    expect(t.title).toMatch(/newer version/);
    expect(t.detail).toMatch(/schema 99/);
    expect(t.detail).toMatch(/left untouched/);
  });

  it('an ABI mismatch points to npm start', () => {
    const err = new Error("The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 150.");
    expect(startupFailureText(err, { cacheFile: '/u/cache.db', nativeBinding: '/p/x.node' }).detail).toMatch(/npm start/);
  });

  it('cache recovered: where the old file went, that it was not deleted, and why', () => {
    const t = cacheRecoveredText({ movedTo: '/u/cache.db.corrupt-2026', reason: 'file is not a database' });
    expect(t.detail).toContain('/u/cache.db.corrupt-2026');
    expect(t.detail).toMatch(/not deleted/);
    expect(t.detail).toContain('file is not a database');
  });

  it('missing engine: names the path and the command', () => {
    expect(missingNativeBindingText('/p/.electron-native/x.node').detail).toMatch(/npm start[\s\S]*\/p\/\.electron-native\/x\.node/);
  });
});

describe('packaging fuses (scripts/after-pack.cjs)', () => {
  const afterPack = createRequire(import.meta.url)('../../scripts/after-pack.cjs');

  it('turns off run-as-node, NODE_OPTIONS and --inspect; turns on cookie encryption, asar integrity, asar-only', () => {
    const config = afterPack.fuseConfig(FuseVersion, FuseV1Options, 'linux');
    expect(config.version).toBe(FuseVersion.V1);
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(config.resetAdHocDarwinSignature).toBe(false);
    expect(afterPack.fuseConfig(FuseVersion, FuseV1Options, 'darwin').resetAdHocDarwinSignature).toBe(true);
  });

  it('finds the Electron executable and resources folder per platform', () => {
    const ctx = (electronPlatformName: string) => ({ appOutDir: '/out', electronPlatformName, packager: { appInfo: { productFilename: 'Billing Support Console' }, executableName: 'billing-support-console' } });
    expect(afterPack.electronBinaryPath(ctx('linux'))).toBe(path.join('/out', 'billing-support-console'));
    expect(afterPack.electronBinaryPath(ctx('win32'))).toBe(path.join('/out', 'Billing Support Console.exe'));
    expect(afterPack.electronBinaryPath(ctx('darwin'))).toBe(path.join('/out', 'Billing Support Console.app'));
    expect(afterPack.resourcesDir(ctx('darwin'))).toBe(path.join('/out', 'Billing Support Console.app', 'Contents', 'Resources'));
    expect(afterPack.resourcesDir(ctx('linux'))).toBe(path.join('/out', 'resources'));
  });
});

describe('flipping the fuses of a packed executable', () => {
  it('rewrites the fuse wire found after the sentinel, leaving the rest of the file alone', async () => {
    const FuseState = { DISABLE: 48, ENABLE: 49 }; // the bytes '0' and '1' on the wire
    const afterPack = createRequire(import.meta.url)('../../scripts/after-pack.cjs');
    const { dir, cleanup } = tempDir('bsc-fuses-');
    try {
      // A stand-in for the Electron executable: bytes, the fuse sentinel, wire v1 with 9 fuses
      // in Electron's shipped state ("1" = on), more bytes.
      const head = Buffer.from('ELF-ish header bytes');
      const tail = Buffer.from('the rest of the binary');
      const wire = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101100011')]);
      const exe = path.join(dir, 'billing-support-console');
      fs.writeFileSync(exe, Buffer.concat([head, wire, tail]));
      await afterPack.flipAppFuses({ appOutDir: dir, electronPlatformName: 'linux', packager: { executableName: 'billing-support-console', appInfo: { productFilename: 'x' } } });
      const fuses = await getCurrentFuseWire(exe);
      expect(fuses[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
      const after = fs.readFileSync(exe);
      expect(after.subarray(0, head.length).equals(head)).toBe(true);
      expect(after.subarray(after.length - tail.length).equals(tail)).toBe(true);
      // Fuses this config does not name (index 8 here) keep Electron's value.
      expect(after[head.length + 32 + 2 + 8]).toBe(FuseState.ENABLE);
    } finally {
      cleanup();
    }
  });
});
