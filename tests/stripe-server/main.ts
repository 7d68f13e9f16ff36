// Runs the loopback Stripe-compatible test server by hand:
//   tsx tests/stripe-server/main.ts --port 12111 --seed-customers 200
//   STRIPE_SECRET_KEY=sk_test_localServer01 STRIPE_API_BASE=http://127.0.0.1:12111 npm run cli -- sync
// --bulk-customers/--bulk-invoices seed a large account (bench); --churn N makes N random changes
// per second (events for the poller to pick up); --latency MS [--jitter 0.3] delays every answer
// like the real API seen from a desk. Prints one JSON line {url, port} when ready.
import { parseArgs } from 'node:util';
import { startStripeServer } from './index';
import { seedAccount, seedBulk } from './seed';
import { randomMutation } from './mutations';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '12111' },
      'seed-customers': { type: 'string', default: '0' },
      'bulk-customers': { type: 'string', default: '0' },
      'bulk-invoices': { type: 'string', default: '0' },
      churn: { type: 'string', default: '0' },
      seed: { type: 'string', default: '42' },
      latency: { type: 'string', default: '0' },
      jitter: { type: 'string', default: '0.3' },
    },
  });
  const latency = Number(values.latency);
  const server = await startStripeServer({ port: Number(values.port), ...(latency > 0 ? { latency: { ms: latency, jitter: Number(values.jitter) } } : {}) });
  const seedCustomers = Number(values['seed-customers']);
  if (seedCustomers > 0) seedAccount(server.store, { customers: seedCustomers, seed: Number(values.seed) });
  const bulkCustomers = Number(values['bulk-customers']);
  if (bulkCustomers > 0) seedBulk(server.store, { customers: bulkCustomers, invoices: Number(values['bulk-invoices']) });
  const churn = Number(values.churn);
  let timer: NodeJS.Timeout | null = null;
  if (churn > 0) {
    let n = 0;
    timer = setInterval(() => {
      for (let i = 0; i < churn; i++) randomMutation(server.store, Number(values.seed) + n++);
    }, 1000);
  }
  process.stdout.write(JSON.stringify({ url: server.url, port: server.port }) + '\n');
  const stop = () => {
    if (timer) clearInterval(timer);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stripe test server did not close cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`stripe-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
