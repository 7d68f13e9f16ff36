import type Database from 'better-sqlite3';
import { faker, fakerDE, fakerEL, fakerFR, fakerJA, fakerRU } from '@faker-js/faker';
import { seededRandom } from '../../helpers/seeded-random';

// Bench data for the search suite: customers, subscriptions (+items), payment methods, invoices
// and payment attempts written straight into the cache tables (the search triggers fire as they
// would for the sync), plus a mixed query set with the customer each query is looking for.

export interface Sampled {
  id: string;
  name: string;
  email: string;
  phone: string;
  subId: string;
  pmId: string;
  last4: string;
  invoiceId: string;
  invoiceNumber: string;
  paymentIntent: string;
  charge: string;
}

export interface GeneratedData {
  customers: number;
  invoices: number;
  samples: Sampled[];
  /** Customers written per second while the search triggers ran (pages of 100, like the sync). */
  customerWriteRate: number;
  otherWriteSeconds: number;
}

export const rng = seededRandom;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function stripeId(prefix: string, r: () => number): string {
  let s = prefix + '_';
  for (let i = 0; i < 14; i++) s += ALNUM[Math.floor(r() * ALNUM.length)];
  return s;
}

function pick<T>(xs: readonly T[], r: () => number): T {
  return xs[Math.floor(r() * xs.length)]!;
}

const STATUSES = ['active', 'active', 'active', 'active', 'trialing', 'past_due', 'canceled', 'unpaid'];
const INVOICE_STATUSES = ['paid', 'paid', 'paid', 'paid', 'paid', 'open', 'void', 'uncollectible'];
const CURRENCIES = ['usd', 'usd', 'usd', 'eur', 'gbp', 'jpy', 'kwd'];
const PLANS = ['starter', 'growth', 'enterprise', 'team', 'solo'];

/** A name in the script mix the console must handle: mostly Latin, some accented, Japanese, Cyrillic, Greek. */
function personName(r: () => number): { name: string; first: string; last: string } {
  const roll = r();
  const f = roll < 0.86 ? faker : roll < 0.9 ? fakerDE : roll < 0.93 ? fakerFR : roll < 0.96 ? fakerJA : roll < 0.98 ? fakerRU : fakerEL;
  const first = f.person.firstName();
  const last = f.person.lastName();
  if (f === fakerJA) {
    // Japanese names are written family name first, often without a space.
    return { name: r() < 0.5 ? `${last}${first}` : `${last} ${first}`, first, last };
  }
  return { name: `${first} ${last}`, first, last };
}

