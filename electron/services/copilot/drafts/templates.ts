import type { CopilotAction, CopilotEntities, CopilotIntent, CopilotLength, CopilotTone, KbHit } from '../../../../shared/contract/copilot';
import { cardLabel, type CustomerFacts, type FactsInvoice } from '../context/customer-facts';
import { failedOpenInvoice, latestPaidInvoice, relevantInvoice, currentSubscription, defaultPaymentMethod } from '../actions/relevant';
import { formatDay, money } from '../format';

// Drafts without a model: templates filled with this customer's real data. Every fact carries its
// citation ([in_…], [sub_…], [kb:…]) exactly as a model-written draft would, so the panel renders
// both the same way. Tone changes the greeting, sign-off and phrasing; length decides how much
// context (next steps, policy from the knowledge base) follows the answer.

export interface TemplateInput {
  intent: CopilotIntent;
  entities: CopilotEntities;
  facts: CustomerFacts;
  actions: CopilotAction[];
  kb: KbHit[];
  tone: CopilotTone;
  length: CopilotLength;
}

/** Article most relevant to each intent, cited for policy. */
export const INTENT_ARTICLE: Record<CopilotIntent, string | null> = {
  invoice_explanation: 'kb:invoices',
  payment_failed: 'kb:retries',
  update_payment_method: 'kb:payment-methods',
  cancel_subscription: 'kb:cancellation',
  change_plan: 'kb:invoices',
  refund_request: 'kb:refunds',
  pause_subscription: 'kb:cancellation',
  billing_details_update: 'kb:taxes',
  other: null,
};

