import type { CopilotAction, CopilotEntities, CopilotIntent, KbHit } from '../../../shared/contract/copilot';
import type { Redactor } from '../core/redact';
import { actionsFromState } from './actions/state-rules';
import { buildCatalog, type CitationCatalog } from './context/citations';
import { knownRefs, type CustomerFacts } from './context/customer-facts';
import { emailsIn, invoiceNumbersIn, type GuardScope } from './safety/output-guard';
import { extractEntities } from './understanding/entities';
import { classifyIntent } from './understanding/intent-rules';
import { INTENT_ARTICLE } from './drafts/templates';

// What every copilot answer starts from, with or without a model: this customer's facts, the
// intent and entities read by the rules, the actions the data supports (write actions recorded as
// proposals), the knowledge-base passages, and the scope the output guard checks against.

export interface PreparedTurn {
  facts: CustomerFacts;
  message: string;
  intent: CopilotIntent;
  entities: CopilotEntities;
  actions: CopilotAction[];
  kb: KbHit[];
  catalog: CitationCatalog;
  scope: GuardScope;
}

export interface PrepareDeps {
  redactor: Redactor;
  searchKb: (query: string, limit: number) => Promise<KbHit[]>;
  kbArticles: () => Map<string, string>;
  recordProposal: (action: CopilotAction) => CopilotAction;
  /** This customer's own Stripe-hosted invoice and portal URLs (the links a draft may keep). */
  ownLinks?: () => ReadonlySet<string>;
  /** Whether a phrase is another customer's name (checked locally, never sent anywhere). */
  isOtherCustomerName?: (phrase: string) => boolean;
  nowMs: number;
}

const INTENT_QUERY: Record<CopilotIntent, string> = {
  invoice_explanation: 'invoice charge higher than usual proration',
  payment_failed: 'failed payment decline retry',
  update_payment_method: 'update card payment method',
  cancel_subscription: 'cancel subscription access ends',
  change_plan: 'change plan proration upgrade downgrade',
  refund_request: 'refund policy how long',
  pause_subscription: 'pause subscription break',
  billing_details_update: 'billing address tax id VAT',
  other: '',
};

export function entityHints(facts: CustomerFacts, nowMs: number) {
  return {
    now: nowMs,
    customerCurrency: facts.customer.currency,
    // Price nicknames such as "Monthly" name a billing interval, not a plan.
    planNames: facts.subscriptions.flatMap((s) => s.planName.split(/, | – /)).filter((n) => n.length >= 3 && !/^(monthly|yearly|annual|weekly|quarterly|daily)$/i.test(n)),
    invoiceNumbers: facts.invoices.map((i) => i.number).filter((n): n is string => Boolean(n)),
  };
}

export async function prepareTurn(facts: CustomerFacts, message: string, deps: PrepareDeps): Promise<PreparedTurn> {
  const { intent } = classifyIntent(message);
  const entities = extractEntities(message, entityHints(facts, deps.nowMs));
  const actions = actionsFromState(facts, intent, entities, message).map((a) => (a.requiresConfirmation ? deps.recordProposal(a) : a));
  // The intent's article first (the policy the draft should cite), then what the words match.
  const kbQuery = `${INTENT_QUERY[intent]} ${message}`.slice(0, 500);
  const found = await deps.searchKb(kbQuery, 4);
  const preferred = INTENT_ARTICLE[intent];
  const kb = preferred ? [...found.filter((h) => h.ref === preferred), ...found.filter((h) => h.ref !== preferred)] : found;
  const articles = deps.kbArticles();
  const catalog = buildCatalog(facts, articles);
  const knownIds = knownRefs(facts);
  for (const a of actions) if (a.proposalId) knownIds.add(a.proposalId);
  const allowedEmails = new Set<string>(emailsIn(message));
  if (facts.customer.email) allowedEmails.add(facts.customer.email.toLowerCase());
  const allowedInvoiceNumbers = new Set<string>([...invoiceNumbersIn(message), ...facts.invoices.map((i) => (i.number ?? '').toUpperCase()).filter(Boolean)]);
  const allowedNames = new Set([facts.customer.name ?? '', message].map((t) => t.toLowerCase()));
  const otherName = deps.isOtherCustomerName;
  const scope: GuardScope = {
    knownIds,
    kbRefs: new Set(articles.keys()),
    allowedEmails,
    allowedInvoiceNumbers,
    allowedLinks: deps.ownLinks?.() ?? new Set(),
    redactor: deps.redactor,
    isOtherCustomerName: otherName ? (phrase) => ![...allowedNames].some((a) => a.includes(phrase.toLowerCase())) && otherName(phrase) : undefined,
  };
  return { facts, message, intent, entities, actions, kb, catalog, scope };
}
