import type Database from 'better-sqlite3';
import type { Logger } from '../core/log';
import { drainSpellingQueue } from './spelling';

// Feeds new customers' words into the typo-tolerance table in the background. Small batches with
// a yield between them: a search arriving meanwhile waits for one batch (a few ms), never for a
// whole backfill's worth of names.

const TICK_MS = 2000;
const BATCH = 500;
const MAX_PER_TICK = 50_000;

export function startSpellingDrain(db: Database.Database, log: Logger): () => void {
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
      drained = drainSpellingQueue(db, BATCH);
      failures = 0;
    } catch (err) {
      // Retried on the next tick (a busy database clears); logged on the first failure and then
      // every 100th, so a lasting problem is visible without flooding the log.
      if (failures++ % 100 === 0) log.warn('search: spelling queue drain failed; typo tolerance may miss new customers', { error: err, failures });
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
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
