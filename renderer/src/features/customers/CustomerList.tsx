import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { errorMessage } from '../../api/client';
import { useCall, useCallPages } from '../../api/queries';
import { useShortcut, type KeyHandler } from '../../app/key-dispatch';
import { withKeys } from '../../app/keymap';
import { useApp } from '../../app/store';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { CustomerListRowView, type ListRow } from './CustomerListRow';
import { useCustomers } from './store';
import { usePasteCut } from './usePasteCut';
import './customers.css';

const ROW_HEIGHT = 34;
const PAGE = 200;
const SEARCH_LIMIT = 100;

/** Enter on a focused button or link belongs to it, not to the list's cursor. */
function isActivatable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'BUTTON' || el.tagName === 'A');
}

/**
 * Every customer in the cache, newest first, paged from the service as the agent scrolls (only the
 * rows in view are in the DOM). The filter box searches the same way as Ctrl/Cmd+K. J/K or arrows
 * move, Enter opens, "/" jumps to the filter.
 */
export function CustomerList() {
  const filter = useCustomers((s) => s.filter);
  const cursor = useCustomers((s) => s.cursor);
  const { setFilter, setCursor } = useCustomers.getState();
  const openCustomer = useApp((s) => s.openCustomer);
  const setPaletteOpen = useApp((s) => s.setPaletteOpen);
  const scrollRef = useRef<HTMLDivElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const pasteCut = usePasteCut(200);

  const list = useCallPages('customers.list', {}, PAGE);
  const query = filter.trim();
  // The hits of the last answered search stay on screen while a newer one is on its way.
  const search = useCall('customers.search', { query, limit: SEARCH_LIMIT }, { enabled: query.length > 0, placeholderData: keepPreviousData });
  const hits = query ? (search.error ? [] : search.data ?? null) : null;
  const filtering = hits !== null;
  const filterError = query && search.error ? `Could not search the customers: ${errorMessage(search.error)}` : null;
  const rows = list.rows;
  const total = list.total;
  const listStatus = list.isPending ? 'loading' : list.isError && !list.data ? 'error' : 'ready';
  const listError = list.error ? `Could not load ${list.data ? 'more ' : 'the '}customers: ${errorMessage(list.error)}` : null;
  const loadingMore = list.isFetchingNextPage;
  const shown: ListRow[] = hits ?? rows;
  const loadList = () => void list.refetch();
  const { hasNextPage, fetchNextPage, isFetching } = list;

  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (!filtering && last && last.index >= rows.length - 40 && hasNextPage && !isFetching) void fetchNextPage();
  }, [filtering, last, rows.length, hasNextPage, isFetching, fetchNextPage]);
  useEffect(() => {
    if (shown.length) virtualizer.scrollToIndex(Math.min(cursor, shown.length - 1), { align: 'auto' });
  }, [cursor, shown.length, virtualizer]);

  // Focus follows the cursor row while the keyboard is in the table (so Enter on the focused name
  // and Enter on the cursor are the same customer), and lands on it when the agent comes back
  // from a customer with nothing focused.
  const ready = listStatus === 'ready' && shown.length > 0;
  useEffect(() => {
    if (!ready) return;
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      const inTable = !!active && !!scrollRef.current?.contains(active);
      const nothingFocused = !active || active === document.body;
      if (!inTable && !(nothingFocused && useApp.getState().view === 'customers')) return;
      const button = scrollRef.current?.querySelector<HTMLButtonElement>(`tr[aria-rowindex="${cursor + 2}"] button`);
      if (button && button !== active) button.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [cursor, ready]);

  const move = (step: 1 | -1) => () => setCursor(Math.max(0, Math.min(shown.length - 1, useCustomers.getState().cursor + step)));
  const open: KeyHandler = (e) => {
    const row = shown[useCustomers.getState().cursor];
    if (!row || (e.target !== filterRef.current && isActivatable(e.target))) return false;
    openCustomer(row.id);
  };
  useShortcut('list.next', move(1));
  useShortcut('list.previous', move(-1));
  useShortcut('list.open', open);
  useShortcut('list.search', () => filterRef.current?.focus());
  useShortcut('filter.next', move(1), { root: filterRef });
  useShortcut('filter.previous', move(-1), { root: filterRef });
  useShortcut('filter.open', open, { root: filterRef });

  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (last?.end ?? 0);

  return (
    <div className="customer-list-page">
      <header className="page-header">
        <h1>Customers</h1>
        <span className="muted" data-testid="customer-count">
          {filterError ? '' : filtering ? `${shown.length}${shown.length === SEARCH_LIMIT ? '+' : ''} matching` : listStatus === 'ready' ? `${total.toLocaleString()} in the cache` : ''}
        </span>
        <span className="spacer" />
        <input
          ref={filterRef}
          type="search"
          className="customer-filter"
          value={filter}
          onChange={(e) => {
            pasteCut.onValue(e.target.value);
            setFilter(e.target.value);
          }}
          onPaste={pasteCut.onPaste}
          aria-describedby={pasteCut.message ? 'customer-filter-cut' : undefined}
          placeholder="Filter: name, email, id, invoice, last 4…  ( / )"
          title={withKeys('Filter customers', 'list.search')}
          aria-label="Filter customers"
          maxLength={200}
        />
        <button type="button" onClick={() => setPaletteOpen(true)} title={withKeys('Search customers', 'palette.toggle')}>
          Search <kbd>Ctrl K</kbd>
        </button>
      </header>
      {pasteCut.message && (
        <p className="inline-notice" id="customer-filter-cut" role="status">
          {pasteCut.message}
        </p>
      )}
      {listError && listStatus !== 'error' && (
        <p className="inline-error" role="alert">
          {listError}
        </p>
      )}
      {listStatus === 'loading' && <Loading label="Loading customers…" />}
      {listStatus === 'error' && <ErrorState message={listError ?? 'Could not load the customers.'} onRetry={() => void loadList()} />}
      {listStatus === 'ready' && shown.length === 0 && !filtering && (
        <EmptyState title="No customers in the cache yet." hint="Add a Stripe key in Settings to sync your account, or keep using the demo workspace." />
      )}
      {listStatus === 'ready' && filtering && filterError && <ErrorState message={`${filterError} The customer may well exist: try again.`} onRetry={() => void search.refetch()} />}
      {listStatus === 'ready' && shown.length === 0 && filtering && !filterError && (
        <EmptyState title={`No customer matches “${filter.trim()}”.`} hint="Try part of the name or email, a Stripe id, an invoice number or a card's last 4 digits." />
      )}
      {listStatus === 'ready' && shown.length > 0 && (
        <div className="customer-list-scroll" ref={scrollRef} data-testid="customer-list">
          <table className="dense customer-table" aria-label="Customers" aria-rowcount={(filtering ? shown.length : total) + 1}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Customer id</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 && (
                <tr aria-hidden="true" className="spacer-row">
                  <td colSpan={5} style={{ height: padTop }} />
                </tr>
              )}
              {items.map((item) => (
                <CustomerListRowView key={shown[item.index]!.id} row={shown[item.index]!} index={item.index} isCursor={item.index === cursor} onOpen={openCustomer} onHover={setCursor} />
              ))}
              {padBottom > 0 && (
                <tr aria-hidden="true" className="spacer-row">
                  <td colSpan={5} style={{ height: padBottom }} />
                </tr>
              )}
            </tbody>
          </table>
          {loadingMore && <Loading label="Loading more customers…" />}
        </div>
      )}
    </div>
  );
}
