// Lint for the whole repository, run by `npm run lint` inside `npm test` with zero warnings allowed.
// Besides the usual TypeScript and React-hooks rules it holds the layers of DESIGN.md §1 (shared/ is
// pure, services never import electron, the renderer never reaches into Node or the services): a
// broken layer is a lint error at the import, not a convention somebody has to remember.
import { createRequire } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

assertTypeScript6ForTypedLint();

// Node's own modules, bare and `node:` prefixed: shared/ and the renderer must run without Node.
const NODE_BUILTIN_IMPORTS = {
  regex: '^(node:.*|(assert|async_hooks|buffer|child_process|cluster|crypto|dgram|dns|events|fs|http|http2|https|inspector|module|net|os|path|perf_hooks|process|querystring|readline|repl|stream|string_decoder|timers|tls|tty|url|util|v8|vm|worker_threads|zlib)(/.*)?)$',
  message: 'This layer runs without Node (DESIGN.md §1): no Node module here.',
};
const ELECTRON_IMPORTS = {
  regex: '^electron(/.*)?$',
  message: 'Only electron/main and electron/preload may import electron (DESIGN.md §1): the services, the CLI, the harness and the team server run under plain Node.',
};
// Relative paths are checked as written: a file in shared/ that climbs out of shared/ (to electron/,
// renderer/, tests/) reaches `../../<dir>/`, and nothing inside shared/ is named like those.
const OUT_OF_SHARED_IMPORTS = {
  regex: '^(\\.\\./)+(electron|renderer|tests|scripts)(/.*)?$',
  message: 'shared/ is imported by both sides and imports neither (DESIGN.md §1).',
};
const RENDERER_INTO_MAIN_IMPORTS = {
  regex: '^(\\.\\./)+electron(/.*)?$',
  message: 'The renderer reaches the services only through the contract over IPC (DESIGN.md §1), never by importing electron/.',
};
const MAIN_SIDE_PACKAGES = {
  regex: '^(better-sqlite3|sqlite-vec|stripe|@ai-sdk/openai)(/.*)?$',
  message: 'Data, Stripe and the model live behind the main side (DESIGN.md §1 rule 1); the renderer asks through the contract.',
};

// Globals that exist only in a browser or only in Node: shared/ runs in both, so it may use neither.
const SHARED_FORBIDDEN_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element',
  'process', 'Buffer', '__dirname', '__filename', 'require', 'module', 'global', 'setImmediate',
].map((name) => ({ name, message: `shared/ runs in the renderer and in Node (DESIGN.md §1): \`${name}\` exists in only one of them.` }));

export default defineConfig(
  {
    // What .gitignore keeps out of the repository: build output and run artifacts.
    ignores: ['dist/**', 'release/**', 'artifacts/**', 'coverage/**', 'bench-results/**', 'tests/e2e/screenshots/**', '.electron-native/**', 'tmp/**'],
  },
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection (issue 15: an un-awaited fc.assert reported an
      // impossible property as passed). `void promise` says "fire and forget" on purpose.
      '@typescript-eslint/no-floating-promises': 'error',
      // The same lost rejection, one step removed: an async callback handed to an event emitter or
      // a signal handler. JSX attributes are not checked: React ignores what a handler returns, so
      // `onClick={async () => …}` is the idiom there (such a handler still catches its own errors).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS on purpose (Electron's packaging hook, the electron stand-in loaded with --require).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: {
      parserOptions: { project: './tsconfig.renderer.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTIN_IMPORTS, ELECTRON_IMPORTS, RENDERER_INTO_MAIN_IMPORTS, MAIN_SIDE_PACKAGES] }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NODE_BUILTIN_IMPORTS, ELECTRON_IMPORTS, OUT_OF_SHARED_IMPORTS] }],
      'no-restricted-globals': ['error', ...SHARED_FORBIDDEN_GLOBALS],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/harness/**/*.ts', 'electron/team-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [ELECTRON_IMPORTS] }],
    },
  },
  {
    // Raw ipcMain trusts every sender; the adapter checks the sender frame and validates input.
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    ignores: ['electron/main/ipc-adapter.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', importNames: ['ipcMain'], message: 'Serve calls through electron/main/ipc-adapter.ts, which checks the sender frame and validates every input.' }],
      }],
    },
  },
);

// typescript-eslint reads types through TypeScript's JavaScript compiler API, which the native
// TypeScript 7 (our `tsc`) does not ship. package.json therefore installs `typescript` as
// @typescript/typescript6 and the native compiler as @typescript/native. Say so in words if the
// parser would ever load something else, instead of failing on an undefined `ts.SyntaxKind`.
function assertTypeScript6ForTypedLint() {
  const fromHere = createRequire(import.meta.url);
  const fromParser = createRequire(fromHere.resolve('@typescript-eslint/parser'));
  const fromEstree = createRequire(fromParser.resolve('@typescript-eslint/typescript-estree'));
  const { version } = fromEstree('typescript');
  if (!/^6\./.test(version)) {
    throw new Error(`typescript-eslint would load TypeScript ${version}; it needs the TypeScript 6 compiler API (the \`typescript\` alias to @typescript/typescript6 in package.json). Run npm install.`);
  }
}
