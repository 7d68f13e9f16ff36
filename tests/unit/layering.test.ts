import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

// The layers by environment (DESIGN.md §1), enforced by a test rather than good intentions:
// shared/ runs in both the renderer and Node, so it may import neither side; services never import
// electron so the CLI, the harness and these tests can run them; the renderer never imports Node.

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    specs.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return specs;
}

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'worker_threads', 'events', 'buffer', 'zlib']);
const isNodeModule = (s: string) => s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!);

describe('layering', () => {
  it('shared/ imports no node: module, no electron and nothing outside shared/', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('shared')) {
      for (const spec of imports(file)) {
        const escapes = spec.startsWith('.') && !path.resolve(root, path.dirname(file), spec).startsWith(path.join(root, 'shared'));
        if (isNodeModule(spec) || spec === 'electron' || spec.startsWith('electron/') || escapes) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('shared/ uses no DOM or Node globals', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('shared')) {
      const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
      for (const g of ['window.', 'document.', 'localStorage', 'process.', 'Buffer.', '__dirname', 'require(']) {
        if (text.includes(g)) offenders.push(`${file}: ${g}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('electron/services, electron/cli and electron/harness never import electron', () => {
    const offenders: string[] = [];
    for (const dir of ['electron/services', 'electron/cli', 'electron/harness']) {
      for (const file of sourceFiles(dir)) {
        for (const spec of imports(file)) if (spec === 'electron' || spec.startsWith('electron/')) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the renderer imports no Node module, no electron and nothing from electron/', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('renderer')) {
      for (const spec of imports(file)) {
        const intoMain = spec.startsWith('.') && path.resolve(root, path.dirname(file), spec).startsWith(path.join(root, 'electron'));
        if (isNodeModule(spec) || spec === 'electron' || intoMain || spec === 'better-sqlite3' || spec === 'stripe') offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('ipcMain is used only by the validating IPC adapter', () => {
    const offenders = sourceFiles('electron').filter((f) => !f.endsWith('ipc-adapter.ts') && /\bipcMain\b/.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
