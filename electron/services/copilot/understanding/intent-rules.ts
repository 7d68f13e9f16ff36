import type { CopilotIntent } from '../../../../shared/contract/copilot';
import { withoutOrdersToAssistant } from './orders-to-assistant';

// Intent without a model: weighted phrase patterns. Each pattern that matches adds its weight to
// its intent; the highest total wins and ties go to the intent listed first in PRIORITY (a more
// specific request beats a general question: "refund the charge" is a refund, not an explanation).
// Patterns are matched against a normalised message (lower case, curly quotes straightened).

interface Pattern {
  re: RegExp;
  weight: number;
}

const P = (re: RegExp, weight = 1): Pattern => ({ re, weight });

const PATTERNS: Record<Exclude<CopilotIntent, 'other'>, Pattern[]> = {
  refund_request: [
    P(/\brefund(s|ed|ing)?\b/, 3),
    P(/\bmoney back\b|\bmy money\b.*\bback\b/, 3),
    P(/\b(reimburse|chargeback|charge back|dispute)\w*/, 2),
    P(/\bcharged (me )?twice\b|\bdouble[- ]?charged?\b|\bduplicate (charge|payment)\b|\bcharged two times\b/, 3),
    P(/\b(credit|return) (it|the money|the charge)\b|\bcredit (it |that |this |the [^ ]+ )?back\b|\bpay (me )?back\b/, 3),
    P(/\bdidn'?t (authori[sz]e|agree|sign up)|\bnever (authori[sz]ed|signed up|used)\b/, 2),
    P(/\bwant (it|this) (back|reversed)\b|\breverse (the|this) charge\b/, 3),
  ],
  cancel_subscription: [
    P(/\bcancel+(ing|ed|ation)?\b/, 3),
    P(/\b(end|terminate|stop|close)\b.{0,30}\b(subscription|membership|account|plan|service)\b/, 3),
    P(/\bunsubscribe\b/, 3),
    P(/\b(don'?t|do not|no longer) (want|need) (the|this|my|your)? ?(service|subscription|plan|product|account)\b/, 2),
    P(/\bstop (charging|billing) me\b/, 2),
    P(/\bdelete my account\b/, 2),
    P(/\b(don'?t|do not|stop the|turn off( the)?) (auto[- ]?)?renew(al)?\b|\bnot (to )?renew\b/, 3),
  ],
  pause_subscription: [
    P(/\bpaus(e|ed|ing)\b/, 4),
    P(/\b(put|place)\b.{0,20}\bon hold\b|\bhold (my|the) (subscription|account|billing)\b/, 4),
    P(/\b(skip|freeze)\b.{0,25}\b(month|billing|subscription|payment|account)s?\b/, 3),
    P(/\btake a break\b|\btemporar(il)?y (stop|suspend)\b|\bsuspend\b/, 3),
    P(/\bresume (it |billing )?(later|in|next)\b/, 2),
  ],
  change_plan: [
    P(/\b(upgrade|downgrade|upgrading|downgrading)\b/, 4),
    P(/\b(switch|change|move|moving|go|going)\b.{0,25}\b(plan|tier|package|annual|yearly|monthly|pro|basic|starter|business|enterprise|premium|team)\b/, 3),
    P(/\b(annual|yearly) (billing|plan)\b|\bbill(ed)? (me )?(annually|yearly)\b/, 2),
    P(/\b(add|remove|more|fewer|extra|reduce|increase)\b.{0,15}\b(seats?|users?|licen[cs]es?|members?)\b/, 3),
    P(/\bcheaper plan\b|\bsmaller plan\b|\bbigger plan\b|\bhigher tier\b|\blower tier\b/, 3),
  ],
  update_payment_method: [
    P(/\b(update|change|replace|add|use|switch)\b.{0,30}\b(card|payment method|payment details|credit card|debit card|bank account|billing method)\b/, 4),
    P(/\bnew (card|credit card|debit card|bank account)\b/, 3),
    P(/\bcard (has )?(expired|expires|is expiring)|\bexpired card\b|\bexpiry date\b|\bexpiration date\b/, 3),
    P(/\bpay (with|by) (a )?(different|another|new)\b/, 3),
    P(/\b(lost|stolen) (my )?card\b|\bcard (was|got) (lost|stolen)\b/, 3),
  ],
  billing_details_update: [
    P(/\b(billing|company|postal|mailing|invoice) (address|name|email|details|information|info)\b/, 3),
    P(/\b(vat|tax|gst|abn|ein)( id| number)?\b/, 3),
    P(/\b(update|change|correct|fix)\b.{0,30}\b(address|company name|email address|billing email|business name)\b/, 3),
    P(/\b(send|sent|email|address)\b.{0,20}\binvoices? to\b|\binvoices? (should|to) go to\b/, 3),
    P(/\b(moved|relocated)\b.{0,20}\b(office|address|country)\b|\bnew address\b/, 3),
    P(/\b(po|purchase order) number\b/, 3),
  ],
  payment_failed: [
    P(/\b(declin(e|ed|ing)|fail(ed|ing|s|ure)?|rejected|bounced|not (going|go) through|didn'?t go through|won'?t go through|isn'?t going through)\b/, 3),
    P(/\bpayment (problem|issue|error)\b|\bcan'?t pay\b|\bunable to pay\b|\bcouldn'?t pay\b/, 3),
    P(/\binsufficient funds\b|\bpast due\b|\boverdue\b|\bdunning\b/, 2),
    P(/\b(try|retry|charge)\b.{0,20}\b(again|now)\b|\btopped up\b|\badded funds\b/, 2),
    P(/\b(bank|card) (says|said|blocked|won'?t)\b/, 2),
    P(/\b(pay|paying|payment|checkout|card)\b.{0,30}\berror\b|\berror\b.{0,30}\b(pay|paying|payment|card)\b/, 3),
    P(/\baccount (is )?(suspended|locked|restricted)\b.{0,40}\b(pay|payment|billing)/, 1),
  ],
  invoice_explanation: [
    P(/\bwhy (was|am|did|is|were|have)\b.{0,40}\b(charg|bill|invoic|pay|price|cost|amount)/, 4),
    P(/\bwhat (is|was|are|'s) (this|that|the)\b.{0,30}\b(charge|invoice|payment|fee|amount|line|item)s?\b/, 4),
    P(/\b(explain|understand|breakdown|break down|itemi[sz]ed?)\b/, 3),
    P(/\b(charged|billed) (me )?(more|extra|again|for)\b|\bhigher than (usual|expected|normal)\b|\bunexpected (charge|invoice|bill)\b/, 3),
    P(/\b(prorat|proration)\w*/, 3),
    P(/\b(copy of|download|find|where is|see|get|send me)\b.{0,20}\b(invoice|receipt)s?\b/, 3),
    P(/\b(invoice|charge|receipt|bill)\b/, 1),
    P(/\bhow much\b|\bwhen (will|is|was) (i|my)\b.{0,30}\b(charged|billed|renew|payment)/, 2),
  ],
};

// A second, looser layer: single words and short phrases that lean towards an intent. Each hit adds
// 1 (at most 3 per intent), so they decide between intents only when no phrase pattern fired, or
// tip a close call — they catch wording the phrase patterns do not ("could not collect", "hold off").
const LEXICON: Record<Exclude<CopilotIntent, 'other'>, RegExp[]> = {
  refund_request: [/\brefund/, /\breimburs/, /\bmoney back\b/, /\breturned?\b/, /\brevers(e|al)\b/, /\bchargeback\b/, /\bby mistake\b|\baccidental(ly)?\b|\bdidn'?t mean to\b/, /\bovercharg/, /\bwrongly (charged|billed)\b/, /\bgive (it|that|the money) back\b/],
  pause_subscription: [/\bpaus/, /\bhold\b/, /\bsuspend/, /\bfreez/, /\bbreak\b/, /\bskip\b/, /\bvacation\b|\bholiday\b|\bseasonal\b/, /\btemporar/, /\bfew (weeks|months)\b|\bfor (a|\d+|two|three) (weeks?|months?)\b|\b\d+ days\b/, /\bcome back\b|\bresume\b/],
  cancel_subscription: [/\bcancel/, /\bunsubscrib/, /\bterminat/, /\bclose (my|our|the) account\b/, /\bend (my|our|the) (plan|subscription|contract)\b/, /\bdone with\b/, /\bno longer (need|use|want)/, /\banother (vendor|provider|tool)\b|\bcompetitor\b/, /\bwon'?t be needing\b|\bnot (be )?needing\b/, /\bbilled again\b|\bcharged again\b/],
  change_plan: [/\bupgrad/, /\bdowngrad/, /\bplan\b/, /\btier\b/, /\bseats?\b|\blicen[cs]es?\b|\busers?\b/, /\bannual(ly)?\b|\byearly\b/, /\bbigger\b|\bsmaller\b|\bcheaper\b|\blarger\b/, /\bfeatures?\b|\bsso\b/, /\bmonthly instead\b|\binstead of (monthly|yearly|annual)\b/, /\bgrow(ing|n)?\b|\bdoubled\b/],
  update_payment_method: [/\bnew (card|amex|visa|mastercard)\b/, /\bcard\b.{0,30}\b(out of date|expired|no longer valid|invalid|replace|update|change)/, /\b(which|what) card\b/, /\bpayment (method|details|info)\b/, /\bbank account\b|\bdirect debit\b|\bsepa\b|\bach\b|\bpaypal\b/, /\bcard on file\b/, /\bput in the new\b|\bgive you the new\b/],
  billing_details_update: [/\baddress\b/, /\bvat\b|\btax (id|number|registration)\b|\bgst\b/, /\bcompany name\b|\blegal (entity|name)\b|\bname on (our|the|my) invoices?\b/, /\bbilling email\b|\bbilling contact\b/, /\bpo number\b|\bpurchase order\b/, /\b(old|wrong|incorrect)\b.{0,20}\b(address|name|details)\b/],
  payment_failed: [/\bdeclin/, /\bfail/, /\bunsuccessful\b/, /\bcould ?n[o']t (collect|charge|process)\b|\bunable to (collect|charge)\b/, /\bpayment required\b/, /\bpast due\b|\boverdue\b|\bunpaid\b|\boutstanding\b/, /\binsufficient\b/, /\bbounced?\b/, /\bdidn'?t go through\b|\bnot go(ing)? through\b/, /\bdeposited\b|\brun the charge\b/],
  invoice_explanation: [/\bcharged?\b|\btaken\b|\bbilled\b|\bdebited\b|\bentry\b/, /\binvoice\b|\breceipt\b|\bstatement\b/, /\bwent up\b|\bincreased?\b|\bhigher\b/, /\bhow come\b|\bwhat (was|is|does|am i)\b|\bwhy\b/, /\b(paying|pay) for\b/, /\bbreakdown\b|\bcovers?\b|\bconfusing\b/, /\bdon'?t recogni[sz]e\b|\bno idea\b/],
};

/** Tie-break order: specific requests before general questions. */
const PRIORITY: Array<Exclude<CopilotIntent, 'other'>> = [
  'refund_request',
  'pause_subscription',
  'cancel_subscription',
  'change_plan',
  'update_payment_method',
  'billing_details_update',
  'payment_failed',
  'invoice_explanation',
];

export function normaliseMessage(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface IntentScore {
  intent: CopilotIntent;
  /** 0–1: how far the winner is ahead of the runner-up; 0 when nothing matched. */
  confidence: number;
  scores: Partial<Record<CopilotIntent, number>>;
}

/** The intent of a customer's message from phrases alone (the no-model path, and a cross-check for the model). */
export function classifyIntent(message: string): IntentScore {
  const text = normaliseMessage(withoutOrdersToAssistant(message));
  const scores: Partial<Record<CopilotIntent, number>> = {};
  for (const intent of PRIORITY) {
    let total = 0;
    for (const p of PATTERNS[intent]) if (p.re.test(text)) total += p.weight;
    let lexical = 0;
    for (const re of LEXICON[intent]) if (re.test(text)) lexical++;
    total += Math.min(3, lexical);
    if (total > 0) scores[intent] = total;
  }
  // Negations that flip a cancellation into something else ("I don't want to cancel, just pause").
  if (scores.cancel_subscription && /\b(don'?t|do not|not) (want to )?cancel\b|\binstead of cancel/.test(text)) {
    scores.cancel_subscription = Math.max(0, scores.cancel_subscription - 3);
  }
  // "The bank cancelled my card" is about the card, not the subscription.
  if (scores.cancel_subscription && /\b(cancel+ed|blocked|closed|replaced) (my|the|our) (credit |debit )?card\b|\bcard (was|got|has been) (cancel+ed|blocked|closed)\b/.test(text)) {
    scores.cancel_subscription = Math.max(0, scores.cancel_subscription - 3);
    scores.update_payment_method = (scores.update_payment_method ?? 0) + 3;
  }
  // "Why did my payment fail" is about a failure, not an invoice explanation.
  if (scores.payment_failed && scores.invoice_explanation && /\b(declin|fail|bounced|didn'?t go through|rejected)/.test(text)) {
    scores.invoice_explanation = Math.max(0, scores.invoice_explanation - 4);
  }
  // An expired or replaced card mentioned with a failure is a request to update the card.
  if (scores.update_payment_method && scores.payment_failed && /\b(new card|update|replace|expired|different card|another card)\b/.test(text)) {
    scores.update_payment_method += 1;
  }
  let best: CopilotIntent = 'other';
  let bestScore = 0;
  let second = 0;
  for (const intent of PRIORITY) {
    const s = scores[intent] ?? 0;
    if (s > bestScore) {
      second = bestScore;
      best = intent;
      bestScore = s;
    } else if (s > second) {
      second = s;
    }
  }
  const confidence = bestScore === 0 ? 0 : Math.min(1, (bestScore - second + 1) / (bestScore + 1));
  return { intent: best, confidence, scores };
}
