// electron-builder afterPack hook (electron-builder.yml). Runs once per platform/arch after the
// app is laid out and before it is signed:
// 1. puts better-sqlite3 built for this Electron and platform/arch into resources/native/
//    (the main process loads it from there; node_modules is never rebuilt in place, see
//    electron/main/native-binding.ts);
// 2. flips the Electron fuses, which turn off features an attacker could use to run code through
//    the signed binary (run as Node, NODE_OPTIONS, --inspect) and make the app load only from its
//    integrity-checked app.asar.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Fuse → state. Names are @electron/fuses' FuseV1Options keys. */
const FUSES = Object.freeze({
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  // The renderer is served from the app:// protocol, so file:// needs no extra privileges.
  GrantFileProtocolExtraPrivileges: false,
});

/** builder-util's Arch enum (numbers) → Node's arch names. */
const ARCH_NAMES = Object.freeze({ 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' });

/** The config object @electron/fuses' flipFuses expects, built from its own enums. */
function fuseConfig(FuseVersion, FuseV1Options, platform) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' };
  for (const [name, on] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`@electron/fuses does not know the fuse ${name}: update it`);
    config[FuseV1Options[name]] = on;
  }
  return config;
}

function appBundleName(context) {
  return `${context.packager.appInfo.productFilename}.app`;
}

/** Path of the Electron executable inside the packed app (the file whose fuse wire is flipped). */
function electronBinaryPath(context) {
  const platform = context.electronPlatformName;
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, appBundleName(context));
  if (platform === 'win32') return path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.exe`);
  return path.join(context.appOutDir, context.packager.executableName);
}

function resourcesDir(context) {
  const platform = context.electronPlatformName;
  if (platform === 'darwin' || platform === 'mas') return path.join(context.appOutDir, appBundleName(context), 'Contents', 'Resources');
  return path.join(context.appOutDir, 'resources');
}

function nodePlatform(electronPlatformName) {
  return electronPlatformName === 'mas' ? 'darwin' : electronPlatformName;
}

function copyNativeBinding(context, projectDir) {
  const platform = nodePlatform(context.electronPlatformName);
  const arch = ARCH_NAMES[context.arch];
  if (!arch || arch === 'universal') throw new Error(`after-pack: build one architecture at a time (got ${arch ?? context.arch}); better-sqlite3 is per-architecture`);
  const ensure = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectDir, 'scripts', 'ensure-electron-native.ts'), '--platform', platform, '--arch', arch], {
    cwd: projectDir,
    stdio: 'inherit',
  });
  if (ensure.status !== 0) throw new Error(`after-pack: better-sqlite3 for Electron ${platform}-${arch} is not available (see above)`);
  const electronVersion = JSON.parse(fs.readFileSync(path.join(projectDir, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const source = path.join(projectDir, '.electron-native', electronVersion, `${platform}-${arch}`, 'better_sqlite3.node');
  const targetDir = path.join(resourcesDir(context), 'native');
  fs.mkdirSync(targetDir, { recursive: true });
  fs.copyFileSync(source, path.join(targetDir, 'better_sqlite3.node'));
}

/** Flips the fuse wire of the packed Electron executable (the copy in appOutDir, never node_modules). */
async function flipAppFuses(context) {
  const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');
  await flipFuses(electronBinaryPath(context), fuseConfig(FuseVersion, FuseV1Options, nodePlatform(context.electronPlatformName)));
}

async function afterPack(context) {
  copyNativeBinding(context, path.resolve(__dirname, '..'));
  await flipAppFuses(context);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
module.exports.flipAppFuses = flipAppFuses;
module.exports.electronBinaryPath = electronBinaryPath;
module.exports.resourcesDir = resourcesDir;
