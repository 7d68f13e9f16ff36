// Measures the memory one search engine needs, in a process of its own (so neither engine's
// garbage nor the data generator's skews the other's figure). Forked by the search bench:
//   argv: <sqlite|minisearch> <dbPath> <accountId> <queriesJsonFile>
// Prints one JSON line: baseline and deltas in bytes.
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import { searchCustomers } from '../../../electron/services/search/search-customers';
import { buildMiniSearch, miniSearch } from './search-baselines';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

function snapshot(): { rss: number; heap: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

const [mode, dbPath, accountId, queriesFile] = process.argv.slice(2) as [string, string, string, string];
const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8')) as string[];
const base = snapshot();
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
let afterBuild = snapshot();
if (mode === 'sqlite') {
  for (let pass = 0; pass < 2; pass++) for (const q of queries) searchCustomers(db, accountId, q, { limit: 20 });
} else {
  const ms = buildMiniSearch(db, accountId);
  db.close();
  afterBuild = snapshot();
  for (const q of queries) miniSearch(ms, q);
  // Keep the index reachable until the final snapshot.
  (globalThis as { keep?: unknown }).keep = ms;
}
const end = snapshot();
process.stdout.write(
  JSON.stringify({ mode, rssDelta: end.rss - base.rss, heapDelta: end.heap - base.heap, rssAfterBuild: afterBuild.rss - base.rss, heapAfterBuild: afterBuild.heap - base.heap, peakRss: process.resourceUsage().maxRSS * 1024 - base.rss }) + '\n',
);
