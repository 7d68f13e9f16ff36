import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runBackfill } from '../../electron/services/sync/backfill';
import { pollEvents } from '../../electron/services/sync/events-poller';
import type { BackfillPage } from '../../electron/services/sync/sink';
import { SqliteSyncSink } from '../../electron/services/sync/sqlite-sink';
import { startStripeServer, type StripeServer } from '../stripe-server';
import { testServices, type TestServices } from '../helpers/services';

// Acceptance (issue 11): whatever the spread of `created` over an account - all in one second,
// uniform, a heavy tail towards now or towards the past, older than the account itself - and with
// customers created while the backfill runs, the sliced backfill commits every customer that
// existed when it began in exactly one page, never one twice, and after the events pass the cache
// holds exactly the server's customers. The parallelism (how many slices are planned and how
// eagerly they are re-split) is drawn too.

const ACCOUNT = 'acct_1SlicesProp000001';
const KEY = 'sk_test_slicesProp0001';
const DAY = 86_400;

type Spread =
  | { kind: 'one-second'; n: number }
  | { kind: 'dense'; n: number; spanSeconds: number }
  | { kind: 'uniform'; n: number; spanDays: number }
  | { kind: 'tail-to-now' | 'tail-to-past'; n: number; spanDays: number; power: number };

const MAX = 900;
const count = fc.integer({ min: 0, max: MAX });
const spread: fc.Arbitrary<Spread> = fc.oneof(
  fc.record({ kind: fc.constant('one-second' as const), n: count }),
  // Many customers per second: a split lands on a second that holds several.
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('dense' as const), n: fc.integer({ min: 150, max: MAX }), spanSeconds: fc.integer({ min: 2, max: 400 }) }) },
  fc.record({ kind: fc.constant('uniform' as const), n: count, spanDays: fc.integer({ min: 1, max: 900 }) }),
  fc.record({ kind: fc.constantFrom('tail-to-now' as const, 'tail-to-past' as const), n: count, spanDays: fc.integer({ min: 1, max: 900 }), power: fc.integer({ min: 2, max: 9 }) }),
);

function createdTimes(s: Spread, now: number, unit: number[]): number[] {
  return unit.slice(0, s.n).map((u) => {
    switch (s.kind) {
      case 'one-second':
        return now - 5 * DAY;
      case 'dense':
        return now - 5 * DAY - Math.floor(u * s.spanSeconds);
      case 'uniform':
        return now - Math.floor(u * s.spanDays * DAY);
      case 'tail-to-now':
        return now - Math.floor(u ** s.power * s.spanDays * DAY);
      case 'tail-to-past':
        return now - s.spanDays * DAY + Math.floor(u ** s.power * s.spanDays * DAY);
    }
  });
}

/** The SQLite sink, counting every object each committed page carried. */
class CountingSink extends SqliteSyncSink {
  readonly committed = new Map<string, number>();
  commits = 0;
  /** The most customer slices any committed checkpoint held (more than planned: a re-split). */
  mostSlices = 0;
  constructor(
    s: TestServices,
    private readonly onCommit: (n: number) => void,
  ) {
    super(s.ctx, ACCOUNT);
  }
  override async commitPage(page: BackfillPage): Promise<void> {
    await super.commitPage(page);
    if (page.resource === 'customers') for (const o of page.items as Array<{ id: string }>) this.committed.set(o.id, (this.committed.get(o.id) ?? 0) + 1);
    this.mostSlices = Math.max(this.mostSlices, page.checkpoint.resources.customers?.slices?.length ?? 0);
    this.onCommit(++this.commits);
  }
}

let server: StripeServer | null = null;
let services: TestServices | null = null;
afterEach(async () => {
  await services?.dispose();
  await server?.close();
  services = null;
  server = null;
});

describe('sliced backfill, property', () => {
  it('commits every customer exactly once whatever the created spread, and the cache ends equal to the server', async () => {
    let runsWithSplits = 0;
    await fc.assert(
      fc.asyncProperty(
        spread,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: MAX, maxLength: MAX }),
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.integer({ min: 0, max: 2 * DAY }), { nil: undefined, freq: 2 }),
        async (s, unit, parallelism, createdDuring, duringAfterCommit, floorBelowOldest) => {
          server = await startStripeServer({ accountId: ACCOUNT });
          const store = server.store;
          store.quiet = true;
          const now = store.now();
          for (const created of createdTimes(s, now, unit)) store.createCustomer({ created, name: 'History' });
          store.quiet = false;
          const existing = store.all('customer').map((c) => c.id as string);

          services = await testServices({ env: { STRIPE_SECRET_KEY: KEY, BSC_SYNC_AUTOSTART: '0' }, stripeApiBase: server.url, skipDemoSeed: true });
          services.ctx.registries.stripeClients.setPacing({ ratePerSecond: 5_000, maxConcurrent: 32, retryBaseMs: 5 });
          const { client } = services.ctx.registries.stripeClients.forAccount(ACCOUNT);
          const during: string[] = [];
          const sink = new CountingSink(services, (n) => {
            // The account keeps changing while the backfill runs.
            if (n === duringAfterCommit) for (let i = 0; i < createdDuring; i++) during.push(store.createCustomer({ name: 'Arrived during the backfill' }).id as string);
          });
          // Slices are planned from the account's creation (or, drawn, from just below the oldest customer).
          const oldest = Math.min(now, ...store.all('customer').map((c) => c.created as number));
          const accountCreated = floorBelowOldest === undefined ? (store.accountObject.created as number) : oldest - floorBelowOldest;
          const r = await runBackfill(sink, client, { parallelism: () => parallelism, accountCreated, paymentMethods: 'defaults' });
          expect(r.ran).toBe(true);
          await pollEvents(sink, client);

          const twice = [...sink.committed].filter(([, n]) => n > 1).map(([id]) => id);
          expect(twice, 'committed in more than one page').toEqual([]);
          const missed = existing.filter((id) => !sink.committed.has(id));
          expect(missed, 'existed at the start but in no page').toEqual([]);
          const cached = (services.ctx.db.prepare('SELECT id FROM customers WHERE account_id = ? AND deleted = 0').all(ACCOUNT) as { id: string }[]).map((c) => c.id).sort();
          expect(cached).toEqual([...existing, ...during].sort());
          if (sink.mostSlices > Math.max(1, Math.round(parallelism / 4))) runsWithSplits++;
          await services.dispose();
          await server.close();
          services = null;
          server = null;
        },
      ),
      { numRuns: 60 },
    );
    // The runs exercised re-splitting, not only the planned slices.
    expect(runsWithSplits).toBeGreaterThan(3);
  });
});
