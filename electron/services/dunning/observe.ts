import type Database from 'better-sqlite3';
import type { StripeObservation } from './stage-machine';
import { prepared, preparedRaw } from '../db/statements';
import { invoiceObservation } from './invoice-observation';
import { HISTORY_WINDOW_SECONDS } from './case-plan';
import { OPEN_STAGES_SQL } from './open-stages-sql';

// Reads, from the Stripe-mirrored rows of the cache, every subject the dunning queue cares about
// and what Stripe says about it now. Two kinds of subject:
// - an invoice: open with a failed payment attempt, or open and belonging to a past_due/unpaid
//   subscription (send_invoice subscriptions go past_due without any card decline);
// - a past_due/unpaid subscription with no open invoice in the cache (its invoice is not synced
//   yet, or was closed while the subscription stayed unpaid).
// Subjects of open cases are always observed too, so a paid, voided or vanished invoice closes them.

export interface FailureDetails {
  declineCode: string | null;
  adviceCode: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  paymentMethodId: string | null;
  firstFailureAt: number | null;
  lastFailureAt: number | null;
}

export interface ObservedSubject {
  subject: string;
  customerId: string;
  invoiceId: string | null;
  subscriptionId: string | null;
  observation: StripeObservation;
  currency: string;
  amountAtRisk: number;
  amountDue: number;
  attemptCount: number;
  nextPaymentAttempt: number | null;
  failure: FailureDetails;
  /** The payment method Stripe would charge now (subscription default, else customer default). */
  currentPaymentMethod: string | null;
  /** Stripe-side time of a closing event (paid_at, voided_at, …), when known. */
  closedAt: number | null;
  /** Invoice creation time: a fallback for when the case opened. */
  createdAt: number | null;
}

export interface ObserveScope {
  accountId: string;
  /** Only these customers' subjects; all when undefined. */
  customerIds?: readonly string[];
}


export const invoiceSubject = (invoiceId: string) => `invoice:${invoiceId}`;
export const subscriptionSubject = (subscriptionId: string, latestInvoiceId: string | null) => `subscription:${subscriptionId}:${latestInvoiceId ?? 'none'}`;

/**
 * A scoped query starts from the customer list (CROSS JOIN keeps it the outer loop), so its cost
 * follows the customers named, not the size of the account: with `IN (SELECT … json_each)` the
 * planner (no ANALYZE statistics) scanned every invoice of the account and filtered, which made
 * each sync page's reconcile grow with the cache.
 */
function scopedFrom(table: string, scope: ObserveScope): string {
  return scope.customerIds ? `json_each(@customers) AS sc CROSS JOIN ${table}` : table;
}

function params(scope: ObserveScope): Record<string, unknown> {
  return scope.customerIds ? { a: scope.accountId, customers: JSON.stringify(scope.customerIds) } : { a: scope.accountId };
}

interface InvoiceObsRow {
  cand_id: string;
  id: string | null;
  customer_id: string | null;
  case_customer_id: string | null;
  subscription_id: string | null;
  status: string | null;
  currency: string | null;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  paid_at: number | null;
  voided_at: number | null;
  marked_uncollectible_at: number | null;
  created: number | null;
  sub_status: string | null;
  sub_pm: string | null;
  cus_pm: string | null;
  attempts_known: number;
  decline_code: string | null;
  advice_code: string | null;
  failure_code: string | null;
  failure_message: string | null;
  failed_pm: string | null;
  last_failed_at: number | null;
  first_failed_at: number | null;
}

