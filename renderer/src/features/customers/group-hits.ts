import type { SearchHit } from '../../../../shared/contract/customers';

export type HitSegment = { kind: 'single'; hit: SearchHit } | { kind: 'shared-email'; email: string; count: number; hits: SearchHit[] };

/**
 * Keeps the service's ranking, but pulls customers that share one email next to each other under
 * one heading (at the place of the best-ranked of them): an agent who searched that address must
 * see at once that it belongs to several customers and choose the right one.
 */
export function groupHits(hits: readonly SearchHit[]): HitSegment[] {
  const segments: HitSegment[] = [];
  const placed = new Set<string>();
  for (const hit of hits) {
    if (placed.has(hit.id)) continue;
    const email = hit.email?.toLowerCase();
    if (!email || hit.sameEmailCount < 2) {
      placed.add(hit.id);
      segments.push({ kind: 'single', hit });
      continue;
    }
    const sharing = hits.filter((h) => !placed.has(h.id) && h.email?.toLowerCase() === email);
    for (const h of sharing) placed.add(h.id);
    segments.push({ kind: 'shared-email', email: hit.email!, count: hit.sameEmailCount, hits: sharing });
  }
  return segments;
}

/**
 * The heading of a shared-email group. It says when some of the customers sharing the email are not
 * among these results (a search by domain or name can reach only one of them), so "2 customers
 * share" never sits above a single row without a word about the other.
 */
export function sharedEmailHeading(segment: { email: string; count: number; hits: readonly unknown[] }): string {
  const all = `${segment.count} customers share ${segment.email}`;
  return segment.hits.length < segment.count ? `${all} · ${segment.hits.length} shown here: search the full email to see all` : all;
}
