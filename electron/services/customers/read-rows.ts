import type Database from 'better-sqlite3';

// SQL reads behind the Customer 360 view: one function per table, plain rows out.

export interface CustomerRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  currency: string | null;
  balance: number;
  delinquent: number;
  default_payment_method_id: string | null;
  metadata_json: string;
  livemode: number;
  created: number;
  deleted: number;
  synced_at_ms: number;
}

export interface SubscriptionRow {
  id: string;
  status: string;
  currency: string;
  cancel_at_period_end: number;
  cancel_at: number | null;
  canceled_at: number | null;
  trial_end: number | null;
  current_period_start: number | null;
  current_period_end: number | null;
  created: number;
  synced_at_ms: number;
}

export interface SubscriptionItemRow {
  id: string;
  subscription_id: string;
  product_name: string | null;
  price_nickname: string | null;
  unit_amount: number | null;
  currency: string | null;
  recurring_interval: string | null;
  recurring_interval_count: number | null;
  quantity: number;
  current_period_start: number | null;
  current_period_end: number | null;
}

export interface InvoiceRow {
  id: string;
  number: string | null;
  status: string | null;
  currency: string;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  total: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  due_date: number | null;
  created: number;
  subscription_id: string | null;
  hosted_invoice_url: string | null;
  synced_at_ms: number;
}

export interface AttemptRow {
  id: string;
  invoice_id: string;
  status: string;
  amount: number;
  currency: string;
  created: number;
  payment_intent_id: string | null;
  charge_id: string | null;
  decline_code: string | null;
  failure_code: string | null;
  failure_message: string | null;
  advice_code: string | null;
  card_brand: string | null;
  card_last4: string | null;
}

export interface PaymentMethodRow {
  id: string;
  type: string;
  card_brand: string | null;
  card_last4: string | null;
  card_exp_month: number | null;
  card_exp_year: number | null;
  created: number;
  synced_at_ms: number;
}

export interface DunningRow {
  id: number;
  stage: string;
  category: string;
  amount_at_risk: number;
  currency: string;
  invoice_id: string | null;
  decline_code: string | null;
  assignee: string | null;
  opened_at: number;
  closed_at: number | null;
  invoice_attempt_count: number | null;
  invoice_next_payment_attempt: number | null;
}

