import { pendingNotes } from '../team/outbox';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/contract/errors';
import type { Customer360, DunningSummary, InvoiceView, PaymentAttemptView, PaymentMethodView, SubscriptionView } from '../../../shared/contract/customers';
import type { DeclineCategory } from '../../../shared/domain/decline-codes';
import { cardExpiryFlags } from './card-expiry';
import { explainDecline } from './decline-words';
import { monthlyAmount } from './monthly-amount';
import * as read from './read-rows';

// The Customer 360 DTO: everything the agent needs about one customer, from the local cache.

export function dashboardUrl(customerId: string, livemode: boolean): string {
  return `https://dashboard.stripe.com/${livemode ? '' : 'test/'}customers/${customerId}`;
}

function parseMetadata(json: string): Record<string, string> {
  try {
    const value = JSON.parse(json) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  } catch {
    return {};
  }
}

function subscriptionsView(db: Database.Database, accountId: string, customerId: string): { views: SubscriptionView[]; syncedAt: number } {
  const subs = read.readSubscriptions(db, accountId, customerId);
  const items = read.readSubscriptionItems(db, accountId, subs.map((s) => s.id));
  const views = subs.map((s) => {
    const own = items
      .filter((i) => i.subscription_id === s.id)
      .map((i) => ({
        id: i.id,
        productName: i.product_name,
        priceNickname: i.price_nickname,
        unitAmount: i.unit_amount,
        currency: i.currency ?? s.currency,
        interval: i.recurring_interval,
        intervalCount: i.recurring_interval_count,
        quantity: i.quantity,
        currentPeriodStart: i.current_period_start,
        currentPeriodEnd: i.current_period_end,
      }));
    return {
      id: s.id,
      status: s.status,
      currency: s.currency,
      cancelAtPeriodEnd: s.cancel_at_period_end === 1,
      cancelAt: s.cancel_at,
      canceledAt: s.canceled_at,
      trialEnd: s.trial_end,
      currentPeriodStart: s.current_period_start,
      currentPeriodEnd: s.current_period_end,
      monthlyAmount: monthlyAmount(own),
      items: own,
      created: s.created,
    };
  });
  return { views, syncedAt: Math.max(0, ...subs.map((s) => s.synced_at_ms)) };
}

function attemptView(a: read.AttemptRow): PaymentAttemptView {
  const words = explainDecline(a);
  return {
    id: a.id,
    status: a.status,
    amount: a.amount,
    currency: a.currency,
    created: a.created,
    paymentIntentId: a.payment_intent_id,
    chargeId: a.charge_id,
    declineCode: a.decline_code,
    failureCode: a.failure_code,
    failureMessage: a.failure_message,
    adviceCode: a.advice_code,
    explanation: words?.explanation ?? null,
    advice: words?.advice ?? null,
    category: words?.category ?? null,
    cardBrand: a.card_brand,
    cardLast4: a.card_last4,
  };
}

function invoicesView(db: Database.Database, accountId: string, customerId: string): { views: InvoiceView[]; syncedAt: number } {
  const invoices = read.readInvoices(db, accountId, customerId);
  const attempts = read.readAttempts(db, accountId, invoices.map((i) => i.id));
  const views = invoices.map((inv) => {
    const own = attempts.filter((a) => a.invoice_id === inv.id).map(attemptView);
    const lastFailed = [...own].reverse().find((a) => a.status === 'failed');
    return {
      id: inv.id,
      number: inv.number,
      status: inv.status,
      currency: inv.currency,
      amountDue: inv.amount_due,
      amountPaid: inv.amount_paid,
      amountRemaining: inv.amount_remaining,
      total: inv.total,
      attemptCount: inv.attempt_count,
      nextPaymentAttempt: inv.next_payment_attempt,
      dueDate: inv.due_date,
      created: inv.created,
      subscriptionId: inv.subscription_id,
      hostedInvoiceUrl: inv.hosted_invoice_url,
      declineCode: lastFailed ? (lastFailed.declineCode ?? lastFailed.failureCode) : null,
      attempts: own,
    };
  });
  return { views, syncedAt: Math.max(0, ...invoices.map((i) => i.synced_at_ms)) };
}

