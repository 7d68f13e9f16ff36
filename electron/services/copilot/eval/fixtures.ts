import type Database from 'better-sqlite3';

// Customers in known billing states for the copilot's evaluation set and tests: healthy, a soft
// decline with a retry scheduled, a hard decline, an expired card, and another customer whose data
// must never appear in anything the copilot sends or returns. Written straight into the cache
// tables (the shapes the sync writes) at a fixed "now", so dates in the labels are stable.

export const FIXTURE_NOW_MS = Date.parse('2025-06-15T12:00:00Z');
const day = (iso: string) => Math.floor(Date.parse(`${iso}T10:00:00Z`) / 1000);

export type Scenario = 'healthy' | 'soft_decline' | 'hard_decline' | 'expired_card';

export const SCENARIO_CUSTOMERS: Record<Scenario, string> = {
  healthy: 'cus_EvalHealthy01',
  soft_decline: 'cus_EvalSoft01',
  hard_decline: 'cus_EvalHard01',
  expired_card: 'cus_EvalExpired01',
};

/** The customer nobody asked about: none of these values may reach the model or the agent. */
export const OTHER_CUSTOMER = {
  id: 'cus_OtherVictim99',
  name: 'Mallory Quinceworth',
  email: 'mallory.quinceworth@victim.example',
  invoiceIds: ['in_OtherInv9901', 'in_OtherInv9902'],
  invoiceNumbers: ['MQW-9901', 'MQW-9902'],
  subscriptionId: 'sub_OtherSub9901',
  paymentMethodId: 'pm_OtherCard9901',
  attemptIds: ['py_OtherPay9901'],
};

interface Inv {
  id: string;
  number: string;
  status: 'paid' | 'open' | 'void';
  currency: string;
  total: number;
  created: string;
  paid?: string;
  sub: string | null;
  reason?: string;
  nextAttempt?: string;
  attempts?: Array<{ id: string; status: 'succeeded' | 'failed'; created: string; decline?: string; brand: string; last4: string; pm: string }>;
  lines?: Array<{ description: string; amount: number; quantity?: number }>;
  periodStart?: string;
  periodEnd?: string;
}

interface Cust {
  id: string;
  name: string;
  email: string;
  currency: string;
  delinquent?: boolean;
  created: string;
  subs: Array<{ id: string; status: string; product: string; nickname: string; amount: number; interval: string; periodEnd: string; created: string }>;
  pms: Array<{ id: string; brand: string; last4: string; expMonth: number; expYear: number }>;
  invoices: Inv[];
}

