import {
  COPILOT_WRITE_ACTIONS,
  type CopilotAction,
  type CopilotActionArgs,
  type CopilotActionType,
  type CopilotEntities,
  type CopilotIntent,
  type CopilotPortalFlow,
} from '../../../../shared/contract/copilot';
import { cardLabel, type CustomerFacts } from '../context/customer-facts';
import { formatDay, invoiceLabel, money } from '../format';
import { normaliseMessage } from '../understanding/intent-rules';
import { currentSubscription, defaultPaymentMethod, failedOpenInvoice, latestOpenInvoice, latestPaidInvoice, relevantInvoice } from './relevant';

// Actions from state first: deterministic rules over the customer's cached data decide what can be
// done; the intent decides which comes first. The model (when there is one) may rank and explain
// these and suggest others, which are checked against the same data before they are shown.

const NO_ARGS: CopilotActionArgs = { invoiceId: null, subscriptionId: null, flow: null, retryAt: null };

export function makeAction(type: CopilotActionType, args: Partial<CopilotActionArgs>, title: string, reason: string, citations: string[], source: 'state' | 'model' = 'state'): CopilotAction {
  const write = COPILOT_WRITE_ACTIONS.includes(type);
  return {
    proposalId: null,
    type,
    args: { ...NO_ARGS, ...args },
    title,
    reason,
    source,
    requiresConfirmation: write,
    citations: citations.filter(Boolean),
    status: write ? 'proposed' : 'info',
  };
}

const FLOW_TITLES: Record<CopilotPortalFlow, string> = {
  home: 'Send a Customer Portal link',
  payment_method_update: 'Send a link to update the payment method',
  subscription_cancel: 'Send the cancellation flow link',
  subscription_update: 'Send a link to change the plan',
  subscription_pause: 'Send a link to pause the subscription',
  customer_update: 'Send a link to update billing details',
};

export function portalLinkAction(flow: CopilotPortalFlow, reason: string, citations: string[], args: Partial<CopilotActionArgs> = {}, source: 'state' | 'model' = 'state'): CopilotAction {
  return makeAction('send_portal_link', { ...args, flow }, FLOW_TITLES[flow], reason, citations, source);
}

/** The customer says the problem is fixed or asks for another try. */
function asksForRetry(message: string): boolean {
  return /\b(try|retry|charge|run)\b.{0,25}\b(again|now)\b|\btopped up\b|\badded (more )?(funds|money)\b|\b(should|will) (work|go through) now\b|\bfunds (are|were) (now )?(available|there)\b|\bplease (re)?try\b|\bcharge (my|the) card\b/.test(
    normaliseMessage(message),
  );
}

/** Payment-problem actions that follow from the data alone, whatever the message says. */
function paymentProblemActions(facts: CustomerFacts, message: string): CopilotAction[] {
  const out: CopilotAction[] = [];
  const failed = failedOpenInvoice(facts);
  const pm = defaultPaymentMethod(facts);
  if (failed) {
    const { invoice, attempt } = failed;
    const card = cardLabel(attempt.cardBrand, attempt.cardLast4);
    const what = `${money(invoice.amountRemaining, invoice.currency)} on ${invoiceLabel(invoice)}`;
    const cites = [invoice.id, attempt.id];
    switch (attempt.category) {
      case 'hard':
      case 'authentication':
        out.push(
          portalLinkAction(
            'payment_method_update',
            `The last payment of ${what} was declined (${attempt.explanation ?? 'hard decline'}) on ${card}. Stripe will not retry this card, so the customer needs to add a new payment method.`,
            cites,
            { invoiceId: invoice.id },
          ),
        );
        break;
      case 'expired_card':
        out.push(portalLinkAction('payment_method_update', `The payment of ${what} failed because ${card} has expired. A new card is needed.`, cites, { invoiceId: invoice.id }));
        break;
      default: {
        if (invoice.nextPaymentAttempt) {
          out.push(
            makeAction(
              'explain_invoice',
              { invoiceId: invoice.id, retryAt: invoice.nextPaymentAttempt },
              `Explain the automatic retry on ${formatDay(invoice.nextPaymentAttempt)}`,
              `The payment of ${what} was declined (${attempt.explanation ?? 'soft decline'}). Stripe retries automatically on ${formatDay(invoice.nextPaymentAttempt)} (${invoice.attemptCount} attempt${invoice.attemptCount === 1 ? '' : 's'} so far).`,
              cites,
            ),
          );
          if (asksForRetry(message)) {
            out.push(makeAction('retry_payment', { invoiceId: invoice.id }, `Retry ${invoiceLabel(invoice)} now`, `The customer says the card can be charged now; retrying before ${formatDay(invoice.nextPaymentAttempt)} settles ${what} sooner.`, cites));
          }
        } else {
          out.push(makeAction('retry_payment', { invoiceId: invoice.id }, `Retry ${invoiceLabel(invoice)} now`, `The payment of ${what} was declined (${attempt.explanation ?? 'soft decline'}) and no automatic retry is scheduled. A retry can succeed for this kind of decline.`, cites));
          out.push(portalLinkAction('payment_method_update', `If the retry fails again, the customer can pay with another card.`, cites, { invoiceId: invoice.id }));
        }
      }
    }
  }
  if (pm?.expired && !out.some((a) => a.args.flow === 'payment_method_update')) {
    const open = latestOpenInvoice(facts);
    out.push(
      portalLinkAction(
        'payment_method_update',
        `The default card ${cardLabel(pm.brand, pm.last4)} has expired${open ? `; ${money(open.amountRemaining, open.currency)} on ${invoiceLabel(open)} is still open` : ''}. The next payment will fail until the card is replaced.`,
        [pm.id, open?.id ?? ''],
        { invoiceId: open?.id ?? null },
      ),
    );
  }
  return out;
}

