#!/usr/bin/env node
// `npm run mutation [-- --only 1,3] [--no-baseline] [--json]`: applies each one-line mutation of
// scripts/mutation-list.mjs, one at a time, in a temporary copy of the repository (node_modules
// symlinked), runs only the test files listed with it, and reports which mutations the tests
// caught. Exit code 0 only when every mutation was found and caught. Not part of `npm test`: it
// runs the listed test files once per mutation (minutes, not seconds).
//
// A mutation whose search text is not in its file exactly once is reported as "pattern not found"
// (the product code moved: update the list), never skipped silently. Before the mutations, the
// listed test files run once unmutated: a test that already fails would "catch" everything.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from './mutation-list.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(['node_modules', '.git', 'dist', 'release', 'artifacts', 'coverage', 'bench-results', '.electron-native']);
const TIMEOUT_MS = 15 * 60_000;

function parseArgs(argv) {
  const opts = { only: null, baseline: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') opts.only = new Set(argv[++i].split(',').map(Number));
    else if (argv[i] === '--no-baseline') opts.baseline = false;
    else if (argv[i] === '--json') opts.json = true;
    else {
      console.error(`mutation-check: unknown option ${argv[i]} (options: --only 1,2  --no-baseline  --json)`);
      process.exit(2);
    }
  }
  return opts;
}

function copyRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-mutation-'));
  for (const entry of fs.readdirSync(ROOT)) {
    if (SKIP.has(entry)) continue;
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !/\.db(-wal|-shm)?$/.test(src) });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function occurrences(text, search) {
  let n = 0;
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + search.length)) n++;
  return n;
}

/** Runs vitest on `files` in `cwd`; the failed test names from its output. */
function runTests(cwd, files) {
  const started = Date.now();
  // One file at a time: the machine is shared, and the pacing tests measure request rates.
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--no-file-parallelism', ...files], {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const failed = [...new Set([...out.matchAll(/^\s*(?:FAIL|×)\s+(.+?)(?:\s+\d+ms)?$/gm)].map((m) => m[1].trim()))];
  return { passed: r.status === 0, timedOut: r.error?.code === 'ETIMEDOUT', failed, seconds: Math.round((Date.now() - started) / 1000), tail: out.trim().split('\n').slice(-15).join('\n') };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const list = MUTATIONS.map((m, i) => ({ ...m, id: i + 1 })).filter((m) => !opts.only || opts.only.has(m.id));
  const dir = copyRepo();
  const results = [];
  try {
    // Patterns first: a moved line fails loudly before any test runs.
    for (const m of list) {
      const text = fs.readFileSync(path.join(dir, m.file), 'utf8');
      const n = occurrences(text, m.search);
      if (n !== 1) m.problem = n === 0 ? `mutation ${m.id}: pattern not found in ${m.file}` : `mutation ${m.id}: pattern found ${n} times in ${m.file} (must be exactly once)`;
      if (m.problem) console.error(m.problem);
    }
    if (opts.baseline) {
      const files = [...new Set(list.filter((m) => !m.problem).flatMap((m) => m.tests))];
      console.error(`baseline: ${files.length} test files, unmutated…`);
      const base = runTests(dir, files);
      if (!base.passed) {
        console.error(`baseline failed: the listed tests must pass on the unmutated code first.\n${base.failed.join('\n')}\n${base.tail}`);
        process.exit(1);
      }
      console.error(`baseline passed (${base.seconds}s)`);
    }
    for (const m of list) {
      if (m.problem) {
        results.push({ id: m.id, what: m.what, result: 'PATTERN NOT FOUND', seconds: 0, failed: [m.problem] });
        continue;
      }
      const target = path.join(dir, m.file);
      const original = fs.readFileSync(target, 'utf8');
      fs.writeFileSync(target, original.replace(m.search, m.replace));
      console.error(`mutation ${m.id}: ${m.what} …`);
      let run;
      try {
        run = runTests(dir, m.tests);
      } finally {
        fs.writeFileSync(target, original);
      }
      const result = run.passed ? 'NOT CAUGHT' : run.timedOut ? 'caught (timeout)' : 'caught';
      results.push({ id: m.id, what: m.what, file: m.file, tests: m.tests, result, seconds: run.seconds, failed: run.failed.slice(0, 3) });
      console.error(`  ${result} in ${run.seconds}s${run.failed.length ? `: ${run.failed[0]}` : ''}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  if (opts.json) console.log(JSON.stringify(results, null, 2));
  else {
    console.log('\n| # | mutation | result | s | first failing test |');
    console.log('|---|---|---|---|---|');
    for (const r of results) console.log(`| ${r.id} | ${r.what} | ${r.result} | ${r.seconds} | ${(r.failed[0] ?? '').replace(/\|/g, '/')} |`);
    const caught = results.filter((r) => r.result.startsWith('caught')).length;
    console.log(`\n${caught} of ${results.length} mutations caught.`);
  }
  process.exit(results.every((r) => r.result.startsWith('caught')) ? 0 : 1);
}

main();