function invoiceSql(scope: ObserveScope): string {
  return `
    WITH cand(id) AS (
      SELECT i.id FROM ${scopedFrom('invoices i', scope)}
        LEFT JOIN subscriptions s ON s.account_id = i.account_id AND s.id = i.subscription_id
       WHERE i.account_id = @a AND ${scope.customerIds ? `i.customer_id = sc.value AND +i.status = 'open'` : `i.status = 'open'`}
         AND (
           EXISTS (SELECT 1 FROM payment_attempts pa WHERE pa.account_id = i.account_id AND pa.invoice_id = i.id AND pa.status = 'failed')
           OR (i.attempt_count > 0 AND NOT EXISTS (SELECT 1 FROM payment_attempts pa WHERE pa.account_id = i.account_id AND pa.invoice_id = i.id))
           OR s.status IN ('past_due', 'unpaid')
         )
      UNION
      SELECT d.invoice_id FROM ${scopedFrom('dunning_cases d', scope)}
       WHERE d.account_id = @a AND d.invoice_id IS NOT NULL AND ${scope.customerIds ? `d.customer_id = sc.value AND +d.stage IN ${OPEN_STAGES_SQL}` : `d.stage IN ${OPEN_STAGES_SQL}`}
    )
    SELECT cand.id AS cand_id, i.id, i.customer_id, i.subscription_id, i.status, i.currency, i.amount_due, i.amount_paid,
           i.amount_remaining, i.attempt_count, i.next_payment_attempt, i.paid_at, i.voided_at, i.marked_uncollectible_at, i.created,
           -- only looked up when the invoice row is gone (COALESCE stops at the first non-null)
           COALESCE(i.customer_id, (SELECT d.customer_id FROM dunning_cases d WHERE d.account_id = @a AND d.invoice_id = cand.id ORDER BY d.id DESC LIMIT 1)) AS case_customer_id,
           s.status AS sub_status, s.default_payment_method_id AS sub_pm, c.default_payment_method_id AS cus_pm,
           (SELECT MIN(pa.created) FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = cand.id AND pa.status = 'failed') AS first_failed_at,
           (f.rowid IS NOT NULL OR EXISTS (SELECT 1 FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = cand.id)) AS attempts_known,
           f.decline_code, f.advice_code, f.failure_code, f.failure_message, f.payment_method_id AS failed_pm, f.created AS last_failed_at
      FROM cand
      LEFT JOIN invoices i ON i.account_id = @a AND i.id = cand.id
      LEFT JOIN subscriptions s ON s.account_id = @a AND s.id = i.subscription_id
      LEFT JOIN customers c ON c.account_id = @a AND c.id = i.customer_id
      -- The latest failed attempt, by an indexed lookup per invoice (a windowed CTE joined here
      -- would be scanned once per candidate).
      LEFT JOIN payment_attempts f ON f.rowid = (
        SELECT pa.rowid FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = cand.id AND pa.status = 'failed'
         ORDER BY pa.created DESC, pa.rowid DESC LIMIT 1)`;
}

function observationOfRow(r: InvoiceObsRow): StripeObservation {
  return invoiceObservation({
    exists: r.id != null,
    status: r.status,
    amountPaid: r.amount_paid,
    attemptCount: r.attempt_count,
    subscriptionStatus: r.sub_status,
    lastFailedAt: r.last_failed_at,
    attemptsKnown: r.attempts_known !== 0,
  });
}

type Raw = Array<string | number | null>;

/** Raw row (column order of invoiceSql) -> named row, as one literal (fast for thousands of rows). */
function invoiceRow(r: Raw): InvoiceObsRow {
  return {
    cand_id: r[0] as string, id: r[1] as string | null, customer_id: r[2] as string | null, subscription_id: r[3] as string | null,
    status: r[4] as string | null, currency: r[5] as string | null, amount_due: r[6] as number, amount_paid: r[7] as number,
    amount_remaining: r[8] as number, attempt_count: r[9] as number, next_payment_attempt: r[10] as number | null, paid_at: r[11] as number | null,
    voided_at: r[12] as number | null, marked_uncollectible_at: r[13] as number | null, created: r[14] as number | null,
    case_customer_id: r[15] as string | null, sub_status: r[16] as string | null, sub_pm: r[17] as string | null, cus_pm: r[18] as string | null,
    first_failed_at: r[19] as number | null, attempts_known: r[20] as number, decline_code: r[21] as string | null, advice_code: r[22] as string | null,
    failure_code: r[23] as string | null, failure_message: r[24] as string | null, failed_pm: r[25] as string | null, last_failed_at: r[26] as number | null,
  };
}


export function observeInvoices(db: Database.Database, scope: ObserveScope): ObservedSubject[] {
  const rows = (preparedRaw(db, invoiceSql(scope)).all(params(scope)) as Raw[]).map(invoiceRow);
  return rows.map((r) => ({
    subject: invoiceSubject(r.cand_id),
    customerId: (r.customer_id ?? r.case_customer_id)!,
    invoiceId: r.cand_id,
    subscriptionId: r.subscription_id,
    observation: observationOfRow(r),
    currency: r.currency ?? 'usd',
    amountAtRisk: r.amount_remaining,
    amountDue: r.amount_due,
    attemptCount: r.attempt_count,
    nextPaymentAttempt: r.next_payment_attempt,
    failure: {
      declineCode: r.decline_code,
      adviceCode: r.advice_code,
      failureCode: r.failure_code,
      failureMessage: r.failure_message,
      paymentMethodId: r.failed_pm,
      firstFailureAt: r.first_failed_at,
      lastFailureAt: r.last_failed_at,
    },
    currentPaymentMethod: r.sub_pm ?? r.cus_pm,
    closedAt: r.paid_at ?? r.voided_at ?? r.marked_uncollectible_at ?? null,
    createdAt: r.created,
  }));
}