function firstName(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first && /^[\p{L}'-]{1,40}$/u.test(first) ? first : null;
}

function greeting(tone: CopilotTone, name: string | null): string {
  const first = firstName(name);
  if (tone === 'formal') return name ? `Dear ${name.trim().slice(0, 60)},` : 'Dear customer,';
  if (tone === 'neutral') return first ? `Hello ${first},` : 'Hello,';
  return first ? `Hi ${first},` : 'Hi there,';
}

function signOff(tone: CopilotTone): string {
  if (tone === 'formal') return 'Kind regards,\nThe Billing Support Team';
  if (tone === 'neutral') return 'Best regards,\nThe support team';
  return 'Thanks,\nThe support team';
}

/** The tone's way of saying a few stock phrases. */
function say(tone: CopilotTone, key: 'sorry' | 'link' | 'thanks' | 'questions'): string {
  const t = {
    sorry: { friendly: "I'm sorry about the trouble.", neutral: 'Sorry for the inconvenience.', formal: 'We apologise for the inconvenience.' },
    link: { friendly: "I'll send you a secure link", neutral: 'We will send you a secure link', formal: 'We will send you a secure link' },
    thanks: { friendly: 'Thanks for reaching out!', neutral: 'Thank you for your message.', formal: 'Thank you for contacting us.' },
    questions: { friendly: 'Just reply here if anything is unclear.', neutral: 'Let us know if you have any questions.', formal: 'Please do not hesitate to contact us with any further questions.' },
  } as const;
  return t[key][tone];
}

function kbSentence(kb: KbHit[], preferred: string | null): string | null {
  const hit = (preferred ? kb.find((h) => h.ref === preferred) : null) ?? kb[0];
  if (!hit) return null;
  const sentence = hit.snippet.replace(/\s…$/, '').split(/(?<=[.!?])\s+/).find((s) => s.length > 30 && s.length < 260);
  return sentence ? `${sentence} [${hit.ref}]` : null;
}

function invoiceWords(i: FactsInvoice): string {
  return i.number ? `invoice ${i.number}` : 'your invoice';
}

function invoiceDate(i: FactsInvoice): string {
  return formatDay(i.paidAt ?? i.created);
}

function lineSummary(i: FactsInvoice): string | null {
  const lines = i.lines.filter((l) => l.description).slice(0, 3);
  if (lines.length === 0) return null;
  return lines.map((l) => `${l.description} (${money(l.amount, l.currency || i.currency)})`).join('; ');
}

function explainInvoice(input: TemplateInput): string[] {
  const { facts, entities } = input;
  const matched = relevantInvoice(facts, entities);
  const asked = entities.amount != null || entities.invoiceNumber != null || entities.date != null;
  if (!matched && asked) {
    const what = [entities.amount != null ? `a charge of ${money(entities.amount, entities.currency ?? facts.customer.currency ?? 'usd')}` : 'that charge', entities.date ? `on ${formatDay(Date.parse(`${entities.date}T12:00:00Z`) / 1000)}` : null, entities.invoiceNumber ? `(invoice ${entities.invoiceNumber})` : null]
      .filter(Boolean)
      .join(' ');
    const latest = facts.invoices[0];
    return [
      `I looked for ${what} on your account and could not find it.${latest ? ` Your most recent invoice is ${invoiceWords(latest)} for ${money(latest.total, latest.currency)} from ${invoiceDate(latest)} [${latest.id}].` : ''}`,
      'Could you send me the invoice number from the receipt email, or the date and last four digits of the card that was charged? Then I can check it right away.',
    ];
  }
  const inv = matched ?? facts.invoices[0];
  if (!inv) return ['I could not find any invoices on your account yet. Could you send me the receipt or the date of the charge so I can look into it?'];
  const sub = inv.subscriptionId ? facts.subscriptions.find((s) => s.id === inv.subscriptionId) : null;
  const out = [
    `The charge of ${money(inv.amountPaid || inv.total, inv.currency)} on ${invoiceDate(inv)} is ${invoiceWords(inv)} [${inv.id}]${sub ? ` for your ${sub.planName} subscription [${sub.id}]` : ''}${inv.periodStart && inv.periodEnd && inv.periodEnd > inv.periodStart ? `, covering ${formatDay(inv.periodStart)} to ${formatDay(inv.periodEnd)}` : ''}.`,
  ];
  const lines = lineSummary(inv);
  if (input.length !== 'short' && lines) out.push(`It includes: ${lines}.`);
  if (inv.status === 'open' && inv.amountRemaining > 0) out.push(`${money(inv.amountRemaining, inv.currency)} of it is still open.`);
  if (input.length !== 'short' && (inv.billingReason === 'subscription_update' || inv.lines.some((l) => /unused|remaining|prorat/i.test(l.description ?? '')))) {
    out.push('Part of it is a prorated adjustment for a plan change during the billing period.');
  }
  return out;
}

function paymentFailed(input: TemplateInput): string[] {
  const { facts, tone } = input;
  const failed = failedOpenInvoice(facts);
  const pm = defaultPaymentMethod(facts);
  if (!failed) {
    if (pm?.expired) return [`Your card on file, ${cardLabel(pm.brand, pm.last4)} [${pm.id}], has expired, so the next payment would fail. ${say(tone, 'link')} where you can add your new card.`];
    const paid = latestPaidInvoice(facts);
    return [
      `I checked your account and I don't see a failed payment.${paid ? ` Your last payment of ${money(paid.amountPaid, paid.currency)} on ${invoiceDate(paid)} went through [${paid.id}].` : ''}`,
      'Could you tell me when you saw the error and which card you used? Then I can look into it.',
    ];
  }
  const { invoice, attempt } = failed;
  const card = cardLabel(attempt.cardBrand, attempt.cardLast4);
  const out = [`${say(tone, 'sorry')} The payment of ${money(invoice.amountRemaining, invoice.currency)} for ${invoiceWords(invoice)} [${invoice.id}] on ${formatDay(attempt.created)} was declined by the bank on your ${card} [${attempt.id}]: ${(attempt.explanation ?? 'the card was declined.').replace(/^The /, 'the ')}`];
  switch (attempt.category) {
    case 'hard':
      out.push(`The bank will not accept further charges on this card, so it needs to be replaced. ${say(tone, 'link')} where you can add a new card; the open invoice is then paid with it.`);
      break;
    case 'authentication':
      out.push(`Your bank needs you to approve this payment. ${say(tone, 'link')} where you can complete the verification.`);
      break;
    case 'expired_card':
      out.push(`The card has expired. ${say(tone, 'link')} where you can add your new card; the open invoice is then paid with it.`);
      break;
    default:
      if (invoice.nextPaymentAttempt) {
        out.push(`We will try again automatically on ${formatDay(invoice.nextPaymentAttempt)} [${invoice.id}], so you don't need to do anything if the card is fine by then.`);
        if (input.length !== 'short') out.push('If you would rather pay sooner, or use a different card, just let us know.');
      } else {
        out.push('Once the issue is resolved on your side, we can retry the payment; you can also add a different card through a secure link.');
      }
  }
  return out;
}

function body(input: TemplateInput): string[] {
  const { facts, entities, tone } = input;
  const sub = currentSubscription(facts);
  switch (input.intent) {
    case 'invoice_explanation':
      return explainInvoice(input);
    case 'payment_failed':
      return paymentFailed(input);
    case 'update_payment_method': {
      const failed = failedOpenInvoice(facts);
      const pm = defaultPaymentMethod(facts);
      return [
        `${say(tone, 'link')} where you can add your new card and make it the default${pm ? ` (it will replace ${cardLabel(pm.brand, pm.last4)} [${pm.id}])` : ''}. We never ask for card details by email or chat.`,
        ...(failed ? [`Once it is added, the open ${invoiceWords(failed.invoice)} for ${money(failed.invoice.amountRemaining, failed.invoice.currency)} [${failed.invoice.id}] will be charged to it.`] : []),
      ];
    }
    case 'cancel_subscription':
      if (!sub) return ["I checked your account and there is no active subscription, so you won't be charged again."];
      if (sub.cancelAtPeriodEnd) return [`Your ${sub.planName} subscription [${sub.id}] is already set to end on ${formatDay(sub.cancelAt ?? sub.currentPeriodEnd)}; you won't be charged again.`];
      return [
        `${say(tone, 'link')} to cancel your ${sub.planName} subscription [${sub.id}]. You keep access until the end of the current period${sub.currentPeriodEnd ? `, ${formatDay(sub.currentPeriodEnd)}` : ''}, and you won't be charged again.`,
        ...(input.length !== 'short' ? ['If you only need a break, or a smaller plan would suit you better, we can set that up instead.'] : []),
      ];
    case 'pause_subscription':
      if (!sub) return ['I checked your account and there is no active subscription to pause.'];
      if (sub.paused) return [`Your ${sub.planName} subscription [${sub.id}] is already paused.`];
      return [`We can pause your ${sub.planName} subscription [${sub.id}]: billing stops while it is paused, and your data and settings stay in place. I'll confirm as soon as it is done.`];
    case 'change_plan':
      if (!sub) return ['I checked your account and there is no active subscription to change. Would you like to start a new one?'];
      return [
        `${say(tone, 'link')} where you can switch your ${sub.planName} subscription [${sub.id}]${entities.plan ? ` to ${entities.plan}` : ' to another plan'}. It shows the new price, including any prorated amount for the rest of this period, before you confirm.`,
      ];
    case 'refund_request': {
      const inv = relevantInvoice(facts, entities) ?? latestPaidInvoice(facts);
      if (!inv) return ["I couldn't find a payment on your account to refund. Could you send me the receipt or the date of the charge?"];
      return [`I'm forwarding your refund request for ${invoiceWords(inv)} (${money(inv.amountPaid || inv.total, inv.currency)}, paid on ${invoiceDate(inv)}) [${inv.id}] to our billing team, who will get back to you within one business day.`];
    }
    case 'billing_details_update':
      return [`${say(tone, 'link')} where you can update your billing address, tax ID and billing email. The changes apply to your future invoices.`];
    case 'other':
      return [say(tone, 'thanks'), 'Could you tell me a little more about what you need help with, so I can look into your account?'];
  }
}

/** A payment problem worth mentioning even when the customer asked about something else. */
function stateAddendum(input: TemplateInput): string | null {
  if (input.intent === 'payment_failed' || input.intent === 'update_payment_method' || input.length === 'short') return null;
  const failed = failedOpenInvoice(input.facts);
  if (!failed) return null;
  return `Also, the latest payment of ${money(failed.invoice.amountRemaining, failed.invoice.currency)} for ${invoiceWords(failed.invoice)} [${failed.invoice.id}] was declined [${failed.attempt.id}]; we can help you sort that out too.`;
}

export function templateDraft(input: TemplateInput): string {
  const paragraphs = [greeting(input.tone, input.facts.customer.name), body(input).join(' ')];
  const addendum = stateAddendum(input);
  if (addendum) paragraphs.push(addendum);
  if (input.length === 'long') {
    const policy = kbSentence(input.kb, INTENT_ARTICLE[input.intent]);
    if (policy) paragraphs.push(policy);
  } else if (input.length === 'medium' && input.intent !== 'other') {
    const policy = kbSentence(input.kb, INTENT_ARTICLE[input.intent]);
    if (policy && ['refund_request', 'cancel_subscription', 'payment_failed', 'billing_details_update'].includes(input.intent)) paragraphs.push(policy);
  }
  if (input.length !== 'short') paragraphs.push(say(input.tone, 'questions'));
  paragraphs.push(signOff(input.tone));
  return paragraphs.join('\n\n');
}