function paymentMethodsView(db: Database.Database, accountId: string, customer: read.CustomerRow, nowMs: number): { views: PaymentMethodView[]; syncedAt: number } {
  const rows = read.readPaymentMethods(db, accountId, customer.id);
  const views = rows.map((pm) => ({
    id: pm.id,
    type: pm.type,
    brand: pm.card_brand,
    last4: pm.card_last4,
    expMonth: pm.card_exp_month,
    expYear: pm.card_exp_year,
    isDefault: pm.id === customer.default_payment_method_id,
    ...cardExpiryFlags(pm.card_exp_month, pm.card_exp_year, nowMs),
  }));
  // The default card first: it is the one the next charge uses.
  views.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return { views, syncedAt: Math.max(0, ...rows.map((r) => r.synced_at_ms)) };
}

function dunningView(db: Database.Database, accountId: string, customerId: string): DunningSummary[] {
  return read.readDunning(db, accountId, customerId).map((d) => ({
    caseId: d.id,
    stage: d.stage,
    category: d.category as DeclineCategory,
    amountAtRisk: d.amount_at_risk,
    currency: d.currency,
    invoiceId: d.invoice_id,
    declineCode: d.decline_code,
    assignee: d.assignee,
    openedAt: d.opened_at,
    closedAt: d.closed_at,
    attemptCount: d.invoice_attempt_count ?? 0,
    nextPaymentAttempt: d.invoice_next_payment_attempt,
  }));
}

/** The customer row, or a typed not_found naming the id (deleted customers count as not found). */
export function requireCustomer(db: Database.Database, accountId: string, customerId: string): read.CustomerRow {
  const row = read.readCustomer(db, accountId, customerId);
  if (!row || row.deleted === 1) {
    throw new AppError('not_found', row ? `Customer ${customerId} was deleted in Stripe.` : `No customer ${customerId} in this account's cache. Check the id, or sync first.`);
  }
  return row;
}

export function buildCustomer360(db: Database.Database, accountId: string, customerId: string, nowMs: number): Customer360 {
  const c = requireCustomer(db, accountId, customerId);
  const subscriptions = subscriptionsView(db, accountId, customerId);
  const invoices = invoicesView(db, accountId, customerId);
  const paymentMethods = paymentMethodsView(db, accountId, c, nowMs);
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    description: c.description,
    currency: c.currency,
    balance: c.balance,
    delinquent: c.delinquent === 1,
    created: c.created,
    metadata: parseMetadata(c.metadata_json),
    livemode: c.livemode === 1,
    dashboardUrl: dashboardUrl(c.id, c.livemode === 1),
    syncedAt: Math.max(c.synced_at_ms, subscriptions.syncedAt, invoices.syncedAt, paymentMethods.syncedAt),
    subscriptions: subscriptions.views,
    invoices: invoices.views,
    paymentMethods: paymentMethods.views,
    dunning: dunningView(db, accountId, customerId),
    notes: [...pendingNotes(db, accountId, customerId), ...read.readNotes(db, accountId, customerId).map((n) => ({ id: n.id, body: n.body, author: n.author, createdAt: n.created_at_ms, updatedAt: n.updated_at_ms }))],
    timeline: read.readTimeline(db, accountId, customerId).map((t) => ({ id: t.id, type: t.type, summary: t.summary, objectId: t.object_id, created: t.created })),
    portalLinks: read.readPortalLinks(db, accountId, customerId).map((p) => ({
      id: p.id,
      flow: p.flow,
      url: p.url,
      subscriptionId: p.subscription_id,
      simulated: p.simulated === 1,
      createdBy: p.created_by,
      createdAt: p.created_at_ms,
    })),
  };
}