export interface SubscriptionObsRow {
  cand_id: string;
  id: string | null;
  customer_id: string | null;
  case_customer_id: string | null;
  status: string | null;
  currency: string | null;
  latest_invoice_id: string | null;
  case_subject: string | null;
  sub_pm: string | null;
  cus_pm: string | null;
  items_amount: number | null;
  latest_status: string | null;
  latest_paid: number | null;
  latest_due: number | null;
  latest_remaining: number | null;
  latest_attempts: number | null;
  latest_next_attempt: number | null;
  decline_code: string | null;
  advice_code: string | null;
  failure_code: string | null;
  failure_message: string | null;
  failed_pm: string | null;
  last_failed_at: number | null;
}

function subscriptionSql(scope: ObserveScope): string {
  return `
    WITH cand(id) AS (
      SELECT s.id FROM ${scopedFrom('subscriptions s', scope)}
       WHERE s.account_id = @a AND ${scope.customerIds ? `s.customer_id = sc.value AND +s.status IN ('past_due', 'unpaid')` : `s.status IN ('past_due', 'unpaid')`}
         AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.account_id = s.account_id AND i.subscription_id = s.id AND i.status = 'open')
         AND NOT EXISTS (SELECT 1 FROM dunning_cases d WHERE d.account_id = s.account_id AND s.latest_invoice_id IS NOT NULL AND d.invoice_id = s.latest_invoice_id)
      UNION
      SELECT d.subscription_id FROM ${scopedFrom('dunning_cases d', scope)}
       WHERE d.account_id = @a AND d.invoice_id IS NULL AND d.subscription_id IS NOT NULL AND ${scope.customerIds ? `d.customer_id = sc.value AND +d.stage IN ${OPEN_STAGES_SQL}` : `d.stage IN ${OPEN_STAGES_SQL}`}
    )
    SELECT cand.id AS cand_id, s.id, s.customer_id, s.status, s.currency, s.latest_invoice_id,
           (SELECT d.customer_id FROM dunning_cases d WHERE d.account_id = @a AND d.subscription_id = cand.id AND d.invoice_id IS NULL ORDER BY d.id DESC LIMIT 1) AS case_customer_id,
           (SELECT d.subject FROM dunning_cases d WHERE d.account_id = @a AND d.subscription_id = cand.id AND d.invoice_id IS NULL AND d.stage IN ${OPEN_STAGES_SQL} LIMIT 1) AS case_subject,
           s.default_payment_method_id AS sub_pm, c.default_payment_method_id AS cus_pm,
           (SELECT SUM(COALESCE(si.unit_amount, 0) * si.quantity) FROM subscription_items si WHERE si.account_id = @a AND si.subscription_id = cand.id) AS items_amount,
           li.status AS latest_status, li.amount_paid AS latest_paid, li.amount_due AS latest_due, li.amount_remaining AS latest_remaining,
           li.attempt_count AS latest_attempts, li.next_payment_attempt AS latest_next_attempt,
           f.decline_code, f.advice_code, f.failure_code, f.failure_message, f.payment_method_id AS failed_pm, f.created AS last_failed_at
      FROM cand
      LEFT JOIN subscriptions s ON s.account_id = @a AND s.id = cand.id
      LEFT JOIN customers c ON c.account_id = @a AND c.id = s.customer_id
      LEFT JOIN invoices li ON li.account_id = @a AND li.id = s.latest_invoice_id
      LEFT JOIN payment_attempts f ON f.rowid = (
        SELECT pa.rowid FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = s.latest_invoice_id AND pa.status = 'failed'
         ORDER BY pa.created DESC, pa.rowid DESC LIMIT 1)`;
}

function subscriptionObservation(r: SubscriptionObsRow): StripeObservation {
  if (r.id == null) return { kind: 'gone' };
  switch (r.status) {
    case 'past_due':
    case 'unpaid':
      return { kind: 'failing', failureMark: 0 };
    case 'active':
    case 'trialing':
      return { kind: 'subscription_active', amountPaid: r.latest_status === 'paid' ? r.latest_paid : null };
    case 'canceled':
    case 'incomplete_expired':
      return { kind: 'subscription_canceled' };
    default:
      return { kind: 'quiet' };
  }
}

export function observeSubscriptions(db: Database.Database, scope: ObserveScope): ObservedSubject[] {
  return (prepared(db, subscriptionSql(scope)).all(params(scope)) as SubscriptionObsRow[]).map(subscriptionSubjectOfRow);
}

