import type Database from 'better-sqlite3';
import { AppError } from '../../../../shared/contract/errors';
import { classifyDecline, describeAdviceCode, describeDeclineCode, type DeclineCategory } from '../../../../shared/domain/decline-codes';

// Everything the copilot may know about ONE customer, read from the cache with the account and
// customer id in every WHERE clause. This is the only door between the copilot and billing data:
// the model's tools, the rules and the drafts all read from a CustomerFacts value, so no code path
// can reach another customer's rows. Card data stops at brand, last four digits and whether the
// card has expired (the expiry date itself is used for that flag and then dropped).

export interface FactsCustomer {
  id: string;
  name: string | null;
  email: string | null;
  currency: string | null;
  balance: number;
  delinquent: boolean;
  created: number;
}

export interface FactsInvoiceLine {
  description: string | null;
  amount: number;
  currency: string;
  quantity: number | null;
  periodStart: number | null;
  periodEnd: number | null;
}

export interface FactsInvoice {
  id: string;
  number: string | null;
  status: string | null;
  billingReason: string | null;
  currency: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  amountRemaining: number;
  attemptCount: number;
  nextPaymentAttempt: number | null;
  dueDate: number | null;
  paidAt: number | null;
  periodStart: number | null;
  periodEnd: number | null;
  created: number;
  subscriptionId: string | null;
  description: string | null;
  lines: FactsInvoiceLine[];
}

export interface FactsAttempt {
  id: string;
  invoiceId: string;
  status: string;
  amount: number;
  currency: string;
  created: number;
  declineCode: string | null;
  category: DeclineCategory | null;
  explanation: string | null;
  advice: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}

export interface FactsSubscription {
  id: string;
  status: string;
  currency: string;
  planName: string;
  /** Sum of item unit amounts × quantity per billing interval, minor units. */
  amount: number;
  interval: string | null;
  cancelAtPeriodEnd: boolean;
  cancelAt: number | null;
  currentPeriodEnd: number | null;
  trialEnd: number | null;
  paused: boolean;
  created: number;
}

export interface FactsPaymentMethod {
  id: string;
  type: string;
  brand: string | null;
  last4: string | null;
  isDefault: boolean;
  expired: boolean;
  expiringSoon: boolean;
}

export interface CustomerFacts {
  accountId: string;
  customer: FactsCustomer;
  subscriptions: FactsSubscription[];
  /** Newest first. */
  invoices: FactsInvoice[];
  /** Newest first. */
  attempts: FactsAttempt[];
  paymentMethods: FactsPaymentMethod[];
  /** Unix seconds the facts were read at (rules compare dates against it). */
  nowSec: number;
}

const MAX_INVOICES = 36;
const MAX_ATTEMPTS = 40;

function parseLines(json: string): FactsInvoiceLine[] {
  try {
    const raw = JSON.parse(json) as Array<Record<string, unknown>>;
    if (!Array.isArray(raw)) return [];
    return raw.slice(0, 20).map((l) => ({
      description: typeof l.description === 'string' ? l.description : null,
      amount: typeof l.amount === 'number' ? l.amount : 0,
      currency: typeof l.currency === 'string' ? l.currency : '',
      quantity: typeof l.quantity === 'number' ? l.quantity : null,
      periodStart: typeof l.period_start === 'number' ? l.period_start : null,
      periodEnd: typeof l.period_end === 'number' ? l.period_end : null,
    }));
  } catch {
    return [];
  }
}

