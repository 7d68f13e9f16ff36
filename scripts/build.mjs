// One build for the three bundles: renderer (vite.config.ts), Electron main and preload.
// `--renderer` builds only the renderer (the web harness and the end-to-end tests need nothing else).
import { build } from 'vite';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const onlyRenderer = process.argv.includes('--renderer');

await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

if (!onlyRenderer) {
  const nodeExternals = [
    'electron',
    ...builtinModules,
    ...builtinModules.map((m) => `node:${m}`),
    ...Object.keys(pkg.dependencies ?? {}),
  ];
  const external = (id) => nodeExternals.some((e) => id === e || id.startsWith(`${e}/`));
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'dist/electron'),
      emptyOutDir: true,
      target: 'node20',
      sourcemap: true,
      minify: false,
      lib: { entry: path.join(root, 'electron/main/main.ts'), formats: ['cjs'], fileName: () => 'main.cjs' },
      rollupOptions: { external },
    },
  });
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'dist/preload'),
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: true,
      minify: false,
      lib: { entry: path.join(root, 'electron/preload/preload.ts'), formats: ['cjs'], fileName: () => 'preload.cjs' },
      rollupOptions: { external: ['electron'] },
    },
  });
}
console.log(onlyRenderer ? 'built renderer -> dist/renderer' : 'built renderer, main and preload -> dist/');
