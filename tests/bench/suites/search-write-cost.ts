import path from 'node:path';
import type Database from 'better-sqlite3';
import type Stripe from 'stripe';
import { openCache } from '../../../electron/services/db/open';
import { ensureAccount, ingestObject } from '../../../electron/services/stripe/ingest';
import { drainSearchQueue } from '../../../electron/services/search/index-queue';
import { extraColumnSql, phoneColumnSql } from '../../../electron/services/search/index-sql';
import { customer, invoice } from '../../helpers/customer-fixtures';

// What keeping the search index in step costs the sync: the same Stripe objects ingested through
// the real write path (ingestObject, pages of 100 per transaction) into caches that differ only
// in their search triggers:
//   off     no search triggers at all (the floor)
//   queue   the shipped design: triggers queue the rowid; the index is built later in batches
//   inline  the alternative: triggers write the FTS5 row inside the sync's transaction
// plus, for `queue`, the time the batch drain then takes to index what was queued.

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

type Variant = 'off' | 'queue' | 'inline';

function prepare(db: Database.Database, variant: Variant): void {
  if (variant === 'queue') return;
  for (const t of SEARCH_TRIGGERS) db.exec(`DROP TRIGGER ${t}`);
  if (variant === 'inline') {
    db.exec(`CREATE TRIGGER inline_search AFTER INSERT ON customers BEGIN
      INSERT INTO customer_search (rowid, name, email, phone, extra)
        SELECT NEW.rowid, NEW.name, NEW.email, ${phoneColumnSql('NEW.phone')}, ${extraColumnSql('NEW')} WHERE NEW.deleted = 0;
    END;`);
  }
}

function ingestRate(file: string, variant: Variant, batch: Array<{ object: string }>): { perSecond: number; drainPerSecond: number | null } {
  const { db } = openCache(file);
  ensureAccount(db, { id: 'acct_wc', name: 'wc', livemode: false, isDemo: false });
  prepare(db, variant);
  const t0 = performance.now();
  for (let i = 0; i < batch.length; i += 100) {
    const page = batch.slice(i, i + 100);
    db.transaction(() => {
      for (const o of page) ingestObject(db, 'acct_wc', o as never, 1_760_000_000);
    })();
  }
  const seconds = (performance.now() - t0) / 1000;
  let drainPerSecond: number | null = null;
  if (variant === 'queue') {
    const t1 = performance.now();
    let n = 0;
    for (let k = drainSearchQueue(db, 500); k > 0; k = drainSearchQueue(db, 500)) n += k;
    drainPerSecond = Math.round(n / ((performance.now() - t1) / 1000));
  }
  db.close();
  return { perSecond: Math.round(batch.length / seconds), drainPerSecond };
}

export function measureWriteCost(dir: string, n: number, print: (line: string) => void): Record<string, unknown> {
  const { customers, invoices } = objects(n);
  // Customers only, then a realistic mix (three invoices with their payment per customer).
  const mixed: Array<{ object: string }> = [];
  for (let i = 0; i < customers.length; i++) mixed.push(customers[i]!, invoices[3 * i]!, invoices[3 * i + 1]!, invoices[3 * i + 2]!);
  const result: Record<string, number | null> = {};
  print(`\nwrite cost through ingest (${n.toLocaleString()} customers; mix = 1 customer : 3 invoices with payments; pages of 100):`);
  for (const [label, batch] of [
    ['customers', customers],
    ['mixed', mixed],
  ] as const) {
    const rates: Partial<Record<Variant, number>> = {};
    for (const variant of ['off', 'queue', 'inline'] as const) {
      const r = ingestRate(path.join(dir, `wc-${label}-${variant}.db`), variant, batch);
      rates[variant] = r.perSecond;
      result[`${label}_per_second_${variant}`] = r.perSecond;
      if (r.drainPerSecond != null) result[`${label}_index_drain_customers_per_second`] = r.drainPerSecond;
    }
    const overhead = (v: Variant) => Math.round((rates.off! / rates[v]! - 1) * 1000) / 10;
    result[`${label}_overhead_pct_queue`] = overhead('queue');
    result[`${label}_overhead_pct_inline`] = overhead('inline');
    print(
      `    ${label.padEnd(9)} no search ${rates.off!.toLocaleString()}/s | queue trigger (shipped) ${rates.queue!.toLocaleString()}/s (+${overhead('queue')}% time) | FTS in the sync transaction ${rates.inline!.toLocaleString()}/s (+${overhead('inline')}% time)`,
    );
    print(`              the batch drain then indexes ${result[`${label}_index_drain_customers_per_second`]!.toLocaleString()} customers/s (batches of 500), outside the sync's transactions`);
  }
  return result;
}
