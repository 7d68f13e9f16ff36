import type { CopilotEntities } from '../../../../shared/contract/copilot';
import type { CustomerFacts, FactsAttempt, FactsInvoice, FactsPaymentMethod, FactsSubscription } from '../context/customer-facts';
import { isoDay } from '../format';

// Which of the customer's objects a message is about: the invoice named by its number, else the
// one matching the amount (and date, when given), else the one on that date. Shared by the rules,
// the templates and the model's tools so they all point at the same object.

const DAY = 86_400;

export function findInvoiceByNumber(facts: CustomerFacts, number: string): FactsInvoice | null {
  const n = number.trim().toLowerCase();
  return facts.invoices.find((i) => i.id.toLowerCase() === n || (i.number ?? '').toLowerCase() === n || (i.number ?? '').toLowerCase().endsWith(n)) ?? null;
}

function invoiceDay(i: FactsInvoice): number {
  return i.paidAt ?? i.created;
}

/** Invoices matching an amount (any of total, paid, due) and/or a date (±3 days), newest first. */
export function findInvoices(facts: CustomerFacts, q: { amount?: number | null; currency?: string | null; date?: string | null; number?: string | null; status?: string | null }): FactsInvoice[] {
  if (q.number) {
    const one = findInvoiceByNumber(facts, q.number);
    return one ? [one] : [];
  }
  let list = facts.invoices;
  if (q.status) list = list.filter((i) => i.status === q.status);
  if (q.amount != null) {
    list = list.filter((i) => (!q.currency || i.currency === q.currency) && [i.total, i.amountPaid, i.amountDue].includes(q.amount!));
  }
  if (q.date) {
    const target = Date.parse(`${q.date}T12:00:00Z`) / 1000;
    if (Number.isFinite(target)) {
      const near = list.filter((i) => Math.abs(invoiceDay(i) - target) <= 3 * DAY);
      // A date the customer half-remembers should narrow, not empty, an amount match.
      if (near.length || q.amount == null) list = near.sort((a, b) => Math.abs(invoiceDay(a) - target) - Math.abs(invoiceDay(b) - target));
    }
  }
  return list;
}

export function relevantInvoice(facts: CustomerFacts, entities: CopilotEntities): FactsInvoice | null {
  if (entities.invoiceNumber) {
    const byNumber = findInvoiceByNumber(facts, entities.invoiceNumber);
    if (byNumber) return byNumber;
  }
  if (entities.amount != null || entities.date) {
    const matches = findInvoices(facts, { amount: entities.amount, currency: entities.currency, date: entities.date });
    if (matches[0]) return matches[0];
  }
  return null;
}

export function attemptsFor(facts: CustomerFacts, invoiceId: string): FactsAttempt[] {
  return facts.attempts.filter((a) => a.invoiceId === invoiceId);
}

/** The newest open invoice whose latest attempt failed, with that attempt. */
export function failedOpenInvoice(facts: CustomerFacts): { invoice: FactsInvoice; attempt: FactsAttempt } | null {
  for (const invoice of facts.invoices) {
    if (invoice.status !== 'open' || invoice.amountRemaining <= 0) continue;
    const latest = attemptsFor(facts, invoice.id)[0];
    if (latest && latest.status === 'failed') return { invoice, attempt: latest };
  }
  return null;
}

export function latestOpenInvoice(facts: CustomerFacts): FactsInvoice | null {
  return facts.invoices.find((i) => i.status === 'open' && i.amountRemaining > 0) ?? null;
}

export function latestPaidInvoice(facts: CustomerFacts): FactsInvoice | null {
  return facts.invoices.find((i) => i.status === 'paid' && i.amountPaid > 0) ?? null;
}

/** The subscription a plan or cancellation request is about: the live one, newest first. */
export function currentSubscription(facts: CustomerFacts): FactsSubscription | null {
  const live = ['active', 'trialing', 'past_due', 'unpaid', 'paused', 'incomplete'];
  return facts.subscriptions.find((s) => live.includes(s.status)) ?? null;
}

export function defaultPaymentMethod(facts: CustomerFacts): FactsPaymentMethod | null {
  return facts.paymentMethods.find((p) => p.isDefault) ?? facts.paymentMethods[0] ?? null;
}

export function invoicesOnDay(facts: CustomerFacts, day: string): FactsInvoice[] {
  return facts.invoices.filter((i) => isoDay(invoiceDay(i)) === day);
}