/** One subscription's dunning view from its facts (the desk reads them from its tables, the team server from the Stripe objects). */
export function subscriptionSubjectOfRow(r: SubscriptionObsRow): ObservedSubject {
  // The latest invoice's unpaid remainder when it is known and unpaid; else the recurring amount.
  const unpaidLatest = r.latest_status != null && r.latest_status !== 'paid' && r.latest_status !== 'void' ? r.latest_remaining : null;
  const amount = unpaidLatest ?? r.items_amount ?? 0;
  return {
    subject: r.case_subject ?? subscriptionSubject(r.cand_id, r.latest_invoice_id),
    customerId: (r.customer_id ?? r.case_customer_id)!,
    invoiceId: null,
    subscriptionId: r.cand_id,
    observation: subscriptionObservation(r),
    currency: r.currency ?? 'usd',
    amountAtRisk: amount,
    amountDue: r.latest_due ?? amount,
    attemptCount: r.latest_attempts ?? 0,
    nextPaymentAttempt: r.latest_next_attempt,
    failure: {
      declineCode: r.decline_code,
      adviceCode: r.advice_code,
      failureCode: r.failure_code,
      failureMessage: r.failure_message,
      paymentMethodId: r.failed_pm,
      firstFailureAt: r.last_failed_at,
      lastFailureAt: r.last_failed_at,
    },
    currentPaymentMethod: r.sub_pm ?? r.cus_pm,
    closedAt: null,
    createdAt: null,
  };
}

export { HISTORY_WINDOW_SECONDS };

/**
 * Invoices that went through dunning and were already settled (paid, voided, uncollectible) before
 * the console first saw them, with no case yet: a first sync thus yields recovery figures for the
 * recent past instead of starting from zero. Driven from recent failed attempts, so a no-op
 * reconcile stays cheap however long the invoice history is.
 */
export function observeSettledHistory(db: Database.Database, scope: ObserveScope, nowS: number): ObservedSubject[] {
  const sql = `
    WITH recent(id) AS MATERIALIZED (${
      scope.customerIds
        ? `
      SELECT i.id FROM ${scopedFrom('invoices i', scope)}
       WHERE i.account_id = @a AND i.customer_id = sc.value
         AND EXISTS (SELECT 1 FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = i.id AND pa.status = 'failed' AND pa.created >= @since)`
        : `
      SELECT DISTINCT pa.invoice_id FROM payment_attempts pa WHERE pa.account_id = @a AND pa.status = 'failed' AND pa.created >= @since`
    }
    )
    SELECT i.id, i.customer_id, i.subscription_id, i.status, i.currency, i.amount_due, i.amount_paid, i.amount_remaining, i.attempt_count,
           i.paid_at, i.voided_at, i.marked_uncollectible_at, i.created,
           (SELECT MIN(pa.created) FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = i.id AND pa.status = 'failed') AS first_failed_at,
           f.decline_code, f.advice_code, f.failure_code, f.failure_message, f.payment_method_id AS failed_pm, f.created AS last_failed_at
      FROM recent
      CROSS JOIN invoices i ON i.account_id = @a AND i.id = recent.id
      LEFT JOIN payment_attempts f ON f.rowid = (
        SELECT pa.rowid FROM payment_attempts pa WHERE pa.account_id = @a AND pa.invoice_id = i.id AND pa.status = 'failed'
         ORDER BY pa.created DESC, pa.rowid DESC LIMIT 1)
     WHERE i.status IN ('paid', 'void', 'uncollectible')
       AND NOT EXISTS (SELECT 1 FROM dunning_cases d WHERE d.account_id = @a AND d.invoice_id = i.id)`;
  const rows = preparedRaw(db, sql).all({ ...params(scope), since: nowS - HISTORY_WINDOW_SECONDS }) as Raw[];
  return rows.map((r) => {
    const [id, customerId, subscriptionId, status, currency, amountDue, amountPaid, , attemptCount, paidAt, voidedAt, uncollectibleAt, created, firstFailed, declineCode, adviceCode, failureCode, failureMessage, failedPm, lastFailed] = r as [
      string, string, string | null, string, string, number, number, number, number, number | null, number | null, number | null, number,
      number | null, string | null, string | null, string | null, string | null, string | null, number | null,
    ];
    const observation: StripeObservation = status === 'paid' ? { kind: 'paid', amountPaid } : status === 'void' ? { kind: 'voided' } : { kind: 'uncollectible' };
    return {
      subject: invoiceSubject(id),
      customerId,
      invoiceId: id,
      subscriptionId,
      observation,
      currency,
      // What was at risk while it was in dunning: the amount due (the remainder is 0 once paid).
      amountAtRisk: amountDue,
      amountDue,
      attemptCount,
      nextPaymentAttempt: null,
      failure: { declineCode, adviceCode, failureCode, failureMessage, paymentMethodId: failedPm, firstFailureAt: firstFailed, lastFailureAt: lastFailed },
      currentPaymentMethod: null,
      closedAt: paidAt ?? voidedAt ?? uncollectibleAt ?? lastFailed,
      createdAt: created,
    };
  });
}
