import type Database from 'better-sqlite3';
import { editDistance, foldText, wordTokens } from './normalize';
import { prepared } from '../db/statements';

// Typo and accent tolerance, SymSpell style. Every word of a customer's name and email is stored
// under its folded form (distance 0: "σωκρατησ" -> "σωκράτης") and under each single-character
// deletion of that form (distance 1). A query word looks up its own folded form and deletions:
// one indexed IN probe finds every known word within one edit (substitution, insertion, deletion
// or adjacent transposition all meet on a shared deletion).
//
// The table is fed by the search-queue drain (index-queue.ts), which tokenizes in JS, off the
// sync's write path.

const MIN_TERM = 2;
const MAX_TERM = 32;
/** Shorter words get no deletion variants: "ann" -> "an" would match half the vocabulary. */
const MIN_TYPO_TERM = 4;

export function spellingVariants(term: string): Array<{ variant: string; distance: 0 | 1 }> {
  const folded = foldText(term);
  const chars = Array.from(folded);
  if (chars.length < MIN_TERM || chars.length > MAX_TERM) return [];
  const out = new Map<string, 0 | 1>([[folded, 0]]);
  if (chars.length >= MIN_TYPO_TERM) {
    for (let i = 0; i < chars.length; i++) {
      const v = chars.slice(0, i).join('') + chars.slice(i + 1).join('');
      if (!out.has(v)) out.set(v, 1);
    }
  }
  return [...out].map(([variant, distance]) => ({ variant, distance }));
}

/** Words worth correcting: letters only (numbers and random email digits would flood the table). */
export function spellingTerms(text: string | null): string[] {
  if (!text) return [];
  return wordTokens(text).filter((t) => !/\d/.test(t));
}

/** Adds the words of these customers' names and emails (called by the search-queue drain). */
export function addSpellingTerms(db: Database.Database, rows: ReadonlyArray<{ name: string | null; email: string | null }>): void {
  const insert = prepared(db, 'INSERT OR IGNORE INTO search_spelling (variant, term, distance) VALUES (?, ?, ?)');
  // Most words are already known (names repeat): one probe of the distance-0 row skips them.
  const known = prepared(db, 'SELECT 1 FROM search_spelling WHERE variant = ? AND term = ?');
  const seen = new Set<string>();
  for (const row of rows) {
    for (const term of [...spellingTerms(row.name), ...spellingTerms(row.email)]) {
      if (seen.has(term)) continue;
      seen.add(term);
      const variants = spellingVariants(term);
      if (variants.length === 0 || known.get(variants[0]!.variant, term)) continue;
      for (const v of variants) insert.run(v.variant, term, v.distance);
    }
  }
}

export interface SpellingCandidate {
  term: string;
  distance: number;
}

/**
 * Known words within one edit of `word` (two for long words), closest first. Words equal to
 * `word` itself are left out: the direct query already finds them.
 */
export function spellingCandidates(db: Database.Database, word: string, max = 6): SpellingCandidate[] {
  const variants = spellingVariants(word);
  if (variants.length === 0) return [];
  const folded = variants[0]!.variant;
  const placeholders = variants.map(() => '?').join(', ');
  const rows = db
    .prepare(`SELECT DISTINCT term FROM search_spelling WHERE variant IN (${placeholders})`)
    .all(...variants.map((v) => v.variant)) as Array<{ term: string }>;
  const limit = Array.from(folded).length >= 8 ? 2 : 1;
  const out: SpellingCandidate[] = [];
  for (const { term } of rows) {
    if (term === word) continue;
    const d = editDistance(foldText(term), folded, limit);
    if (d <= limit) out.push({ term, distance: d });
  }
  out.sort((a, b) => a.distance - b.distance || Math.abs(a.term.length - word.length) - Math.abs(b.term.length - word.length) || a.term.localeCompare(b.term));
  return out.slice(0, max);
}

/**
 * Known words starting with the folded `prefix`: accent-insensitive prefix search for scripts
 * unicode61 does not fold (Greek "σωκρ" -> "σωκράτης").
 */
export function foldedPrefixTerms(db: Database.Database, prefix: string, max = 8): string[] {
  const folded = foldText(prefix);
  if (Array.from(folded).length < 2) return [];
  const rows = db
    .prepare(`SELECT term FROM search_spelling WHERE variant >= ? AND variant < ? AND distance = 0 LIMIT ?`)
    .all(folded, folded + '\u{10FFFF}', max) as Array<{ term: string }>;
  return rows.map((r) => r.term);
}
