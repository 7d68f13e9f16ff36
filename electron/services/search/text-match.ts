import type { SearchMatchKind } from '../../../shared/contract/customers';
import { foldText, phoneDigits, wordTokens } from './normalize';

// Explains and scores a text hit the FTS index returned: which field matched (shown to the agent
// as "matched: …") and how well. FTS5 finds candidates; this decides their order, so "John"
// typed alone puts customers named John before Johnsons and before emails that merely contain it.

export interface CandidateRow {
  rowid: number;
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  description: string | null;
  metadata_json: string;
  created: number;
}

export interface TextMatch {
  kind: SearchMatchKind;
  matched: string;
  score: number;
}

/** 3 = the word itself, 2 = a word starting with it, 0 = absent. */
function tokenScore(queryToken: string, fieldTokens: readonly string[]): number {
  let best = 0;
  for (const t of fieldTokens) {
    if (t === queryToken) return 3;
    if (t.startsWith(queryToken)) best = 2;
  }
  return best;
}

function metadataHit(row: CandidateRow, queryTokens: readonly string[]): string | null {
  let meta: Record<string, unknown> = {};
  try {
    meta = JSON.parse(row.metadata_json) as Record<string, unknown>;
  } catch {
    meta = {};
  }
  for (const [key, value] of Object.entries(meta)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const tokens = wordTokens(String(value)).map(foldText);
    if (queryTokens.every((q) => tokenScore(q, tokens) > 0)) return `metadata ${key}: ${String(value).slice(0, 60)}`;
  }
  if (row.description) {
    const tokens = wordTokens(row.description).map(foldText);
    if (queryTokens.every((q) => tokenScore(q, tokens) > 0)) return 'description';
  }
  return null;
}

/**
 * `queryTokens` are folded word tokens of the query. `fullQuery` is the folded query text (used
 * to reward an exact full-name match).
 */
export function scoreTextMatch(row: CandidateRow, queryTokens: readonly string[], fullQuery: string): TextMatch {
  const nameTokens = wordTokens(row.name ?? '').map(foldText);
  const emailTokens = wordTokens(row.email ?? '').map(foldText);
  const nameScores = queryTokens.map((q) => tokenScore(q, nameTokens));
  const emailScores = queryTokens.map((q) => tokenScore(q, emailTokens));
  const inName = nameScores.every((s) => s > 0);
  const inEmail = emailScores.every((s) => s > 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  if (inName) {
    let score = 100 + sum(nameScores) * 5;
    if (foldText(wordTokens(row.name ?? '').join(' ')) === fullQuery) score += 50;
    // The first word typed usually starts the name ("joh" -> John Smith before Ann Johnson).
    if (nameTokens[0]?.startsWith(queryTokens[0]!)) score += 4;
    return { kind: 'name', matched: 'name', score };
  }
  if (inEmail) {
    const local = foldText((row.email ?? '').split('@')[0] ?? '');
    let score = 60 + sum(emailScores) * 3;
    if (local.startsWith(queryTokens.join(''))) score += 10;
    return { kind: 'email_partial', matched: 'email', score };
  }
  if (queryTokens.every((q, i) => nameScores[i]! > 0 || emailScores[i]! > 0)) {
    return { kind: 'name', matched: 'name and email', score: 50 + sum(nameScores) + sum(emailScores) };
  }
  const digits = phoneDigits(row.phone ?? '');
  if (digits && queryTokens.every((q) => /^\d+$/.test(q) && digits.includes(q))) {
    return { kind: 'phone', matched: `phone ${row.phone}`, score: 30 };
  }
  const meta = metadataHit(row, queryTokens);
  if (meta) return { kind: 'metadata', matched: meta, score: 20 };
  // FTS matched across fields in a way none of the above describes (e.g. a word in the name and
  // another in the metadata): still a hit, ranked last among text matches.
  return { kind: 'metadata', matched: 'several fields', score: 10 };
}
