import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Faker, base, en, ja, de, ru } from '@faker-js/faker';
import type { BenchContext } from '../run';
import { createServices } from '../../../electron/services';
import { silentLogger } from '../../../electron/services/core/log';
import { DEFAULT_DEMO_CUSTOMERS, generateDemoObjects, iterateDemoCustomers } from '../../../electron/services/demo/generate';
import { namePools } from '../../../electron/services/demo/name-pools';
import { personFor } from '../../../electron/services/demo/people';
import { openCache } from '../../../electron/services/db/open';
import { seedDemoWorkspace } from '../../../electron/services/demo/seed';
import { tempDir } from '../../helpers/services';

// `npm run bench -- demo [--json] [--customers 2000] [--stream-customers 20000]`
// - generation throughput (objects/s; target >= 50k) of the default data set, and of a large one
//   streamed customer by customer (what a bench seeding a Stripe test server with 100k uses), with
//   the heap growth showing that streaming does not hold everything;
// - people from pre-drawn faker pools versus calling faker for every customer (the alternative);
// - the app's first start with no key: open + migrate + seed the default demo workspace, the
//   longest single write transaction, and the second start (already seeded).

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The alternative to pools: one faker call per field per customer. */
function fakerPerCustomer(customers: number): number {
  const fakers = [en, ja, de, ru].map((l) => {
    const f = new Faker({ locale: [l, en, base] });
    f.seed(1);
    return f;
  });
  const started = performance.now();
  let sink = 0;
  for (let i = 0; i < customers; i++) {
    const f = fakers[i % fakers.length];
    const first = f.person.firstName();
    const last = f.person.lastName();
    sink += f.internet.email({ firstName: first, lastName: last }).length + f.phone.number().length + f.location.city().length + f.location.streetAddress().length + f.company.name().length;
  }
  if (sink < 0) throw new Error('unreachable');
  return performance.now() - started;
}

export default async function demoBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const customers = arg(ctx.args, 'customers', DEFAULT_DEMO_CUSTOMERS);
  const streamCustomers = arg(ctx.args, 'stream-customers', 20_000);

  // Pools are built once per seed; a fresh seed shows their cost.
  let started = performance.now();
  const pools = namePools(987_654);
  const poolsMs = performance.now() - started;
  started = performance.now();
  for (let i = 0; i < customers; i++) personFor(987_654, i, pools);
  const poolPeopleMs = performance.now() - started;
  const fakerPeopleMs = fakerPerCustomer(customers);
  ctx.print(`people for ${customers} customers: pools ${round(poolPeopleMs)} ms (+${round(poolsMs)} ms to draw the pools once) vs faker per customer ${round(fakerPeopleMs)} ms`);

  generateDemoObjects({ customers: 50 }); // warm up the JIT
  started = performance.now();
  const all = generateDemoObjects({ customers });
  const generateMs = performance.now() - started;
  const stripeObjects = all.customers.length + all.paymentMethods.length + all.subscriptions.length + all.invoices.length;
  const objects = stripeObjects + all.timeline.length;
  const perSecond = Math.round(objects / (generateMs / 1000));
  ctx.print(`generate ${customers} customers: ${round(generateMs)} ms, ${objects} objects (${stripeObjects} Stripe objects + ${all.timeline.length} timeline rows), ${perSecond} objects/s`);

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  let streamed = 0;
  started = performance.now();
  for (const b of iterateDemoCustomers({ customers: streamCustomers })) {
    streamed += 1 + b.paymentMethods.length + b.subscriptions.length + b.invoices.length + b.timeline.length;
    if (streamed % 50 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const streamMs = performance.now() - started;
  const streamPerSecond = Math.round(streamed / (streamMs / 1000));
  ctx.print(`stream ${streamCustomers} customers: ${round(streamMs)} ms, ${streamed} objects, ${streamPerSecond} objects/s, heap growth ${round((peakHeap - heapBefore) / 1e6)} MB`);

  const { dir, cleanup } = tempDir('bsc-bench-demo-');
  try {
    // Seeding alone into a fresh cache, with the longest transaction.
    const { db } = openCache(path.join(dir, 'seed.db'));
    let longestTransactionMs = 0;
    started = performance.now();
    const counts = seedDemoWorkspace(db, { customers, onProgress: (p) => (longestTransactionMs = Math.max(longestTransactionMs, p.transactionMs)) });
    const seedMs = performance.now() - started;
    db.close();
    ctx.print(`seed ${customers} customers through ingest: ${round(seedMs)} ms (${counts.invoices} invoices, ${counts.failing_payments} failed payments), longest transaction ${round(longestTransactionMs)} ms`);

    // The app's first and second start with no key (the demo workspace opens).
    const options = { dbPath: path.join(dir, 'app.db'), env: {}, demo: { customers } };
    started = performance.now();
    const first = await createServices(options, { logger: silentLogger });
    const firstStartMs = performance.now() - started;
    await first.close();
    started = performance.now();
    const second = await createServices(options, { logger: silentLogger });
    const secondStartMs = performance.now() - started;
    await second.close();
    ctx.print(`app start with no key: first (creates cache + seeds demo) ${round(firstStartMs)} ms, second ${round(secondStartMs)} ms`);

    return {
      customers,
      objects,
      stripe_objects: stripeObjects,
      generate_ms: round(generateMs),
      objects_per_s: perSecond,
      stream_customers: streamCustomers,
      stream_objects_per_s: streamPerSecond,
      stream_heap_growth_mb: round((peakHeap - heapBefore) / 1e6),
      pools_build_ms: round(poolsMs),
      people_from_pools_ms: round(poolPeopleMs),
      people_faker_per_customer_ms: round(fakerPeopleMs),
      seed_ms: round(seedMs),
      seed_longest_transaction_ms: round(longestTransactionMs),
      app_first_start_ms: round(firstStartMs),
      app_second_start_ms: round(secondStartMs),
      invoices: counts.invoices,
      failing_payments: counts.failing_payments,
    };
  } finally {
    cleanup();
  }
}
