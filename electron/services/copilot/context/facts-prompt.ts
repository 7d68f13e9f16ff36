import type { KbHit } from '../../../../shared/contract/copilot';
import { cardLabel, type CustomerFacts, type FactsAttempt, type FactsInvoice } from './customer-facts';
import { fitToBudget, type BudgetSection, type FittedContext } from './budget';
import { formatDay, money } from '../format';

// This customer's facts as compact lines for the model, each starting with the object's id so the
// model can cite it. Minimal by design: the customer's name (to greet them) but not their email or
// phone; cards as brand, last four and an "expired" flag; nothing about any other customer.

export function invoiceLine(i: FactsInvoice): string {
  const parts = [
    `${i.id}`,
    i.number ? `number ${i.number}` : null,
    `total ${money(i.total, i.currency)}`,
    `status ${i.status ?? 'unknown'}`,
    i.amountRemaining > 0 && i.status === 'open' ? `remaining ${money(i.amountRemaining, i.currency)}` : null,
    `created ${formatDay(i.created)}`,
    i.paidAt ? `paid ${formatDay(i.paidAt)}` : null,
    i.periodStart && i.periodEnd ? `period ${formatDay(i.periodStart)} – ${formatDay(i.periodEnd)}` : null,
    i.billingReason ? `reason ${i.billingReason}` : null,
    i.attemptCount ? `${i.attemptCount} payment attempt(s)` : null,
    i.nextPaymentAttempt ? `next automatic retry ${formatDay(i.nextPaymentAttempt)}` : null,
    i.subscriptionId ? `subscription ${i.subscriptionId}` : null,
  ].filter(Boolean);
  const lines = i.lines.slice(0, 6).map((l) => `"${(l.description ?? 'item').slice(0, 80)}" ${money(l.amount, l.currency || i.currency)}${l.quantity && l.quantity > 1 ? ` ×${l.quantity}` : ''}`);
  return `${parts.join(', ')}${lines.length ? `; lines: ${lines.join('; ')}` : ''}`;
}

export function attemptLine(a: FactsAttempt): string {
  return [
    a.id,
    `on ${a.invoiceId}`,
    a.status,
    money(a.amount, a.currency),
    formatDay(a.created),
    cardLabel(a.cardBrand, a.cardLast4),
    a.declineCode ? `decline ${a.declineCode} (${a.category}): ${a.explanation}` : a.explanation,
    a.advice,
  ]
    .filter(Boolean)
    .join(', ');
}

export function factsSections(facts: CustomerFacts): BudgetSection[] {
  const c = facts.customer;
  const open = facts.invoices.filter((i) => i.status === 'open');
  const others = facts.invoices.filter((i) => i.status !== 'open');
  const failed = facts.attempts.filter((a) => a.status === 'failed');
  const rest = facts.attempts.filter((a) => a.status !== 'failed');
  return [
    {
      name: 'Customer',
      lines: [
        `${c.id}, name ${c.name ?? 'unknown'}, currency ${c.currency ?? 'unknown'}, balance ${money(c.balance, c.currency ?? 'usd')}, ${c.delinquent ? 'delinquent (has unpaid invoices)' : 'in good standing'}, customer since ${formatDay(c.created)}`,
      ],
    },
    {
      name: 'Subscriptions',
      lines: facts.subscriptions.map(
        (s) =>
          `${s.id}, ${s.planName}, ${s.status}${s.paused ? ' (paused)' : ''}, ${money(s.amount, s.currency)}${s.interval ? ` per ${s.interval}` : ''}` +
          `${s.currentPeriodEnd ? `, current period ends ${formatDay(s.currentPeriodEnd)}` : ''}${s.cancelAtPeriodEnd ? ', set to cancel at period end' : ''}${s.trialEnd && s.trialEnd > facts.nowSec ? `, trial ends ${formatDay(s.trialEnd)}` : ''}`,
      ),
    },
    {
      name: 'Payment methods',
      lines: facts.paymentMethods.map((p) => `${p.id}, ${p.type === 'card' ? cardLabel(p.brand, p.last4) : p.type}${p.isDefault ? ', default' : ''}${p.expired ? ', EXPIRED' : p.expiringSoon ? ', expires soon' : ''}`),
    },
    { name: 'Open invoices', lines: open.map(invoiceLine) },
    { name: 'Failed payments (newest first)', lines: failed.map(attemptLine) },
    { name: 'Other invoices (newest first)', lines: others.map(invoiceLine) },
    { name: 'Other payments (newest first)', lines: rest.map(attemptLine) },
  ];
}

export function kbSection(hits: KbHit[]): BudgetSection {
  return { name: 'Knowledge base', lines: hits.map((h) => `[${h.ref}] ${h.title}${h.heading ? ` › ${h.heading}` : ''}: ${h.snippet}`) };
}

/**
 * Facts and knowledge-base passages cut to `maxTokens`: the current picture (customer, plans,
 * cards, open invoices, failures) first, then the articles, then older history.
 */
export function contextForModel(facts: CustomerFacts, kb: KbHit[], maxTokens: number): FittedContext {
  const sections = factsSections(facts);
  return fitToBudget([...sections.slice(0, 5), kbSection(kb), ...sections.slice(5)], maxTokens);
}
