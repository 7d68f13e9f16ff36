import type { CopilotEntities } from '../../../../shared/contract/copilot';
import { minorUnitExponent } from '../../../../shared/domain/money';

// Entities from a customer's message without a model: an amount with its currency (as integer
// minor units), a date (YYYY-MM-DD, relative words resolved against `now`), an invoice number and
// a plan name. Ambiguous input yields null rather than a guess the agent might repeat.

export interface EntityHints {
  /** Unix ms the message is read at ("yesterday" is relative to it). */
  now: number;
  /** The customer's currency: "$" means it when it is a dollar currency. */
  customerCurrency?: string | null;
  /** Plan and product names this customer has, matched first. */
  planNames?: string[];
  /** Invoice numbers this customer has, matched exactly (case-insensitive). */
  invoiceNumbers?: string[];
}

const SYMBOLS: Array<{ re: string; currency: string | 'dollar' }> = [
  { re: 'US\\$', currency: 'usd' },
  { re: 'CA\\$|C\\$', currency: 'cad' },
  { re: 'AU\\$|A\\$', currency: 'aud' },
  { re: 'NZ\\$', currency: 'nzd' },
  { re: '\\$', currency: 'dollar' },
  { re: '€', currency: 'eur' },
  { re: '£', currency: 'gbp' },
  { re: '¥|￥', currency: 'jpy' },
  { re: '₹', currency: 'inr' },
  { re: '₩', currency: 'krw' },
];

const WORD_CURRENCIES: Record<string, string> = {
  dollar: 'dollar', dollars: 'dollar', bucks: 'dollar', euro: 'eur', euros: 'eur', pound: 'gbp', pounds: 'gbp', quid: 'gbp', yen: 'jpy', rupees: 'inr', francs: 'chf',
};

const ISO_CODES = ['usd', 'eur', 'gbp', 'cad', 'aud', 'nzd', 'jpy', 'chf', 'sek', 'nok', 'dkk', 'pln', 'inr', 'brl', 'mxn', 'sgd', 'hkd', 'krw', 'kwd', 'bhd', 'jod', 'omr', 'tnd', 'zar', 'czk', 'huf'];
const DOLLAR_CURRENCIES = new Set(['usd', 'cad', 'aud', 'nzd', 'sgd', 'hkd']);

