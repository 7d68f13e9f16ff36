import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

// The layers of DESIGN.md §1 are lint rules (eslint.config.js), run by `npm test` over the whole
// tree. This proves the rules bite: each probe is a real file in the layer it tests, written next
// to the code it would break, linted with the project's own config, then removed. A clean probe per
// layer shows the rules are not simply refusing everything.

const root = path.resolve(import.meta.dirname, '../..');
const tag = `lint-probe-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

interface Probe {
  what: string;
  /** Folder inside the repository the probe file is written to. */
  dir: string;
  ext?: 'ts' | 'tsx';
  source: string;
  /** The rule expected to refuse it, or null when the file must lint clean. */
  refusedBy: string | null;
}

const PROBES: Probe[] = [
  { what: 'shared/ importing a node: module', dir: 'shared/domain', source: "import fs from 'node:fs';\nexport const size = fs.statSync('x').size;\n", refusedBy: 'no-restricted-imports' },
  { what: 'shared/ importing a bare Node builtin', dir: 'shared/contract', source: "import path from 'path';\nexport const sep = path.sep;\n", refusedBy: 'no-restricted-imports' },
  { what: 'shared/ importing electron', dir: 'shared/domain', source: "import { shell } from 'electron';\nexport const open = shell.openExternal;\n", refusedBy: 'no-restricted-imports' },
  { what: 'shared/ importing the services', dir: 'shared/domain', source: "import { LATEST_SCHEMA_VERSION } from '../../electron/services/db/migrations';\nexport const v = LATEST_SCHEMA_VERSION;\n", refusedBy: 'no-restricted-imports' },
  { what: 'shared/ importing the renderer', dir: 'shared/contract', source: "export * from '../../renderer/src/main';\n", refusedBy: 'no-restricted-imports' },
  { what: 'shared/ using the DOM', dir: 'shared/domain', source: 'export const here = (): string => document.title;\n', refusedBy: 'no-restricted-globals' },
  { what: 'shared/ using Node globals', dir: 'shared/domain', source: 'export const home = (): string | undefined => process.env.HOME;\n', refusedBy: 'no-restricted-globals' },
  { what: 'shared/ importing shared/', dir: 'shared/domain', source: "import { minorUnitExponent } from './money';\nexport const yen = minorUnitExponent('jpy');\n", refusedBy: null },
  { what: 'services importing electron', dir: 'electron/services/core', source: "import { app } from 'electron';\nexport const name = (): string => app.getName();\n", refusedBy: 'no-restricted-imports' },
  { what: 'the team server importing electron', dir: 'electron/team-server', source: "import { app } from 'electron';\nexport const name = (): string => app.getName();\n", refusedBy: 'no-restricted-imports' },
  { what: 'the CLI importing electron', dir: 'electron/cli', source: "import { app } from 'electron';\nexport const name = (): string => app.getName();\n", refusedBy: 'no-restricted-imports' },
  { what: 'main using raw ipcMain outside the adapter', dir: 'electron/main', source: "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n", refusedBy: 'no-restricted-imports' },
  { what: 'the renderer importing a service', dir: 'renderer/src', ext: 'tsx', source: "import { LATEST_SCHEMA_VERSION } from '../../electron/services/db/migrations';\nexport const v = LATEST_SCHEMA_VERSION;\n", refusedBy: 'no-restricted-imports' },
  { what: 'the renderer importing Node', dir: 'renderer/src', source: "import os from 'node:os';\nexport const host = os.hostname();\n", refusedBy: 'no-restricted-imports' },
  { what: 'the renderer importing the Stripe SDK', dir: 'renderer/src', source: "import Stripe from 'stripe';\nexport const make = (key: string) => new Stripe(key);\n", refusedBy: 'no-restricted-imports' },
  { what: 'the renderer importing shared/', dir: 'renderer/src', source: "import { minorUnitExponent } from '../../shared/domain/money';\nexport const yen = minorUnitExponent('jpy');\n", refusedBy: null },
  // Type-aware (issue 15): an un-awaited fc.assert once reported an impossible property as passed.
  { what: 'a test leaving a promise floating', dir: 'tests/unit', source: "export async function check(): Promise<void> {}\nexport function run(): void {\n  check();\n}\n", refusedBy: '@typescript-eslint/no-floating-promises' },
  { what: 'a test awaiting its promise', dir: 'tests/unit', source: "export async function check(): Promise<void> {}\nexport async function run(): Promise<void> {\n  await check();\n}\n", refusedBy: null },
];

const files = PROBES.map((p, i) => path.join(root, p.dir, `${tag}-${i}.${p.ext ?? 'ts'}`));
let results: ESLint.LintResult[];

beforeAll(async () => {
  PROBES.forEach((p, i) => fs.writeFileSync(files[i]!, p.source));
  try {
    results = await new ESLint({ cwd: root }).lintFiles(files);
  } finally {
    for (const f of files) fs.rmSync(f, { force: true });
  }
}, 180_000);

afterAll(() => {
  for (const f of files) fs.rmSync(f, { force: true });
});

describe('the layers are lint rules', () => {
  it.each(PROBES.map((p, i) => [p.what, i] as const))('%s', (_what, i) => {
    const probe = PROBES[i]!;
    const result = results.find((r) => r.filePath === files[i]);
    expect(result, 'the probe was linted').toBeDefined();
    const messages = result!.messages.map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
    if (probe.refusedBy === null) expect(messages).toEqual([]);
    else expect(messages.some((m) => m.startsWith(`${probe.refusedBy}: `)), messages.join('\n') || 'no message at all').toBe(true);
  });

  it('says why in words, naming the design rule', () => {
    const shared = results.find((r) => r.filePath === files[0])!;
    expect(shared.messages[0]?.message).toMatch(/without Node \(DESIGN\.md §1\)/);
  });
});