const CUSTOMERS: Cust[] = [
  {
    id: SCENARIO_CUSTOMERS.healthy,
    name: 'Ada Lovelace',
    email: 'ada@analytical.example',
    currency: 'usd',
    created: '2024-01-14',
    subs: [{ id: 'sub_EvalHealthy01', status: 'active', product: 'Pro', nickname: 'Monthly', amount: 4900, interval: 'month', periodEnd: '2025-07-14', created: '2024-01-14' }],
    pms: [{ id: 'pm_EvalHealthyVisa', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2027 }],
    invoices: [
      { id: 'in_EvalH1002', number: 'ACME-1002', status: 'paid', currency: 'usd', total: 4900, created: '2025-06-14', paid: '2025-06-14', sub: 'sub_EvalHealthy01', periodStart: '2025-06-14', periodEnd: '2025-07-14', lines: [{ description: 'Pro – Monthly', amount: 4900 }], attempts: [{ id: 'py_EvalH1002', status: 'succeeded', created: '2025-06-14', brand: 'visa', last4: '4242', pm: 'pm_EvalHealthyVisa' }] },
      { id: 'in_EvalH1001', number: 'ACME-1001', status: 'paid', currency: 'usd', total: 4900, created: '2025-05-14', paid: '2025-05-14', sub: 'sub_EvalHealthy01', periodStart: '2025-05-14', periodEnd: '2025-06-14', lines: [{ description: 'Pro – Monthly', amount: 4900 }], attempts: [{ id: 'py_EvalH1001', status: 'succeeded', created: '2025-05-14', brand: 'visa', last4: '4242', pm: 'pm_EvalHealthyVisa' }] },
      { id: 'in_EvalH0999', number: 'ACME-0999', status: 'paid', currency: 'usd', total: 6450, created: '2025-04-20', paid: '2025-04-20', sub: 'sub_EvalHealthy01', reason: 'subscription_update', lines: [{ description: 'Unused time on Starter – Monthly after 20 Apr 2025', amount: -1050 }, { description: 'Remaining time on Pro – Monthly after 20 Apr 2025', amount: 7500 }], attempts: [{ id: 'py_EvalH0999', status: 'succeeded', created: '2025-04-20', brand: 'visa', last4: '4242', pm: 'pm_EvalHealthyVisa' }] },
      { id: 'in_EvalH0998', number: 'ACME-0998', status: 'paid', currency: 'usd', total: 5000, created: '2025-04-02', paid: '2025-04-02', sub: null, lines: [{ description: 'Onboarding session', amount: 5000 }], attempts: [{ id: 'py_EvalH0998', status: 'succeeded', created: '2025-04-02', brand: 'visa', last4: '4242', pm: 'pm_EvalHealthyVisa' }] },
    ],
  },
  {
    id: SCENARIO_CUSTOMERS.soft_decline,
    name: 'Grace Hopper',
    email: 'grace@cobol.example',
    currency: 'usd',
    delinquent: true,
    created: '2023-09-13',
    subs: [{ id: 'sub_EvalSoft01', status: 'past_due', product: 'Team', nickname: 'Monthly', amount: 9900, interval: 'month', periodEnd: '2025-07-13', created: '2023-09-13' }],
    pms: [{ id: 'pm_EvalSoftVisa', brand: 'visa', last4: '0341', expMonth: 8, expYear: 2026 }],
    invoices: [
      { id: 'in_EvalS2002', number: 'COBL-2002', status: 'open', currency: 'usd', total: 9900, created: '2025-06-13', sub: 'sub_EvalSoft01', nextAttempt: '2025-06-18', periodStart: '2025-06-13', periodEnd: '2025-07-13', lines: [{ description: 'Team – Monthly × 3 seats', amount: 9900, quantity: 3 }], attempts: [{ id: 'py_EvalS2002', status: 'failed', created: '2025-06-13', decline: 'insufficient_funds', brand: 'visa', last4: '0341', pm: 'pm_EvalSoftVisa' }] },
      { id: 'in_EvalS2001', number: 'COBL-2001', status: 'paid', currency: 'usd', total: 9900, created: '2025-05-13', paid: '2025-05-13', sub: 'sub_EvalSoft01', lines: [{ description: 'Team – Monthly × 3 seats', amount: 9900, quantity: 3 }], attempts: [{ id: 'py_EvalS2001', status: 'succeeded', created: '2025-05-13', brand: 'visa', last4: '0341', pm: 'pm_EvalSoftVisa' }] },
    ],
  },
  {
    id: SCENARIO_CUSTOMERS.hard_decline,
    name: 'Alan Turing',
    email: 'alan@bletchley.example',
    currency: 'gbp',
    delinquent: true,
    created: '2024-03-10',
    subs: [{ id: 'sub_EvalHard01', status: 'past_due', product: 'Business', nickname: 'Monthly', amount: 12000, interval: 'month', periodEnd: '2025-07-10', created: '2024-03-10' }],
    pms: [{ id: 'pm_EvalHardMc', brand: 'mastercard', last4: '5555', expMonth: 1, expYear: 2028 }],
    invoices: [
      { id: 'in_EvalD0042', number: 'TUR-0042', status: 'open', currency: 'gbp', total: 12000, created: '2025-06-10', sub: 'sub_EvalHard01', periodStart: '2025-06-10', periodEnd: '2025-07-10', lines: [{ description: 'Business – Monthly', amount: 12000 }], attempts: [{ id: 'py_EvalD0042', status: 'failed', created: '2025-06-10', decline: 'stolen_card', brand: 'mastercard', last4: '5555', pm: 'pm_EvalHardMc' }] },
      { id: 'in_EvalD0041', number: 'TUR-0041', status: 'paid', currency: 'gbp', total: 12000, created: '2025-05-10', paid: '2025-05-10', sub: 'sub_EvalHard01', lines: [{ description: 'Business – Monthly', amount: 12000 }], attempts: [{ id: 'py_EvalD0041', status: 'succeeded', created: '2025-05-10', brand: 'mastercard', last4: '5555', pm: 'pm_EvalHardMc' }] },
    ],
  },
  {
    id: SCENARIO_CUSTOMERS.expired_card,
    name: 'Katherine Johnson',
    email: 'katherine@orbit.example',
    currency: 'eur',
    delinquent: true,
    created: '2024-11-12',
    subs: [{ id: 'sub_EvalExpired01', status: 'past_due', product: 'Starter', nickname: 'Monthly', amount: 1900, interval: 'month', periodEnd: '2025-07-12', created: '2024-11-12' }],
    pms: [{ id: 'pm_EvalExpiredVisa', brand: 'visa', last4: '1881', expMonth: 3, expYear: 2025 }],
    invoices: [
      { id: 'in_EvalE0007', number: 'KJ-0007', status: 'open', currency: 'eur', total: 1900, created: '2025-06-12', sub: 'sub_EvalExpired01', lines: [{ description: 'Starter – Monthly', amount: 1900 }], attempts: [{ id: 'py_EvalE0007', status: 'failed', created: '2025-06-12', decline: 'expired_card', brand: 'visa', last4: '1881', pm: 'pm_EvalExpiredVisa' }] },
      { id: 'in_EvalE0006', number: 'KJ-0006', status: 'paid', currency: 'eur', total: 1900, created: '2025-05-12', paid: '2025-05-12', sub: 'sub_EvalExpired01', lines: [{ description: 'Starter – Monthly', amount: 1900 }], attempts: [{ id: 'py_EvalE0006', status: 'succeeded', created: '2025-05-12', brand: 'visa', last4: '1881', pm: 'pm_EvalExpiredVisa' }] },
    ],
  },
  {
    id: OTHER_CUSTOMER.id,
    name: OTHER_CUSTOMER.name,
    email: OTHER_CUSTOMER.email,
    currency: 'usd',
    created: '2022-02-02',
    subs: [{ id: OTHER_CUSTOMER.subscriptionId, status: 'active', product: 'Enterprise', nickname: 'Yearly', amount: 500000, interval: 'year', periodEnd: '2026-02-02', created: '2022-02-02' }],
    pms: [{ id: OTHER_CUSTOMER.paymentMethodId, brand: 'amex', last4: '0005', expMonth: 9, expYear: 2029 }],
    invoices: [
      { id: OTHER_CUSTOMER.invoiceIds[0]!, number: OTHER_CUSTOMER.invoiceNumbers[0]!, status: 'paid', currency: 'usd', total: 500000, created: '2025-02-02', paid: '2025-02-02', sub: OTHER_CUSTOMER.subscriptionId, lines: [{ description: 'Enterprise – Yearly', amount: 500000 }], attempts: [{ id: OTHER_CUSTOMER.attemptIds[0]!, status: 'succeeded', created: '2025-02-02', brand: 'amex', last4: '0005', pm: OTHER_CUSTOMER.paymentMethodId }] },
      { id: OTHER_CUSTOMER.invoiceIds[1]!, number: OTHER_CUSTOMER.invoiceNumbers[1]!, status: 'open', currency: 'usd', total: 4900, created: '2025-06-14', sub: OTHER_CUSTOMER.subscriptionId, lines: [{ description: 'Extra seats', amount: 4900 }] },
    ],
  },
];

