import { Command } from 'cmdk';
import { format } from 'date-fns';
import type { SearchHit } from '../../../../shared/contract/customers';
import { isExactMatch, MATCH_LABELS } from './search-labels';

/** Kinds whose badge already says it all; the others show what matched (the card, the invoice…). */
const OBVIOUS = new Set<SearchHit['matchKind']>(['id', 'email', 'name']);

/**
 * One customer in the palette. Everything that tells two customers apart is on the row: name,
 * email, id, when the customer was created, subscriptions and card — customers sharing one email
 * differ in those.
 */
export function SearchResultItem({ hit, onOpen }: { hit: SearchHit; onOpen: (id: string) => void }) {
  const created = format(new Date(hit.created * 1000), 'd MMM yyyy');
  return (
    <Command.Item value={hit.id} onSelect={() => onOpen(hit.id)} className="search-hit" data-customer-id={hit.id}>
      <span className="search-hit-main">
        <span className="search-hit-name">{hit.name || <span className="muted">No name</span>}</span>
        {hit.email && <span className="search-hit-email">{hit.email}</span>}
        {hit.delinquent && <span className="badge danger">Delinquent</span>}
        <span className={isExactMatch(hit.matchKind) ? 'badge info search-hit-kind' : 'badge search-hit-kind'} title={hit.matched}>
          {MATCH_LABELS[hit.matchKind]}
        </span>
      </span>
      <span className="search-hit-meta muted">
        <code>{hit.id}</code>
        <span>created {created}</span>
        <span>{hit.subscriptionSummary ?? 'no subscription'}</span>
        {hit.cardLast4 && (
          <span>
            {hit.cardBrand ?? 'card'} •••• {hit.cardLast4}
          </span>
        )}
        {hit.phone && <span>{hit.phone}</span>}
        {!OBVIOUS.has(hit.matchKind) && <span className="search-hit-matched">matched {hit.matched}</span>}
      </span>
    </Command.Item>
  );
}
