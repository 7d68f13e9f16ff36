// One build for the three bundles: renderer (vite.config.ts), Electron main and preload.
//   --renderer        only the renderer (the web harness and the end-to-end tests need nothing else)
//   --electron        only main and preload
//   --outdir <dir>    where main and preload go (default dist/; tests build into a temp dir)
import { build } from 'vite';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const argv = process.argv.slice(2);
const onlyRenderer = argv.includes('--renderer');
const onlyElectron = argv.includes('--electron');
const outIndex = argv.indexOf('--outdir');
const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : path.join(root, 'dist');

/**
 * A dependency published only as ES modules (no "require" export) is bundled into the CJS main
 * rather than required at run time, so loading main.cjs does not depend on Node's require(esm).
 */
function esmOnly(name) {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8'));
    if (meta.type !== 'module') return false;
    const entry = meta.exports?.['.'] ?? meta.exports;
    return !JSON.stringify(entry ?? {}).includes('"require"');
  } catch {
    return false;
  }
}

if (!onlyElectron) await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

if (!onlyRenderer) {
  const nodeExternals = [
    'electron',
    ...builtinModules,
    ...builtinModules.map((m) => `node:${m}`),
    ...Object.keys(pkg.dependencies ?? {}).filter((name) => !esmOnly(name)),
  ];
  const external = (id) => nodeExternals.some((e) => id === e || id.startsWith(`${e}/`));
  await build({
    configFile: false,
    logLevel: 'warn',
    // Main runs in Node: bundled packages resolve their Node entry points, never browser builds.
    resolve: { conditions: ['node', 'module'], mainFields: ['module', 'main'] },
    build: {
      outDir: path.join(outDir, 'electron'),
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      minify: false,
      lib: { entry: path.join(root, 'electron/main/main.ts'), formats: ['cjs'], fileName: () => 'main.cjs' },
      // One file: bundled ES-module packages may import lazily, which would otherwise split chunks.
      rollupOptions: { external, output: { inlineDynamicImports: true } },
    },
  });
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(outDir, 'preload'),
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: true,
      minify: false,
      lib: { entry: path.join(root, 'electron/preload/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  });
}
console.log(onlyRenderer ? 'built renderer -> dist/renderer' : onlyElectron ? `built main and preload -> ${path.relative(root, outDir) || '.'}/` : 'built renderer, main and preload -> dist/');