export interface NoteRow {
  id: number;
  customer_id: string;
  body: string;
  author: string;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface TimelineRow {
  id: string;
  type: string;
  summary: string;
  object_id: string | null;
  created: number;
}

export interface PortalLinkRow {
  id: number;
  flow: string;
  url: string;
  subscription_id: string | null;
  simulated: number;
  created_by: string;
  created_at_ms: number;
}

/** How many invoices the 360 view shows (newest first); older ones stay in the cache. */
export const INVOICE_LIMIT = 100;

export function readCustomer(db: Database.Database, accountId: string, customerId: string): CustomerRow | undefined {
  return db
    .prepare(
      `SELECT id, name, email, phone, description, currency, balance, delinquent, default_payment_method_id, metadata_json,
              livemode, created, deleted, synced_at_ms FROM customers WHERE account_id = ? AND id = ?`,
    )
    .get(accountId, customerId) as CustomerRow | undefined;
}

export function readSubscriptions(db: Database.Database, accountId: string, customerId: string): SubscriptionRow[] {
  return db
    .prepare(
      `SELECT id, status, currency, cancel_at_period_end, cancel_at, canceled_at, trial_end, current_period_start, current_period_end, created, synced_at_ms
       FROM subscriptions WHERE account_id = ? AND customer_id = ?
       ORDER BY CASE status WHEN 'past_due' THEN 0 WHEN 'unpaid' THEN 1 WHEN 'incomplete' THEN 2 WHEN 'trialing' THEN 3 WHEN 'active' THEN 4 WHEN 'paused' THEN 5 ELSE 6 END, created DESC`,
    )
    .all(accountId, customerId) as SubscriptionRow[];
}

// Lists of ids are joined from json_each with CROSS JOIN so SQLite drives the loop from the list
// (without ANALYZE statistics it may otherwise scan an account-wide index).
export function readSubscriptionItems(db: Database.Database, accountId: string, subscriptionIds: string[]): SubscriptionItemRow[] {
  if (subscriptionIds.length === 0) return [];
  return db
    .prepare(
      `SELECT i.id, i.subscription_id, i.product_name, i.price_nickname, i.unit_amount, i.currency, i.recurring_interval, i.recurring_interval_count,
              i.quantity, i.current_period_start, i.current_period_end
       FROM json_each(?) j CROSS JOIN subscription_items i ON i.account_id = ? AND i.subscription_id = j.value ORDER BY i.id`,
    )
    .all(JSON.stringify(subscriptionIds), accountId) as SubscriptionItemRow[];
}

export function readInvoices(db: Database.Database, accountId: string, customerId: string): InvoiceRow[] {
  return db
    .prepare(
      `SELECT id, number, status, currency, amount_due, amount_paid, amount_remaining, total, attempt_count, next_payment_attempt, due_date,
              created, subscription_id, hosted_invoice_url, synced_at_ms
       FROM invoices WHERE account_id = ? AND customer_id = ? ORDER BY created DESC, id DESC LIMIT ${INVOICE_LIMIT}`,
    )
    .all(accountId, customerId) as InvoiceRow[];
}

export function readAttempts(db: Database.Database, accountId: string, invoiceIds: string[]): AttemptRow[] {
  if (invoiceIds.length === 0) return [];
  return db
    .prepare(
      `SELECT a.id, a.invoice_id, a.status, a.amount, a.currency, a.created, a.payment_intent_id, a.charge_id, a.decline_code, a.failure_code,
              a.failure_message, a.advice_code, a.card_brand, a.card_last4
       FROM json_each(?) j CROSS JOIN payment_attempts a ON a.account_id = ? AND a.invoice_id = j.value ORDER BY a.created, a.id`,
    )
    .all(JSON.stringify(invoiceIds), accountId) as AttemptRow[];
}

export function readPaymentMethods(db: Database.Database, accountId: string, customerId: string): PaymentMethodRow[] {
  return db
    .prepare(
      `SELECT id, type, card_brand, card_last4, card_exp_month, card_exp_year, created, synced_at_ms
       FROM payment_methods WHERE account_id = ? AND customer_id = ? ORDER BY created DESC`,
    )
    .all(accountId, customerId) as PaymentMethodRow[];
}

export function readDunning(db: Database.Database, accountId: string, customerId: string): DunningRow[] {
  return db
    .prepare(
      `SELECT d.id, d.stage, d.category, d.amount_at_risk, d.currency, d.invoice_id, d.decline_code, d.assignee, d.opened_at, d.closed_at,
              i.attempt_count AS invoice_attempt_count, i.next_payment_attempt AS invoice_next_payment_attempt
       FROM dunning_cases d LEFT JOIN invoices i ON i.account_id = d.account_id AND i.id = d.invoice_id
       WHERE d.account_id = ? AND d.customer_id = ?
       ORDER BY d.closed_at IS NOT NULL, d.opened_at DESC, d.id DESC`,
    )
    .all(accountId, customerId) as DunningRow[];
}

export function readNotes(db: Database.Database, accountId: string, customerId: string): NoteRow[] {
  return db
    .prepare(`SELECT id, customer_id, body, author, created_at_ms, updated_at_ms FROM notes WHERE account_id = ? AND customer_id = ? ORDER BY created_at_ms DESC, id DESC`)
    .all(accountId, customerId) as NoteRow[];
}

export function readTimeline(db: Database.Database, accountId: string, customerId: string, limit = 200): TimelineRow[] {
  return db
    .prepare(`SELECT id, type, summary, object_id, created FROM timeline_events WHERE account_id = ? AND customer_id = ? ORDER BY created DESC, id DESC LIMIT ?`)
    .all(accountId, customerId, limit) as TimelineRow[];
}

export function readPortalLinks(db: Database.Database, accountId: string, customerId: string): PortalLinkRow[] {
  return db
    .prepare(
      `SELECT id, flow, url, subscription_id, simulated, created_by, created_at_ms FROM portal_links
       WHERE account_id = ? AND customer_id = ? ORDER BY created_at_ms DESC, id DESC LIMIT 100`,
    )
    .all(accountId, customerId) as PortalLinkRow[];
}
