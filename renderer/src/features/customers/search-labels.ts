import type { SearchMatchKind } from '../../../../shared/contract/customers';

/** Short words for why a customer matched, shown as a badge on each search result. */
export const MATCH_LABELS: Record<SearchMatchKind, string> = {
  id: 'Exact id',
  email: 'Exact email',
  invoice_number: 'Invoice number',
  card: 'Card',
  phone: 'Phone',
  id_prefix: 'Id',
  name: 'Name',
  email_partial: 'Email',
  metadata: 'Metadata',
  similar: 'Similar spelling',
};

/** Exact matches get the accent badge: the agent can trust them without reading further. */
export function isExactMatch(kind: SearchMatchKind): boolean {
  return kind === 'id' || kind === 'email' || kind === 'invoice_number';
}
