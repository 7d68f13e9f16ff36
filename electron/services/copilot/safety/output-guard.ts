import type { UIMessageChunk } from 'ai';
import type { Redactor } from '../../core/redact';
import { guardLinks } from './own-links';

// What the model returns is checked before an agent sees it: key-shaped strings are masked, a
// Stripe id that is not one of this customer's objects is removed (a model can invent one, or be
// talked into repeating one), a citation of anything outside the catalog is dropped, and an email
// address or invoice number is kept only when it is the customer's own or appears in their message,
// and a link only when it is one of the customer's own Stripe-hosted pages (own-links.ts).

const STRIPE_ID = /\b(cus|in|sub|pm|ch|pi|py|ii|il|si|card|src|ba|seti|cs|bps|acct|price|prod|txn|re|dp|cn|inpay|evt|sk|rk|pk)_[A-Za-z0-9]{3,}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
/** Two to four capitalised words: where a person's name can be. */
const NAME_PHRASE = /\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,3}/gu;
/** Stripe invoice numbers: a prefix and a sequence ("ACME-0042", "4F3A2B1C-0003"). */
const INVOICE_NUMBER = /\b[A-Z0-9]{3,12}-\d{3,6}\b/g;

export interface GuardScope {
  /** Ids of this customer's objects (and proposal ids issued for them). */
  knownIds: Set<string>;
  /** `kb:slug` refs that exist. */
  kbRefs: Set<string>;
  /** Lower-cased emails that may appear: the customer's, and those in their own message. */
  allowedEmails: Set<string>;
  /** Upper-cased invoice numbers that may appear: this customer's, and those in their message. */
  allowedInvoiceNumbers: Set<string>;
  /** This customer's own Stripe-hosted invoice and portal URLs: the only links a draft keeps. */
  allowedLinks?: ReadonlySet<string>;
  /** True when a capitalised phrase ("Mallory Quinceworth") is the name of ANOTHER customer in the cache. */
  isOtherCustomerName?: (phrase: string) => boolean;
  redactor: Redactor;
}

export function invoiceNumbersIn(text: string): string[] {
  return [...text.toUpperCase().matchAll(INVOICE_NUMBER)].map((m) => m[0]);
}

export function emailsIn(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
}

export function guardText(text: string, scope: GuardScope): string {
  return guardLinks(scope.redactor.text(text), scope.allowedLinks ?? new Set(), (held) => guardWords(held, scope));
}

function guardWords(text: string, scope: GuardScope): string {
  let out = text;
  // Citations first, as a whole: "[in_bad]" disappears rather than becoming "[[unknown id]]".
  out = out.replace(/\s?\[([^\[\]\n]{2,200})\]/g, (whole, inner: string) => {
    const parts = inner.split(/[,;]\s*/).map((p) => p.trim());
    const looksLikeCitation = parts.every((p) => /^(kb:[a-z0-9-]+|[a-z]{2,7}_[A-Za-z0-9]+)$/.test(p));
    if (!looksLikeCitation) return whole;
    const kept = parts.filter((p) => (p.startsWith('kb:') ? scope.kbRefs.has(p) : scope.knownIds.has(p)));
    if (kept.length === 0) return '';
    return `${whole.startsWith(' ') ? ' ' : ''}[${kept.join(', ')}]`;
  });
  out = out.replace(STRIPE_ID, (id) => (scope.knownIds.has(id) ? id : '[unknown id]'));
  out = out.replace(EMAIL, (email) => (scope.allowedEmails.has(email.toLowerCase()) ? email : '[email removed]'));
  out = out.replace(INVOICE_NUMBER, (n) => (scope.allowedInvoiceNumbers.has(n.toUpperCase()) ? n : '[unknown invoice]'));
  if (scope.isOtherCustomerName) {
    const check = scope.isOtherCustomerName;
    out = out.replace(NAME_PHRASE, (phrase) => {
      const words = phrase.split(/\s+/);
      // The longest run of words that is another customer's name is removed ("Dear Mallory Quinceworth").
      for (let len = words.length; len >= 2; len--) {
        for (let start = 0; start + len <= words.length; start++) {
          if (check(words.slice(start, start + len).join(' '))) return [...words.slice(0, start), '[another customer]', ...words.slice(start + len)].join(' ');
        }
      }
      return phrase;
    });
  }
  return out;
}

function guardValue(value: unknown, scope: GuardScope): unknown {
  if (typeof value === 'string') return guardText(value, scope);
  if (Array.isArray(value)) return value.map((v) => guardValue(v, scope));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, guardValue(v, scope)]));
  return value;
}

/** Where a streamed text can be cut safely: after the last whitespace, and before an unclosed "[". */
function safeCut(buffer: string): number {
  let cut = Math.max(buffer.lastIndexOf(' '), buffer.lastIndexOf('\n'));
  const open = buffer.lastIndexOf('[');
  if (open > buffer.lastIndexOf(']') && buffer.length - open < 200) cut = Math.min(cut, open - 1);
  // A trailing run of capitalised words may be the start of a name: wait for the word after it.
  const head = buffer.slice(0, cut + 1);
  const run = /(?:\p{Lu}[\p{L}'’-]*[ \t]+){1,3}$/u.exec(head);
  if (run && run[0].length < 80) cut = run.index - 1;
  return cut + 1;
}

/**
 * Applies the guard to a UI message stream. Text deltas are held back to the last word boundary
 * (an id or an email never contains a space), so the agent still sees the draft word by word.
 */
export function guardUIMessageStream(scope: GuardScope): TransformStream<UIMessageChunk, UIMessageChunk> {
  const pending = new Map<string, string>();
  return new TransformStream<UIMessageChunk, UIMessageChunk>({
    transform(chunk, controller) {
      switch (chunk.type) {
        case 'text-delta': {
          const buffer = (pending.get(chunk.id) ?? '') + chunk.delta;
          const cut = safeCut(buffer);
          pending.set(chunk.id, buffer.slice(cut));
          if (cut > 0) controller.enqueue({ ...chunk, delta: guardText(buffer.slice(0, cut), scope) });
          return;
        }
        case 'text-end': {
          const rest = pending.get(chunk.id);
          pending.delete(chunk.id);
          if (rest) controller.enqueue({ type: 'text-delta', id: chunk.id, delta: guardText(rest, scope) });
          controller.enqueue(chunk);
          return;
        }
        case 'tool-input-available':
          controller.enqueue({ ...chunk, input: guardValue(chunk.input, scope) });
          return;
        case 'tool-input-delta':
          // Raw argument text is not needed by the panel (the parsed input follows); it is not forwarded.
          return;
        case 'reasoning-delta':
          controller.enqueue({ ...chunk, delta: guardText(chunk.delta, scope) });
          return;
        default:
          controller.enqueue(chunk);
      }
    },
    flush(controller) {
      for (const [id, rest] of pending) if (rest) controller.enqueue({ type: 'text-delta', id, delta: guardText(rest, scope) });
      pending.clear();
    },
  });
}