export function generateData(db: Database.Database, accountId: string, options: { customers: number; invoices: number; seed: number; sampleEvery: number }): GeneratedData {
  const r = rng(options.seed);
  faker.seed(options.seed);
  for (const f of [fakerDE, fakerFR, fakerJA, fakerRU, fakerEL]) f.seed(options.seed);
  const now = 1_760_000_000;
  db.prepare(`INSERT OR IGNORE INTO accounts (id, name, livemode, is_demo, added_at_ms) VALUES (?, 'Bench', 0, 0, 0)`).run(accountId);

  const insCustomer = db.prepare(
    `INSERT INTO customers (account_id, id, name, email, phone, description, metadata_json, default_payment_method_id, livemode, created, source_ts, synced_at_ms)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 0, ?, ?, ?)`,
  );
  const insPm = db.prepare(
    `INSERT INTO payment_methods (account_id, id, customer_id, type, card_brand, card_last4, card_exp_month, card_exp_year, created, source_ts, synced_at_ms)
     VALUES (?, ?, ?, 'card', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insSub = db.prepare(
    `INSERT INTO subscriptions (account_id, id, customer_id, status, currency, created, current_period_start, current_period_end, source_ts, synced_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insItem = db.prepare(
    `INSERT INTO subscription_items (account_id, id, subscription_id, price_id, product_name, unit_amount, currency, recurring_interval, recurring_interval_count, quantity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1)`,
  );
  const insInvoice = db.prepare(
    `INSERT INTO invoices (account_id, id, customer_id, subscription_id, number, status, currency, amount_due, amount_paid, amount_remaining, total, attempt_count, created, source_ts, synced_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAttempt = db.prepare(
    `INSERT INTO payment_attempts (account_id, id, invoice_id, customer_id, payment_intent_id, charge_id, status, amount, currency, card_brand, card_last4, created, source_ts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  interface Pending {
    id: string;
    subId: string;
    pmId: string;
    last4: string;
    brand: string;
    currency: string;
    prefix: string;
    sample: Partial<Sampled> | null;
  }
  const customers: Pending[] = [];
  const samples: Sampled[] = [];
  const emails: string[] = [];
  let customerMs = 0;
  const page: Array<() => void> = [];
  const flush = () => {
    const t = performance.now();
    db.transaction(() => {
      for (const write of page) write();
    })();
    customerMs += performance.now() - t;
    page.length = 0;
  };
  for (let i = 0; i < options.customers; i++) {
    const person = personName(r);
    const id = stripeId('cus', r);
    // About 3% share an email with an earlier customer (duplicates created by checkout flows).
    const email =
      emails.length > 0 && r() < 0.03
        ? pick(emails, r)
        : faker.internet.email({ firstName: faker.person.firstName(), lastName: faker.person.lastName() }).toLowerCase().replace('@', `${i % 97}@`);
    emails.push(email);
    const phone = r() < 0.7 ? faker.phone.number({ style: 'national' }) : null;
    const meta = JSON.stringify({ plan_code: `${pick(PLANS, r)}-${Math.floor(r() * 1000)}`, crm_id: `crm${Math.floor(r() * 1e7)}` });
    const pmId = stripeId('pm', r);
    const created = now - Math.floor(r() * 86400 * 1000);
    page.push(() => insCustomer.run(accountId, id, person.name, email, phone, meta, pmId, created, now, 0));
    if (page.length === 100) flush();
    const c: Pending = {
      id,
      subId: stripeId('sub', r),
      pmId,
      last4: String(Math.floor(r() * 10000)).padStart(4, '0'),
      brand: pick(['visa', 'mastercard', 'amex'], r),
      currency: pick(CURRENCIES, r),
      prefix: Math.floor(r() * 0xffffffff).toString(16).toUpperCase().padStart(8, '0'),
      sample: i % options.sampleEvery === 0 ? { id, name: person.name, email, phone: phone ?? '' } : null,
    };
    customers.push(c);
  }
  flush();

  const t0 = performance.now();
  let invoices = 0;
  const perCustomer = options.invoices / Math.max(1, options.customers);
  db.transaction(() => {
    let carry = 0;
    for (const c of customers) {
      insPm.run(accountId, c.pmId, c.id, c.brand, c.last4, 1 + Math.floor(r() * 12), 2025 + Math.floor(r() * 6), now, now, 0);
      insSub.run(accountId, c.subId, c.id, pick(STATUSES, r), c.currency, now - 86400 * 200, now - 86400 * 10, now + 86400 * 20, now, 0);
      insItem.run(accountId, `si_${c.subId.slice(4)}`, c.subId, `price_${c.subId.slice(4)}`, pick(PLANS, r), 1000 + Math.floor(r() * 50000), c.currency, r() < 0.8 ? 'month' : 'year');
      carry += perCustomer;
      const n = Math.floor(carry);
      carry -= n;
      for (let k = 0; k < n; k++) {
        const invId = stripeId('in', r);
        const number = `${c.prefix}-${String(k + 1).padStart(4, '0')}`;
        const status = pick(INVOICE_STATUSES, r);
        const amount = 1000 + Math.floor(r() * 50000);
        insInvoice.run(accountId, invId, c.id, c.subId, number, status, c.currency, amount, status === 'paid' ? amount : 0, status === 'paid' ? 0 : amount, amount, 1, now - k * 86400 * 30, now, 0);
        const pi = stripeId('pi', r);
        const ch = stripeId('ch', r);
        insAttempt.run(accountId, `inpay_${invId.slice(3)}`, invId, c.id, pi, ch, status === 'paid' ? 'paid' : 'failed', amount, c.currency, c.brand, c.last4, now - k * 86400 * 30, now);
        invoices++;
        if (c.sample && k === 0) Object.assign(c.sample, { invoiceId: invId, invoiceNumber: number, paymentIntent: pi, charge: ch });
      }
      if (c.sample?.invoiceId) samples.push({ ...(c.sample as Sampled), subId: c.subId, pmId: c.pmId, last4: c.last4 });
    }
  })();
  return {
    customers: options.customers,
    invoices,
    samples,
    customerWriteRate: options.customers / (customerMs / 1000),
    otherWriteSeconds: (performance.now() - t0) / 1000,
  };
}

export type QueryKind = 'name' | 'email' | 'domain' | 'id' | 'partial' | 'typo' | 'invoice_number' | 'last4' | 'phone';

export interface BenchQuery {
  kind: QueryKind;
  text: string;
  /** The customer the agent is looking for (null: a broad query with no single target). */
  target: string | null;
}

/** One edit (substitution, deletion, insertion or adjacent transposition) inside a word of 5+ letters. */
function typo(word: string, r: () => number): string {
  const chars = Array.from(word);
  const i = 1 + Math.floor(r() * (chars.length - 2));
  const kind = Math.floor(r() * 4);
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(r() * 26)]!;
  if (kind === 0) chars[i] = chars[i] === letter ? 'x' : letter;
  else if (kind === 1) chars.splice(i, 1);
  else if (kind === 2) chars.splice(i, 0, letter);
  else [chars[i], chars[i + 1]] = [chars[i + 1] ?? chars[i]!, chars[i]!];
  return chars.join('');
}

function randomCase(s: string, r: () => number): string {
  return Array.from(s, (c) => (r() < 0.3 ? c.toUpperCase() : c)).join('');
}

/** The query mix: full names, exact emails (any case), domains, every id kind, partial words, typos, invoice numbers, last4, phones. */
export function buildQueries(samples: Sampled[], count: number, seed: number): BenchQuery[] {
  const r = rng(seed);
  const mix: Array<[QueryKind, number]> = [
    ['name', 0.18],
    ['email', 0.14],
    ['domain', 0.04],
    ['id', 0.16],
    ['partial', 0.2],
    ['typo', 0.15],
    ['invoice_number', 0.05],
    ['last4', 0.04],
    ['phone', 0.04],
  ];
  const out: BenchQuery[] = [];
  for (const [kind, share] of mix) {
    // An account without phones (the bulk bench account) has no phone queries to draw.
    if (kind === 'phone' && !samples.some((s) => s.phone)) continue;
    const n = Math.round(count * share);
    for (let i = 0; i < n; i++) {
      const s = pick(samples, r);
      const words = s.name.split(/\s+/).filter(Boolean);
      switch (kind) {
        case 'name':
          out.push({ kind, text: r() < 0.5 ? s.name : s.name.toLowerCase(), target: s.id });
          break;
        case 'email':
          out.push({ kind, text: randomCase(s.email, r), target: s.id });
          break;
        case 'domain':
          out.push({ kind, text: `@${s.email.split('@')[1]}`, target: null });
          break;
        case 'id': {
          const ids = [s.id, s.subId, s.invoiceId, s.paymentIntent, s.charge, s.pmId];
          out.push({ kind, text: ids[i % ids.length]!, target: s.id });
          break;
        }
        case 'partial': {
          // What an agent has typed so far: the first name and the start of the last, or a stem.
          const firstWord = words[0] ?? s.name;
          const last = words[words.length - 1] ?? '';
          const text = words.length > 1 && r() < 0.6 ? `${firstWord} ${Array.from(last).slice(0, 1 + Math.floor(r() * 3)).join('')}` : Array.from(firstWord).slice(0, 2 + Math.floor(r() * 3)).join('');
          out.push({ kind, text, target: words.length > 1 && text.includes(' ') ? s.id : null });
          break;
        }
        case 'typo': {
          const long = words.filter((w) => Array.from(w).length >= 5 && /^[A-Za-z]+$/.test(w));
          if (long.length === 0) {
            i--;
            continue;
          }
          const w = pick(long, r);
          const text = words.map((x) => (x === w ? typo(x.toLowerCase(), r) : x)).join(' ');
          out.push({ kind, text, target: s.id });
          break;
        }
        case 'invoice_number':
          out.push({ kind, text: r() < 0.5 ? s.invoiceNumber : s.invoiceNumber.toLowerCase(), target: s.id });
          break;
        case 'last4':
          out.push({ kind, text: s.last4, target: null });
          break;
        case 'phone': {
          if (!s.phone) {
            i--;
            continue;
          }
          out.push({ kind, text: s.phone, target: s.id });
          break;
        }
      }
    }
  }
  // Shuffle (Fisher-Yates) so kinds interleave as they would in a day of tickets.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.slice(0, count);
}
