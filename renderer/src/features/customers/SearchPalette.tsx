import { Command } from 'cmdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../../app/store';
import { groupHits, sharedEmailHeading } from './group-hits';
import { SearchResultItem } from './SearchResultItem';
import { MAX_QUERY, useCustomerSearch } from './useCustomerSearch';
import { usePasteCut } from './usePasteCut';
import './customers.css';
import { useShortcut } from '../../app/key-dispatch';
import { Modal } from '../../ui/Modal';

/**
 * Ctrl/Cmd+K from anywhere: one box for name, email, phone, Stripe ids, invoice number, card last4
 * and metadata. Results come from the local cache on every keystroke, best match first (the
 * service ranks: an exact id or email comes first). Arrows move, Enter opens, Esc closes.
 */
export function SearchPalette() {
  const open = useApp((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

function PaletteDialog() {
  const setPaletteOpen = useApp((s) => s.setPaletteOpen);
  const openCustomer = useApp((s) => s.openCustomer);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState('');
  const pasteCut = usePasteCut(MAX_QUERY);
  const { answered, hits, status, error, retry } = useCustomerSearch(query, 20);
  const paletteRef = useRef<HTMLDivElement>(null);
  const segments = useMemo(() => groupHits(hits), [hits]);
  const inputRef = useRef<HTMLInputElement>(null);
  const restoreFocus = useRef<Element | null>(null);

  useEffect(() => {
    restoreFocus.current = document.activeElement;
    inputRef.current?.focus();
    return () => {
      // Back to where the agent was, unless the palette opened a customer (the view changed).
      const el = restoreFocus.current as HTMLElement | null;
      if (el?.isConnected && !useApp.getState().customerId) el.focus();
    };
  }, []);

  // New results: the cursor goes to the best match (the order within groups is the display order).
  useEffect(() => {
    const first = segments[0];
    setSelected(first ? (first.kind === 'single' ? first.hit.id : first.hits[0]?.id ?? '') : '');
  }, [segments]);

  const onChange = (value: string) => {
    setQuery(value);
    pasteCut.onValue(value);
  };
  const close = () => setPaletteOpen(false);
  // Ctrl/Cmd+K again closes it (Esc too: the dialog's own key).
  useShortcut('palette.toggle', close, { root: paletteRef });
  const trimmed = query.trim();

  return (
    <Modal onClose={close} top aria-label="Search customers">
      <div className="palette" ref={paletteRef}>
        <Command shouldFilter={false} value={selected} onValueChange={setSelected} loop vimBindings={false} label="Search customers">
          <div className="palette-input-row">
            <svg width={16} height={16} viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
              <path d="M11 4a7 7 0 1 1 0 14 7 7 0 0 1 0-14zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10zm5.3 9.9 4.4 4.4-1.4 1.4-4.4-4.4z" />
            </svg>
            <Command.Input
              ref={inputRef}
              value={query}
              onValueChange={onChange}
              onPaste={pasteCut.onPaste}
              placeholder="Name, email, phone, cus_/sub_/in_/pi_/ch_/pm_ id, invoice number, card last 4…"
              aria-label="Search customers"
              aria-describedby={pasteCut.message ? 'palette-paste-cut' : undefined}
              maxLength={MAX_QUERY}
            />
            {status === 'loading' && <span className="spinner" aria-hidden="true" />}
            <kbd title="Close">Esc</kbd>
          </div>
          {pasteCut.message && (
            <p className="palette-notice" id="palette-paste-cut" role="status">
              {pasteCut.message}
            </p>
          )}
          <Command.List className="palette-list" data-rendered-query={answered} data-status={status} label="Customers found">
            {status === 'loading' && hits.length === 0 && <Command.Loading label="Searching">Searching…</Command.Loading>}
            {!trimmed && <PaletteHint />}
            {trimmed && status === 'ready' && hits.length === 0 && (
              <div className="palette-empty" role="status">
                {/* bdi: a right-to-left or bidi-control query must not reorder the sentence around it. */}
                <p className="empty-title">
                  No customer matches “<bdi>{answered.trim()}</bdi>”.
                </p>
                <p className="muted">Try part of the name or email, the email's domain, a Stripe id (cus_, in_, pi_…), an invoice number or a card's last 4 digits. Search covers the local cache: if the customer is new, wait for the next sync.</p>
              </div>
            )}
            {status === 'error' && (
              <div className="palette-error" role="alert">
                <p>The search failed: {error}</p>
                <button
                  type="button"
                  onClick={() => {
                    retry();
                    // This button goes away with the error: keep focus (and the keys) in the palette.
                    inputRef.current?.focus();
                  }}
                >
                  Try again
                </button>
              </div>
            )}
            {trimmed &&
              segments.map((segment) =>
                segment.kind === 'single' ? (
                  <SearchResultItem key={segment.hit.id} hit={segment.hit} onOpen={openCustomer} />
                ) : (
                  <Command.Group key={`email:${segment.email}`} heading={sharedEmailHeading(segment)} className="palette-shared-email">
                    {segment.hits.map((hit) => (
                      <SearchResultItem key={hit.id} hit={hit} onOpen={openCustomer} />
                    ))}
                  </Command.Group>
                ),
              )}
          </Command.List>
          <div className="palette-footer muted" aria-hidden="true">
            <span>
              <kbd>↑</kbd> <kbd>↓</kbd> move
            </span>
            <span>
              <kbd>Enter</kbd> open
            </span>
            <span>
              <kbd>Esc</kbd> close
            </span>
          </div>
        </Command>
      </div>
    </Modal>
  );
}

function PaletteHint() {
  return (
    <div className="palette-empty">
      <p className="muted">Type to search the customers in the local cache: a name, an email or its domain, a phone number, any Stripe id, an invoice number, a card's last 4 digits or a metadata value. Typos are forgiven.</p>
    </div>
  );
}

