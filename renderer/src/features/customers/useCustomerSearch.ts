import { useCallback, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/contract/customers';
import { api, errorMessage } from '../../api/client';

export interface SearchState {
  /** The query the shown results answer (lags `query` while a newer search is in flight). */
  answered: string;
  hits: SearchHit[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
}

const IDLE: SearchState = { answered: '', hits: [], status: 'idle', error: null };

/**
 * One search per keystroke against the local cache. Every request gets a sequence number and only
 * the newest one may update the results: typing "gra" then "grace" must never end on "gra"'s answer
 * because it happened to arrive last.
 */
export function useCustomerSearch(limit = 20) {
  const [state, setState] = useState<SearchState>(IDLE);
  const seq = useRef(0);

  const search = useCallback(
    (raw: string) => {
      const mine = ++seq.current;
      const query = raw.trim();
      if (!query) return setState(IDLE);
      setState((s) => ({ ...s, status: 'loading', error: null }));
      api.call('customers.search', { query: query.slice(0, 200), limit }).then(
        (hits) => {
          if (mine === seq.current) setState({ answered: raw, hits, status: 'ready', error: null });
        },
        (err) => {
          if (mine === seq.current) setState({ answered: raw, hits: [], status: 'error', error: errorMessage(err) });
        },
      );
    },
    [limit],
  );

  return { ...state, search };
}
