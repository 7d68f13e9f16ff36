import { parentPort, workerData } from 'node:worker_threads';
import type Stripe from 'stripe';
import { startStripeServer, type FaultRule, type StripeServer } from './index';
import { randomMutation } from './mutations';
import { seedAccount, seedBulk } from './seed';
import { expectedMirror } from '../helpers/stripe-mirror';

// The test server in its own thread (see worker-host.ts): its event loop is not the client's, so
// arrival times in the request log are true even while the client is busy ingesting a page, and
// the bench's client and server do not share one core's worth of JavaScript.

interface Request {
  id: number;
  op: string;
  args: unknown[];
}

let server: StripeServer;

const ops: Record<string, (...args: never[]) => unknown> = {
  seedAccount: (opts: { customers: number; seed?: number }) => seedAccount(server.store, opts).customers.length,
  seedBulk: (opts: { customers: number; invoices: number }) => seedBulk(server.store, opts),
  inject: (rule: Omit<FaultRule, 'path'> & { path?: string }) => {
    server.inject({ ...rule, path: rule.path ? new RegExp(rule.path) : undefined });
    return true;
  },
  clearFaults: () => server.clearFaults(),
  setLatency: (latency: { ms: number; jitter?: number } | null) => server.setLatency(latency),
  mutate: (count: number, firstSeed: number) => {
    let applied = 0;
    for (let i = 0; i < count; i++) if (randomMutation(server.store, firstSeed + i)) applied++;
    return applied;
  },
  advanceClock: (seconds: number) => server.clock.advance(seconds),
  requests: () => server.requests,
  clearRequests: () => {
    server.requests.length = 0;
  },
  eventIds: () => server.store.all('event').map((e) => e.id),
  expectedMirror: (knownPaymentMethods: string[]) => expectedMirror(server.store, new Set(knownPaymentMethods)),
  deletedCustomers: () => server.store.all('customer').length,
  isDeletedCustomer: (id: string) => server.store.collection('customer').isDeleted(id),
  counts: () => ({ customers: server.store.all('customer').length, subscriptions: server.store.collection('subscription').size, invoices: server.store.collection('invoice').size }),
  createCustomer: (p: Parameters<StripeServer['store']['createCustomer']>[0]) => server.store.createCustomer(p) as unknown as Stripe.Customer,
};

async function main(): Promise<void> {
  server = await startStripeServer(workerData ?? {});
  parentPort!.on('message', (msg: Request | 'close') => {
    if (msg === 'close') {
      server.close().then(
        () => parentPort!.postMessage({ closed: true }),
        (err: unknown) => parentPort!.postMessage({ closed: false, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    void answer(msg);
  });
  parentPort!.postMessage({ ready: true, url: server.url, port: server.port });
}

/** Runs one op; its failure goes back to the caller as the reply's error, never unhandled. */
async function answer(msg: Request): Promise<void> {
  try {
    const fn = ops[msg.op];
    if (!fn) throw new Error(`unknown op ${msg.op}`);
    const result = await (fn as (...a: unknown[]) => unknown)(...msg.args);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
}

void main();