/** Loads one customer's facts; `not_found` when the customer is not in this account's cache. */
export function loadCustomerFacts(db: Database.Database, accountId: string, customerId: string, nowMs: number): CustomerFacts {
  const c = db
    .prepare('SELECT id, name, email, currency, balance, delinquent, created, default_payment_method_id FROM customers WHERE account_id = ? AND id = ? AND deleted = 0')
    .get(accountId, customerId) as
    | { id: string; name: string | null; email: string | null; currency: string | null; balance: number; delinquent: number; created: number; default_payment_method_id: string | null }
    | undefined;
  if (!c) throw new AppError('not_found', `No customer ${customerId} in this workspace's cache. Search for the customer again, or sync.`);
  const nowSec = Math.floor(nowMs / 1000);

  const subRows = db
    .prepare(
      `SELECT id, status, currency, cancel_at_period_end, cancel_at, current_period_end, trial_end, pause_behavior, default_payment_method_id, created
       FROM subscriptions WHERE account_id = ? AND customer_id = ? ORDER BY created DESC LIMIT 20`,
    )
    .all(accountId, customerId) as Array<{
    id: string; status: string; currency: string; cancel_at_period_end: number; cancel_at: number | null; current_period_end: number | null; trial_end: number | null; pause_behavior: string | null; default_payment_method_id: string | null; created: number;
  }>;
  const itemStmt = db.prepare(
    `SELECT product_name, price_nickname, unit_amount, currency, recurring_interval, quantity, current_period_end
     FROM subscription_items WHERE account_id = ? AND subscription_id = ? ORDER BY id`,
  );
  const subscriptions: FactsSubscription[] = subRows.map((s) => {
    const items = itemStmt.all(accountId, s.id) as Array<{ product_name: string | null; price_nickname: string | null; unit_amount: number | null; currency: string | null; recurring_interval: string | null; quantity: number; current_period_end: number | null }>;
    const names = items.map((i) => [i.product_name, i.price_nickname].filter(Boolean).join(' – ')).filter(Boolean);
    return {
      id: s.id,
      status: s.status,
      currency: s.currency,
      planName: names.join(', ') || 'Subscription',
      amount: items.reduce((sum, i) => sum + (i.unit_amount ?? 0) * (i.quantity ?? 1), 0),
      interval: items[0]?.recurring_interval ?? null,
      cancelAtPeriodEnd: s.cancel_at_period_end === 1,
      cancelAt: s.cancel_at,
      currentPeriodEnd: s.current_period_end ?? items[0]?.current_period_end ?? null,
      trialEnd: s.trial_end,
      paused: s.status === 'paused' || s.pause_behavior != null,
      created: s.created,
    };
  });

  const invoiceRows = db
    .prepare(
      `SELECT id, number, status, billing_reason, currency, total, amount_due, amount_paid, amount_remaining, attempt_count, next_payment_attempt,
              due_date, paid_at, period_start, period_end, created, subscription_id, description, lines_json
       FROM invoices WHERE account_id = ? AND customer_id = ? ORDER BY created DESC LIMIT ?`,
    )
    .all(accountId, customerId, MAX_INVOICES) as Array<Record<string, unknown>>;
  const invoices: FactsInvoice[] = invoiceRows.map((r) => ({
    id: r.id as string,
    number: r.number as string | null,
    status: r.status as string | null,
    billingReason: r.billing_reason as string | null,
    currency: r.currency as string,
    total: r.total as number,
    amountDue: r.amount_due as number,
    amountPaid: r.amount_paid as number,
    amountRemaining: r.amount_remaining as number,
    attemptCount: r.attempt_count as number,
    nextPaymentAttempt: r.next_payment_attempt as number | null,
    dueDate: r.due_date as number | null,
    paidAt: r.paid_at as number | null,
    periodStart: r.period_start as number | null,
    periodEnd: r.period_end as number | null,
    created: r.created as number,
    subscriptionId: r.subscription_id as string | null,
    description: r.description as string | null,
    lines: parseLines(r.lines_json as string),
  }));

  const attemptRows = db
    .prepare(
      `SELECT pa.id, pa.invoice_id, pa.status, pa.amount, pa.currency, pa.created, pa.decline_code, pa.failure_code, pa.advice_code, pa.card_brand, pa.card_last4
       FROM payment_attempts pa JOIN invoices i ON i.account_id = pa.account_id AND i.id = pa.invoice_id
       WHERE i.account_id = ? AND i.customer_id = ? ORDER BY pa.created DESC LIMIT ?`,
    )
    .all(accountId, customerId, MAX_ATTEMPTS) as Array<{
    id: string; invoice_id: string; status: string; amount: number; currency: string; created: number; decline_code: string | null; failure_code: string | null; advice_code: string | null; card_brand: string | null; card_last4: string | null;
  }>;
  const attempts: FactsAttempt[] = attemptRows.map((a) => {
    const failed = a.status === 'failed';
    // `card_declined` is the generic failure code; the decline code says why.
    const code = a.decline_code ?? (a.failure_code && a.failure_code !== 'card_declined' ? a.failure_code : null);
    return {
      id: a.id,
      invoiceId: a.invoice_id,
      status: a.status,
      amount: a.amount,
      currency: a.currency,
      created: a.created,
      declineCode: failed ? code : null,
      category: failed ? classifyDecline(code) : null,
      explanation: failed ? describeDeclineCode(code ?? a.failure_code) : null,
      advice: failed ? describeAdviceCode(a.advice_code) : null,
      cardBrand: a.card_brand,
      cardLast4: a.card_last4,
    };
  });

  const pmRows = db
    .prepare('SELECT id, type, card_brand, card_last4, card_exp_month, card_exp_year, created FROM payment_methods WHERE account_id = ? AND customer_id = ? ORDER BY created DESC LIMIT 10')
    .all(accountId, customerId) as Array<{ id: string; type: string; card_brand: string | null; card_last4: string | null; card_exp_month: number | null; card_exp_year: number | null }>;
  const now = new Date(nowMs);
  const ym = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  const defaultPm = c.default_payment_method_id ?? subRows.find((s) => s.default_payment_method_id)?.default_payment_method_id ?? pmRows[0]?.id ?? null;
  const paymentMethods: FactsPaymentMethod[] = pmRows.map((p) => {
    const exp = p.card_exp_year && p.card_exp_month ? p.card_exp_year * 12 + p.card_exp_month : null;
    return {
      id: p.id,
      type: p.type,
      brand: p.card_brand,
      last4: p.card_last4,
      isDefault: p.id === defaultPm,
      // A card is valid through the last day of its expiry month.
      expired: exp != null && exp < ym,
      expiringSoon: exp != null && exp >= ym && exp - ym <= 1,
    };
  });

  return {
    accountId,
    customer: { id: c.id, name: c.name, email: c.email, currency: c.currency, balance: c.balance, delinquent: c.delinquent === 1, created: c.created },
    subscriptions,
    invoices,
    attempts,
    paymentMethods,
    nowSec,
  };
}

/** Every object id the facts hold: citations and ids in model output are checked against it. */
export function knownRefs(facts: CustomerFacts): Set<string> {
  const refs = new Set<string>([facts.customer.id]);
  for (const s of facts.subscriptions) refs.add(s.id);
  for (const i of facts.invoices) refs.add(i.id);
  for (const a of facts.attempts) refs.add(a.id);
  for (const p of facts.paymentMethods) refs.add(p.id);
  return refs;
}

export function cardLabel(brand: string | null, last4: string | null): string {
  const b = brand ? brand.charAt(0).toUpperCase() + brand.slice(1) : 'Card';
  return last4 ? `${b} •••• ${last4}` : b;
}
