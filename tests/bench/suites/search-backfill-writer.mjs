// A simulated backfill for the search bench: another connection to the same WAL file writing
// pages of 100 customers (and 3 invoices each, with their attempts) in short transactions, as the
// sync does, until told to stop. Plain JS: it runs in a worker thread without a TS loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { dbPath, accountId, objectsPerSecond, seed } = workerData;
const db = new Database(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

const insCustomer = db.prepare(
  `INSERT INTO customers (account_id, id, name, email, phone, metadata_json, created, source_ts, synced_at_ms)
   VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0)`,
);
const insInvoice = db.prepare(
  `INSERT INTO invoices (account_id, id, customer_id, number, status, currency, amount_due, total, attempt_count, created, source_ts, synced_at_ms)
   VALUES (?, ?, ?, ?, 'paid', 'usd', 1000, 1000, 1, ?, 1, 0)`,
);
const insAttempt = db.prepare(
  `INSERT INTO payment_attempts (account_id, id, invoice_id, customer_id, payment_intent_id, charge_id, status, amount, currency, created, source_ts)
   VALUES (?, ?, ?, ?, ?, ?, 'paid', 1000, 'usd', ?, 1)`,
);

const FIRST = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper', 'Jordan', 'Kendall', 'Logan', 'Morgan', 'Parker', 'Quinn', 'Riley', 'Sawyer'];
const LAST = ['Abbott', 'Barrett', 'Castillo', 'Delgado', 'Ellison', 'Fitzgerald', 'Gallagher', 'Holloway', 'Ingram', 'Jennings', 'Kowalski', 'Lindqvist'];
let stop = false;
parentPort.on('message', (m) => {
  if (m === 'stop') stop = true;
});

let n = 0;
let objects = 0;
let pages = 0;
let longestMs = 0;
const page = db.transaction((base) => {
  for (let i = 0; i < 100; i++) {
    const k = base + i;
    const id = `cus_bf${seed}x${k}`;
    insCustomer.run(accountId, id, `${FIRST[k % FIRST.length]} ${LAST[(k * 7) % LAST.length]}${k}`, `bf${k}@backfill${k % 50}.example`, `+1 555 ${String(k).padStart(7, '0')}`, '{"source":"backfill"}', 1_760_000_000 - k);
    objects++;
    for (let j = 0; j < 3; j++) {
      const inv = `in_bf${seed}x${k}x${j}`;
      insInvoice.run(accountId, inv, id, `BF${seed}${k}-${j}`, 1_760_000_000 - k);
      insAttempt.run(accountId, `inpay_bf${seed}x${k}x${j}`, inv, id, `pi_bf${seed}x${k}x${j}`, `ch_bf${seed}x${k}x${j}`, 1_760_000_000 - k);
      objects += 1;
    }
  }
});

const started = performance.now();
const tick = () => {
  const deadline = performance.now() + 50;
  while (!stop && performance.now() < deadline) {
    // Pace to objectsPerSecond (0 = as fast as possible), like a rate-limited backfill.
    if (objectsPerSecond > 0 && objects >= ((performance.now() - started) / 1000) * objectsPerSecond) break;
    const t = performance.now();
    page(n);
    longestMs = Math.max(longestMs, performance.now() - t);
    n += 100;
    pages++;
  }
  if (stop) {
    db.close();
    parentPort.postMessage({ objects, pages, seconds: (performance.now() - started) / 1000, longestTransactionMs: longestMs });
    return;
  }
  setTimeout(tick, objectsPerSecond > 0 ? 5 : 0);
};
parentPort.postMessage('ready');
tick();
