import type { CopilotAction, CopilotActionType, CopilotPortalFlow } from '../../../../shared/contract/copilot';
import type { CustomerFacts } from '../context/customer-facts';
import { currentSubscription } from './relevant';
import { dedupeActions, makeAction, portalLinkAction } from './state-rules';

// An action the model suggests is only a suggestion: its ids must be this customer's objects, the
// action must fit their state (a retry needs an open invoice), and it still needs a person to
// confirm. Anything else is refused with a reason the model (and the test suite) can read.

export interface ModelActionInput {
  type: CopilotActionType;
  invoiceId: string | null;
  subscriptionId: string | null;
  flow: CopilotPortalFlow | null;
  reason: string;
}

const SUBSCRIPTION_FLOWS: CopilotPortalFlow[] = ['subscription_cancel', 'subscription_update', 'subscription_pause'];

function clean(reason: string): string {
  return reason.replace(/\s+/g, ' ').trim().slice(0, 400) || 'Suggested by the model.';
}

export function checkModelAction(facts: CustomerFacts, input: ModelActionInput): { ok: true; action: CopilotAction } | { ok: false; problem: string } {
  const invoice = input.invoiceId ? facts.invoices.find((i) => i.id === input.invoiceId || i.number === input.invoiceId) : null;
  // The refusal does not repeat the id: a model talked into naming another customer's object gets nothing back to build on.
  if (input.invoiceId && !invoice) return { ok: false, problem: "That invoice is not one of this customer's invoices." };
  let sub = input.subscriptionId ? facts.subscriptions.find((s) => s.id === input.subscriptionId) : null;
  if (input.subscriptionId && !sub) return { ok: false, problem: "That subscription is not one of this customer's subscriptions." };
  const reason = clean(input.reason);
  const cites = [invoice?.id, sub?.id].filter((x): x is string => Boolean(x));
  switch (input.type) {
    case 'none':
      return { ok: true, action: makeAction('none', {}, 'No action needed', reason, cites, 'model') };
    case 'explain_invoice':
      if (!invoice) return { ok: false, problem: 'explain_invoice needs one of the customer\'s invoice ids.' };
      return { ok: true, action: makeAction('explain_invoice', { invoiceId: invoice.id, retryAt: invoice.nextPaymentAttempt }, `Explain invoice ${invoice.number ?? invoice.id}`, reason, cites, 'model') };
    case 'retry_payment':
      if (!invoice) return { ok: false, problem: 'retry_payment needs one of the customer\'s open invoice ids.' };
      if (invoice.status !== 'open') return { ok: false, problem: `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; only an open invoice can be retried.` };
      return { ok: true, action: makeAction('retry_payment', { invoiceId: invoice.id }, `Retry invoice ${invoice.number ?? invoice.id} now`, reason, cites, 'model') };
    case 'escalate_refund':
      if (!invoice) return { ok: false, problem: 'escalate_refund needs one of the customer\'s invoice ids.' };
      if (invoice.amountPaid <= 0) return { ok: false, problem: `Invoice ${invoice.number ?? invoice.id} has no payment to refund.` };
      return { ok: true, action: makeAction('escalate_refund', { invoiceId: invoice.id }, `Escalate a refund of invoice ${invoice.number ?? invoice.id}`, reason, cites, 'model') };
    case 'cancel_subscription':
    case 'pause_subscription': {
      sub = sub ?? currentSubscription(facts);
      if (!sub) return { ok: false, problem: 'This customer has no active subscription.' };
      const verb = input.type === 'cancel_subscription' ? 'Cancel' : 'Pause';
      return { ok: true, action: makeAction(input.type, { subscriptionId: sub.id }, `${verb} ${sub.planName}`, reason, [sub.id], 'model') };
    }
    case 'send_portal_link': {
      const flow = input.flow ?? 'home';
      if (SUBSCRIPTION_FLOWS.includes(flow)) {
        sub = sub ?? currentSubscription(facts);
        if (!sub) return { ok: false, problem: `The ${flow} flow needs an active subscription; this customer has none.` };
      }
      return { ok: true, action: portalLinkAction(flow, reason, cites.length ? cites : [facts.customer.id], { invoiceId: invoice?.id ?? null, subscriptionId: SUBSCRIPTION_FLOWS.includes(flow) ? sub!.id : null }, 'model') };
    }
  }
}

function key(a: CopilotAction): string {
  return `${a.type}|${a.args.flow ?? ''}`;
}

/**
 * The model ranks; the rules decide what exists. State actions the model ranked come first in its
 * order (with its reason added), then state actions it left out (never dropped), then checked
 * actions only the model suggested.
 */
export function mergeRankedActions(state: CopilotAction[], model: CopilotAction[]): CopilotAction[] {
  const ranked: CopilotAction[] = [];
  const used = new Set<CopilotAction>();
  for (const m of model) {
    const match = state.find((s) => !used.has(s) && key(s) === key(m));
    if (match) {
      used.add(match);
      ranked.push(m.reason && m.reason !== match.reason ? { ...match, reason: `${match.reason} ${m.reason}`.slice(0, 600) } : match);
    }
  }
  const leftover = state.filter((s) => !used.has(s));
  const extra = model.filter((m) => m.type !== 'none' && !state.some((s) => key(s) === key(m)));
  const merged = dedupeActions([...ranked, ...leftover, ...extra]);
  return merged.length ? merged : model.filter((m) => m.type === 'none').slice(0, 1);
}
