import type { CopilotCitation } from '../../../../shared/contract/copilot';
import { cardLabel, type CustomerFacts } from './customer-facts';
import { money } from '../format';

// The citable things for one reply: this customer's objects and the knowledge-base articles.
// A citation in a draft is kept only when it is in this catalog, so a chip always opens something
// real, and an id the model made up (or took from elsewhere) never reaches the agent as a fact.

export type CitationCatalog = Map<string, CopilotCitation>;

export function buildCatalog(facts: CustomerFacts, kbArticles: Map<string, string>): CitationCatalog {
  const cat: CitationCatalog = new Map();
  cat.set(facts.customer.id, { ref: facts.customer.id, kind: 'customer', label: facts.customer.name ?? facts.customer.email ?? 'Customer' });
  for (const s of facts.subscriptions) cat.set(s.id, { ref: s.id, kind: 'subscription', label: s.planName });
  for (const i of facts.invoices) cat.set(i.id, { ref: i.id, kind: 'invoice', label: `Invoice ${i.number ?? i.id} · ${money(i.total, i.currency)}` });
  for (const a of facts.attempts) cat.set(a.id, { ref: a.id, kind: 'payment_attempt', label: `Payment ${a.status}${a.declineCode ? ` (${a.declineCode})` : ''}` });
  for (const p of facts.paymentMethods) cat.set(p.id, { ref: p.id, kind: 'payment_method', label: cardLabel(p.brand, p.last4) });
  for (const [ref, title] of kbArticles) cat.set(ref, { ref, kind: 'kb', label: title });
  return cat;
}

/** `[in_123]`, `[kb:refunds]`, also `[in_1, kb:x]`: the refs cited in a text, in order of first use. */
export function citedRefs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\[([^\[\]\n]{2,200})\]/g)) {
    for (const part of m[1]!.split(/[,;]\s*/)) {
      const ref = part.trim();
      if (/^(kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+)$/.test(ref) && !out.includes(ref)) out.push(ref);
    }
  }
  return out;
}

export function citationsIn(text: string, catalog: CitationCatalog): CopilotCitation[] {
  return citedRefs(text).map((r) => catalog.get(r)).filter((c): c is CopilotCitation => c != null);
}
