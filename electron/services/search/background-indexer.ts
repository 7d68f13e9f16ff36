import type Database from 'better-sqlite3';
import type { Logger } from '../core/log';
import { drainSearchQueue } from './index-queue';

// Keeps the search index up to date in the background (see index-queue.ts). Small batches with a
// yield between them: a search arriving meanwhile waits for one batch (about 10 ms), never for a
// whole backfill's worth of customers. The first pass starts at once (a cache opened after a
// sync run in another process, such as the CLI, may hold a queue).

const TICK_MS = 2000;
const BATCH = 500;
const MAX_PER_TICK = 50_000;

export function startSearchIndexer(db: Database.Database, log: Logger): () => void {
  let stopped = false;
  let running = false;
  let failures = 0;

  const runBatches = (left: number) => {
    if (stopped) {
      running = false;
      return;
    }
    let drained = 0;
    try {
      drained = drainSearchQueue(db, BATCH);
      failures = 0;
    } catch (err) {
      // Retried on the next tick (a busy database clears); logged on the first failure and then
      // every 100th, so a lasting problem is visible without flooding the log.
      if (failures++ % 100 === 0) log.warn('search: indexing queued customers failed; search may miss recent changes', { error: err, failures });
    }
    if (drained === BATCH && left > BATCH) setImmediate(() => runBatches(left - BATCH));
    else running = false;
  };

  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runBatches(MAX_PER_TICK);
  }, TICK_MS);
  timer.unref?.();
  running = true;
  const first = setImmediate(() => runBatches(MAX_PER_TICK));
  first.unref?.();
  return () => {
    clearImmediate(first);
    stopped = true;
    clearInterval(timer);
  };
}