function intentActions(intent: CopilotIntent, facts: CustomerFacts, entities: CopilotEntities): CopilotAction[] {
  const sub = currentSubscription(facts);
  const subArgs = { subscriptionId: sub?.id ?? null };
  const subCite = sub ? [sub.id] : [];
  switch (intent) {
    case 'invoice_explanation': {
      const inv = relevantInvoice(facts, entities) ?? facts.invoices[0];
      if (!inv) return [makeAction('none', {}, 'No invoice to explain', 'This customer has no invoices in the cache.', [facts.customer.id])];
      return [makeAction('explain_invoice', { invoiceId: inv.id }, `Explain ${invoiceLabel(inv)}`, `${invoiceLabel(inv)[0]!.toUpperCase()}${invoiceLabel(inv).slice(1)}: ${money(inv.total, inv.currency)}, ${inv.status ?? 'unknown status'}, created ${formatDay(inv.created)}.`, [inv.id])];
    }
    case 'payment_failed':
      // The payment rules carry the answer; nothing failed on record means nothing to act on.
      return failedOpenInvoice(facts) || defaultPaymentMethod(facts)?.expired
        ? []
        : [makeAction('none', {}, 'No failed payment on record', 'No failed payment is recorded for this customer. Ask which charge failed and when.', [facts.customer.id])];
    case 'update_payment_method':
      return [portalLinkAction('payment_method_update', 'The customer asked to change how they pay; the portal lets them add a card and make it the default.', [defaultPaymentMethod(facts)?.id ?? facts.customer.id])];
    case 'cancel_subscription':
      if (!sub) return [makeAction('none', {}, 'No active subscription', 'This customer has no active subscription to cancel.', [facts.customer.id])];
      if (sub.cancelAtPeriodEnd) return [makeAction('none', subArgs, 'Already set to cancel', `${sub.planName} is already set to cancel on ${formatDay(sub.cancelAt ?? sub.currentPeriodEnd)}.`, subCite)];
      return [portalLinkAction('subscription_cancel', `The customer asked to cancel ${sub.planName}. The portal's cancellation flow confirms it with them (and can offer to pause instead).`, subCite, subArgs)];
    case 'pause_subscription':
      if (!sub) return [makeAction('none', {}, 'No active subscription', 'This customer has no active subscription to pause.', [facts.customer.id])];
      if (sub.paused) return [makeAction('none', subArgs, 'Already paused', `${sub.planName} is already paused.`, subCite)];
      return [makeAction('pause_subscription', subArgs, `Pause ${sub.planName}`, `The customer asked to pause ${sub.planName}; pausing stops collection (invoices are voided) until it is resumed.`, subCite)];
    case 'change_plan':
      if (!sub) return [makeAction('none', {}, 'No active subscription', 'This customer has no active subscription to change.', [facts.customer.id])];
      return [portalLinkAction('subscription_update', `The customer asked to change ${sub.planName}${entities.plan ? ` (to ${entities.plan})` : ''}; the portal shows the plans and the prorated price before they confirm.`, subCite, subArgs)];
    case 'refund_request': {
      const inv = relevantInvoice(facts, entities) ?? latestPaidInvoice(facts);
      if (!inv) return [makeAction('none', {}, 'No paid invoice to refund', 'No paid invoice is recorded for this customer.', [facts.customer.id])];
      return [makeAction('escalate_refund', { invoiceId: inv.id }, `Escalate a refund of ${invoiceLabel(inv)}`, `The customer asked for a refund of ${money(inv.amountPaid || inv.total, inv.currency)} (${invoiceLabel(inv)}, paid ${formatDay(inv.paidAt ?? inv.created)}). Refunds are decided by the billing team.`, [inv.id])];
    }
    case 'billing_details_update':
      return [portalLinkAction('customer_update', 'The customer asked to change billing details (address, tax id or billing email); the portal lets them edit these, and future invoices use them.', [facts.customer.id])];
    case 'other':
      return [];
  }
}

function sameAction(a: CopilotAction, b: CopilotAction): boolean {
  return a.type === b.type && a.args.flow === b.args.flow && (a.args.invoiceId === b.args.invoiceId || !a.args.invoiceId || !b.args.invoiceId) && (a.args.subscriptionId === b.args.subscriptionId || !a.args.subscriptionId || !b.args.subscriptionId);
}

export function dedupeActions(actions: CopilotAction[]): CopilotAction[] {
  const out: CopilotAction[] = [];
  for (const a of actions) if (!out.some((b) => sameAction(a, b))) out.push(a);
  return out;
}

const PAYMENT_FIRST: CopilotIntent[] = ['payment_failed', 'update_payment_method', 'invoice_explanation', 'other'];

/** The actions the data supports for this intent, most relevant first. */
export function actionsFromState(facts: CustomerFacts, intent: CopilotIntent, entities: CopilotEntities, message: string): CopilotAction[] {
  const payment = paymentProblemActions(facts, message);
  const forIntent = intentActions(intent, facts, entities);
  const ordered = PAYMENT_FIRST.includes(intent) ? [...payment, ...forIntent] : [...forIntent, ...payment];
  // A "none" placeholder only makes sense when nothing else applies.
  const real = ordered.filter((a) => a.type !== 'none');
  return dedupeActions(real.length ? real : ordered);
}
