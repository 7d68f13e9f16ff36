import { keepPreviousData } from '@tanstack/react-query';
import type { SearchHit } from '../../../../shared/contract/customers';
import { errorMessage } from '../../api/client';
import { queryClient, useCall } from '../../api/queries';

/** The longest query the search takes (the service's limit). */
export const MAX_QUERY = 200;

export interface SearchState {
  /** The query the shown results answer (lags the typed text while a newer search is in flight). */
  answered: string;
  hits: SearchHit[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** Asks again (after a failed search). */
  retry(): void;
}

/**
 * One search per keystroke against the local cache, through the query cache: each query text is
 * its own key, so typing "gra" then "grace" can never end on "gra"'s answer because it happened to
 * arrive last. While "grace" is on its way the hits of the last answered text stay on screen.
 */
export function useCustomerSearch(text: string, limit = 20): SearchState {
  const query = text.trim().slice(0, MAX_QUERY);
  const search = useCall('customers.search', { query, limit }, { enabled: query.length > 0, placeholderData: keepPreviousData });
  const retry = () => void search.refetch();
  if (!query) return { answered: '', hits: [], status: 'idle', error: null, retry };
  if (search.error) return { answered: query, hits: [], status: 'error', error: errorMessage(search.error), retry };
  // Shown from an earlier text: find which one, so "No customer matches …" names the right words.
  const shownKey = search.isPlaceholderData ? queryClient.getQueryCache().findAll({ queryKey: ['customers.search'] }).find((q) => q.state.data === search.data)?.queryKey : null;
  const answered = shownKey ? ((shownKey[1] as { query: string }).query ?? '') : search.data ? query : '';
  return { answered, hits: search.data ?? [], status: search.isFetching ? 'loading' : 'ready', error: null, retry };
}
