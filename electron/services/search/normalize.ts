// Text normalization shared by the search index (spelling table) and the query side.
// The FTS5 table tokenizes with unicode61 (remove_diacritics 2): it folds case for every script and
// strips Latin diacritics, but keeps Greek tonos, Cyrillic ё and letters that do not decompose
// (æ, ø, ł, ß). `foldText` goes further so that "Sokratis"-style unaccented typing and
// "aeroskobing" still find their customers through the spelling table.

const NON_DECOMPOSING: Record<string, string> = {
  æ: 'ae',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ß: 'ss',
  œ: 'oe',
  þ: 'th',
  ð: 'd',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ς: 'σ',
};
const NON_DECOMPOSING_RE = new RegExp(`[${Object.keys(NON_DECOMPOSING).join('')}]`, 'g');

/** Lower case, no diacritics in any script, a few ligatures spelled out. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(NON_DECOMPOSING_RE, (c) => NON_DECOMPOSING[c] ?? c);
}

const TOKEN_RE = /[\p{L}\p{N}\p{M}]+/gu;

/** Word tokens as unicode61 sees them (letters, digits; everything else separates), lower-cased. */
export function wordTokens(text: string): string[] {
  return (text.toLowerCase().match(TOKEN_RE) ?? []).map((t) => t.normalize('NFC'));
}

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

/** Han, kana or Hangul: scripts written without spaces, searched by substring instead of by word. */
export function hasCjk(text: string): boolean {
  return CJK_RE.test(text);
}

/** The digits of a phone number before any extension ("x123", "ext. 4", "#5", pauses). */
export function phoneDigits(text: string): string {
  const cut = text.search(/[xXeE#;,]/);
  return (cut >= 0 ? text.slice(0, cut) : text).replace(/\D+/g, '');
}

/** A query a person types when looking up a phone number: digits and phone punctuation only. */
export function looksLikePhone(query: string): boolean {
  return /^\+?[\d\s().\-/]+$/.test(query) && phoneDigits(query).length >= 7;
}

export function looksLikeEmail(query: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(query);
}

/** A pasted Stripe id: a known prefix, an underscore, letters and digits. */
export const STRIPE_ID_RE = /^(cus|sub|in|pi|ch|pm|inpay|si)_[A-Za-z0-9]+$/;

export type StripeIdKind = 'cus' | 'sub' | 'in' | 'pi' | 'ch' | 'pm' | 'inpay' | 'si';

export function stripeIdKind(query: string): StripeIdKind | null {
  const m = STRIPE_ID_RE.exec(query);
  return m ? (m[1] as StripeIdKind) : null;
}

/**
 * Invoice numbers look like "A1B2C3D4-0012" (a per-account prefix, a dash, a sequence). Accept a
 * single token with a digit and at least four characters; the lookup itself is an index probe.
 */
export function looksLikeInvoiceNumber(query: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{3,39}$/.test(query) && /\d/.test(query) && !STRIPE_ID_RE.test(query);
}

/** Damerau-Levenshtein (optimal string alignment) distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}