/** Writes the fixture customers into `accountId` (which must exist). Idempotent. */
export function seedCopilotFixtures(db: Database.Database, accountId: string): void {
  const now = FIXTURE_NOW_MS;
  const src = Math.floor(now / 1000);
  db.transaction(() => {
    for (const c of CUSTOMERS) {
      db.prepare(
        `INSERT OR REPLACE INTO customers (account_id, id, name, email, currency, balance, delinquent, default_payment_method_id, metadata_json, livemode, created, deleted, source_ts, synced_at_ms)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, '{}', 0, ?, 0, ?, ?)`,
      ).run(accountId, c.id, c.name, c.email, c.currency, c.delinquent ? 1 : 0, c.pms[0]?.id ?? null, day(c.created), src, now);
      for (const s of c.subs) {
        db.prepare(
          `INSERT OR REPLACE INTO subscriptions (account_id, id, customer_id, status, currency, collection_method, cancel_at_period_end, current_period_start, current_period_end, default_payment_method_id, metadata_json, created, source_ts, synced_at_ms)
           VALUES (?, ?, ?, ?, ?, 'charge_automatically', 0, ?, ?, ?, '{}', ?, ?, ?)`,
        ).run(accountId, s.id, c.id, s.status, c.currency, day(s.periodEnd) - 30 * 86400, day(s.periodEnd), c.pms[0]?.id ?? null, day(s.created), src, now);
        db.prepare(
          `INSERT OR REPLACE INTO subscription_items (account_id, id, subscription_id, price_id, product_id, product_name, price_nickname, unit_amount, currency, recurring_interval, recurring_interval_count, quantity, current_period_end)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?)`,
        ).run(accountId, `si_${s.id.slice(4)}`, s.id, `price_${s.id.slice(4)}`, `prod_${s.product}`, s.product, s.nickname, s.amount, c.currency, s.interval, day(s.periodEnd));
      }
      for (const p of c.pms) {
        db.prepare(
          `INSERT OR REPLACE INTO payment_methods (account_id, id, customer_id, type, card_brand, card_last4, card_exp_month, card_exp_year, created, source_ts, synced_at_ms)
           VALUES (?, ?, ?, 'card', ?, ?, ?, ?, ?, ?, ?)`,
        ).run(accountId, p.id, c.id, p.brand, p.last4, p.expMonth, p.expYear, day(c.created), src, now);
      }
      for (const i of c.invoices) {
        const paid = i.status === 'paid' ? i.total : 0;
        db.prepare(
          `INSERT OR REPLACE INTO invoices (account_id, id, customer_id, subscription_id, number, status, billing_reason, collection_method, currency, amount_due, amount_paid, amount_remaining, total, attempt_count, attempted, next_payment_attempt, period_start, period_end, paid_at, lines_json, metadata_json, created, source_ts, synced_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'charge_automatically', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
        ).run(
          accountId, i.id, c.id, i.sub, i.number, i.status, i.reason ?? (i.sub ? 'subscription_cycle' : 'manual'), i.currency, i.total, paid, i.total - paid, i.total, i.attempts?.length ?? 0,
          i.nextAttempt ? day(i.nextAttempt) : null, i.periodStart ? day(i.periodStart) : null, i.periodEnd ? day(i.periodEnd) : null, i.paid ? day(i.paid) : null,
          JSON.stringify((i.lines ?? []).map((l) => ({ description: l.description, amount: l.amount, currency: i.currency, quantity: l.quantity ?? 1, period_start: null, period_end: null }))),
          day(i.created), src, now,
        );
        for (const a of i.attempts ?? []) {
          db.prepare(
            `INSERT OR REPLACE INTO payment_attempts (account_id, id, invoice_id, customer_id, payment_intent_id, charge_id, status, amount, currency, decline_code, failure_code, payment_method_id, card_brand, card_last4, created, source_ts)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(accountId, a.id, i.id, c.id, `pi_${a.id.slice(3)}`, `ch_${a.id.slice(3)}`, a.status, i.total, i.currency, a.decline ?? null, a.decline ? 'card_declined' : null, a.pm, a.brand, a.last4, day(a.created), src);
        }
      }
    }
  })();
}