/** "1,234.50" / "1.234,50" / "49,99" / "50" → a decimal number, or null when it is not an amount. */
function parseNumber(raw: string): number | null {
  let s = raw.trim();
  if (!/\d/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma > lastDot) {
    // Comma as the decimal separator when two digits follow it ("49,99"), else a thousands separator.
    s = /,\d{1,2}$/.test(s) ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else {
    s = s.replace(/,/g, '');
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function toMinor(value: number, currency: string): number {
  return Math.round(value * 10 ** minorUnitExponent(currency));
}

function resolveDollar(currency: string, hints: EntityHints): string {
  if (currency !== 'dollar') return currency;
  const c = hints.customerCurrency?.toLowerCase();
  return c && DOLLAR_CURRENCIES.has(c) ? c : 'usd';
}

export function extractAmount(message: string, hints: EntityHints): { amount: number | null; currency: string | null } {
  const num = '(\\d{1,3}(?:[.,\\s]\\d{3})*(?:[.,]\\d{1,3})?|\\d+(?:[.,]\\d{1,3})?)';
  for (const sym of SYMBOLS) {
    const before = new RegExp(`(?:${sym.re})\\s?${num}`, 'i').exec(message);
    const after = new RegExp(`${num}\\s?(?:${sym.re})`, 'i').exec(message);
    const m = before ?? after;
    if (m) {
      const value = parseNumber(m[1]!.replace(/\s/g, ''));
      if (value == null) continue;
      const currency = resolveDollar(sym.currency, hints);
      return { amount: toMinor(value, currency), currency };
    }
  }
  const codes = ISO_CODES.join('|');
  const code = new RegExp(`\\b(${codes})\\s?${num}\\b|${num}\\s?(${codes})\\b`, 'i').exec(message);
  if (code) {
    const currency = (code[1] ?? code[4])!.toLowerCase();
    const value = parseNumber((code[2] ?? code[3])!);
    if (value != null) return { amount: toMinor(value, currency), currency };
  }
  const words = new RegExp(`${num}\\s?(${Object.keys(WORD_CURRENCIES).join('|')})\\b`, 'i').exec(message);
  if (words) {
    const currency = resolveDollar(WORD_CURRENCIES[words[2]!.toLowerCase()]!, hints);
    const value = parseNumber(words[1]!);
    if (value != null) return { amount: toMinor(value, currency), currency };
  }
  return { amount: null, currency: null };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function iso(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m, d));
  if (date.getUTCMonth() !== m || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function monthIndex(word: string): number {
  return MONTHS.findIndex((m) => m.startsWith(word.toLowerCase().slice(0, 3)));
}

/** A date named without a year is the most recent one not in the future (customers ask about past charges). */
function withYear(month: number, day: number, now: Date): string | null {
  const y = now.getUTCFullYear();
  const candidate = iso(y, month, day);
  if (candidate && candidate <= now.toISOString().slice(0, 10)) return candidate;
  return iso(y - 1, month, day);
}

export function extractDate(message: string, now: number): string | null {
  const text = message.toLowerCase();
  const today = new Date(now);
  const dayMs = 86_400_000;
  const isoMatch = /\b(20\d{2})-(\d{2})-(\d{2})\b/.exec(text);
  if (isoMatch) return iso(Number(isoMatch[1]), Number(isoMatch[2]) - 1, Number(isoMatch[3]));
  if (/\bday before yesterday\b/.test(text)) return new Date(now - 2 * dayMs).toISOString().slice(0, 10);
  if (/\byesterday\b/.test(text)) return new Date(now - dayMs).toISOString().slice(0, 10);
  if (/\btoday\b|\bthis morning\b|\btonight\b/.test(text)) return today.toISOString().slice(0, 10);
  const dm = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? ${MONTH_RE}\\.?(?:,? (20\\d{2}))?\\b`).exec(text);
  if (dm) {
    const m = monthIndex(dm[2]!);
    return dm[3] ? iso(Number(dm[3]), m, Number(dm[1])) : withYear(m, Number(dm[1]), today);
  }
  const md = new RegExp(`\\b${MONTH_RE}\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (20\\d{2}))?\\b`).exec(text);
  if (md) {
    const m = monthIndex(md[1]!);
    return md[3] ? iso(Number(md[3]), m, Number(md[2])) : withYear(m, Number(md[2]), today);
  }
  const slash = /\b(\d{1,2})\/(\d{1,2})\/(20\d{2})\b/.exec(text);
  if (slash) {
    // Month first unless the first number cannot be a month (13/02/2025 is 13 February).
    const a = Number(slash[1]);
    const b = Number(slash[2]);
    return a > 12 ? iso(Number(slash[3]), b - 1, a) : iso(Number(slash[3]), a - 1, b);
  }
  const weekday = new RegExp(`\\b(?:on|last) (${WEEKDAYS.join('|')})\\b`).exec(text);
  if (weekday) {
    const target = WEEKDAYS.indexOf(weekday[1]!);
    let back = (today.getUTCDay() - target + 7) % 7;
    if (back === 0) back = 7;
    return new Date(now - back * dayMs).toISOString().slice(0, 10);
  }
  return null;
}

export function extractInvoiceNumber(message: string, known: string[] = []): string | null {
  for (const n of known) {
    if (n && new RegExp(`(^|[^A-Za-z0-9])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`, 'i').test(message)) return n;
  }
  // Stripe numbers are a prefix and a sequence: "4F3A2B1C-0003", "ACME-1042". Dates never match (two-digit tail).
  const stripeShaped = /\b([A-Z0-9]{4,12}-\d{3,6})\b/i.exec(message);
  if (stripeShaped) return stripeShaped[1]!.toUpperCase();
  const labelled = /\b(?:invoice|receipt|bill)\s*(?:no\.?|number|num|#)?\s*#?\s*([A-Z0-9][A-Z0-9-]{2,30}\d)\b/i.exec(message);
  if (labelled && /\d/.test(labelled[1]!)) return labelled[1]!.toUpperCase();
  const hash = /#\s?(\d{3,12})\b/.exec(message);
  if (hash) return hash[1]!;
  const id = /\b(in_[A-Za-z0-9]{6,})\b/.exec(message);
  if (id) return id[1]!;
  return null;
}

const GENERIC_PLANS = ['enterprise', 'business', 'premium', 'professional', 'pro', 'plus', 'team', 'starter', 'basic', 'growth', 'scale', 'free', 'standard', 'essentials', 'annual', 'yearly', 'monthly'];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function extractPlan(message: string, planNames: string[] = []): string | null {
  const text = message.toLowerCase();
  const names = [...new Set([...planNames.map((n) => n.toLowerCase()), ...GENERIC_PLANS])].filter(Boolean).sort((a, b) => b.length - a.length);
  // The plan a change goes TO is the one that matters: "from Business to the Enterprise tier".
  const target = new RegExp(`\\b(?:to|onto) (?:the |our |a |an )?(${names.map(escapeRe).join('|')})\\b`).exec(text);
  if (target && !['annual', 'yearly', 'monthly'].includes(target[1]!) ) return planNames.find((n) => n.toLowerCase() === target[1]) ?? target[1]!;
  for (const name of [...planNames].sort((a, b) => b.length - a.length)) {
    if (name && new RegExp(`\\b${escapeRe(name.toLowerCase())}\\b`).test(text)) return name;
  }
  const named = new RegExp(`\\b(${GENERIC_PLANS.join('|')})\\b(?: (?:plan|tier|package|subscription|edition|billing))`).exec(text);
  if (named) return named[1]!;
  const toPlan = new RegExp(`\\b(?:to|onto|on|the) (?:the )?(${GENERIC_PLANS.filter((p) => !['annual', 'yearly', 'monthly'].includes(p)).join('|')})\\b`).exec(text);
  if (toPlan) return toPlan[1]!;
  return null;
}

export function extractEntities(message: string, hints: EntityHints): CopilotEntities {
  const { amount, currency } = extractAmount(message, hints);
  return {
    amount,
    currency,
    date: extractDate(message, hints.now),
    invoiceNumber: extractInvoiceNumber(message, hints.invoiceNumbers),
    plan: extractPlan(message, hints.planNames),
  };
}
