import path from 'node:path';
import type Stripe from 'stripe';
import { openCache } from '../../../electron/services/db/open';
import { ensureAccount, ingestObject } from '../../../electron/services/stripe/ingest';
import { customer, invoice } from '../../helpers/customer-fixtures';

// What keeping the search index in step costs the sync: the same Stripe objects ingested through
// the real write path (ingestObject, pages of 100 per transaction) into a cache with the search
// triggers and into one without them.

const SEARCH_TRIGGERS = ['customers_search_insert', 'customers_search_update', 'customers_search_delete'];

function objects(n: number): { customers: Stripe.Customer[]; invoices: Stripe.Invoice[] } {
  const first = ['Ana', 'Bruno', 'Chloé', 'Dmitri', 'Eun-ji', 'Farah', 'Giulia', 'Hiro', 'Ines', 'Jonas'];
  const last = ['Silva', 'Schmidt', 'Dubois', 'Ivanov', 'Kim', 'Haddad', 'Rossi', 'Tanaka', 'García', 'Berg'];
  const customers = Array.from({ length: n }, (_, i) =>
    customer({ id: `cus_wc${i}`, name: `${first[i % 10]} ${last[(i * 3) % 10]}${i}`, email: `user${i}@example${i % 100}.com`, phone: `+1 415 555 ${String(i).padStart(4, '0')}`, metadata: { plan: 'pro', ref: `r${i}` } }),
  );
  const invoices = Array.from({ length: n * 3 }, (_, i) =>
    invoice({ id: `in_wc${i}`, customer: `cus_wc${Math.floor(i / 3)}`, number: `WC${Math.floor(i / 3)}-${i % 3}`, amountDue: 1000 + i, attempts: [{ id: `inpay_wc${i}`, status: 'paid', amount: 1000 + i }] }),
  );
  return { customers, invoices };
}

function ingestRate(file: string, withTriggers: boolean, batch: Array<{ object: string }>): number {
  const { db } = openCache(file);
  ensureAccount(db, { id: 'acct_wc', name: 'wc', livemode: false, isDemo: false });
  if (!withTriggers) for (const t of SEARCH_TRIGGERS) db.exec(`DROP TRIGGER ${t}`);
  const t0 = performance.now();
  for (let i = 0; i < batch.length; i += 100) {
    const page = batch.slice(i, i + 100);
    db.transaction(() => {
      for (const o of page) ingestObject(db, 'acct_wc', o as never, 1_760_000_000);
    })();
  }
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return Math.round(batch.length / seconds);
}

export function measureWriteCost(dir: string, n: number, print: (line: string) => void): Record<string, unknown> {
  const { customers, invoices } = objects(n);
  // Customers only, then a realistic mix (three invoices with their payment per customer).
  const mixed: Array<{ object: string }> = [];
  for (let i = 0; i < customers.length; i++) mixed.push(customers[i]!, invoices[3 * i]!, invoices[3 * i + 1]!, invoices[3 * i + 2]!);
  const result: Record<string, number> = {};
  for (const [label, batch] of [
    ['customers', customers],
    ['mixed', mixed],
  ] as const) {
    // Alternate the order so neither variant always runs on a warmer machine.
    const without = ingestRate(path.join(dir, `wc-${label}-off.db`), false, batch);
    const withT = ingestRate(path.join(dir, `wc-${label}-on.db`), true, batch);
    result[`${label}_per_second_without_search`] = without;
    result[`${label}_per_second_with_search`] = withT;
    result[`${label}_overhead_pct`] = Math.round((without / withT - 1) * 1000) / 10;
  }
  print(`\nwrite cost through ingest (${n.toLocaleString()} customers; mix = 1 customer : 3 invoices with payments, pages of 100):`);
  print(`    customers only: ${result.customers_per_second_without_search!.toLocaleString()}/s without search triggers -> ${result.customers_per_second_with_search!.toLocaleString()}/s with (+${result.customers_overhead_pct}% time)`);
  print(`    mixed objects:  ${result.mixed_per_second_without_search!.toLocaleString()}/s without -> ${result.mixed_per_second_with_search!.toLocaleString()}/s with (+${result.mixed_overhead_pct}% time)`);
  return result;
}
