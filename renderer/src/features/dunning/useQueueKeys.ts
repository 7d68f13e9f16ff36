import { useEffect } from 'react';
import { isTyping } from '../../app/shortcuts';
import { useApp } from '../../app/store';
import { useDunning } from './store';

/**
 * Queue keys: J/K or arrows move, Enter opens the customer, X selects, R retries, M marks
 * contacted, Esc clears the selection, / searches. Not while typing, not while a dialog is open,
 * and not the second key of the app's "g d"-style view switch.
 */
export function useQueueKeys(searchRef: React.RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    let previous = '';
    const onKey = (e: KeyboardEvent) => {
      const afterG = previous === 'g';
      previous = e.key;
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || afterG) return;
      const s = useDunning.getState();
      if (s.tab !== 'queue' || s.retryCaseId != null || document.querySelector('[role="dialog"]')) return;
      const row = s.rows[s.cursor];
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          e.preventDefault();
          s.moveCursor(1);
          break;
        case 'k':
        case 'ArrowUp':
          e.preventDefault();
          s.moveCursor(-1);
          break;
        case 'Enter':
          if (row && !(e.target instanceof HTMLButtonElement)) {
            e.preventDefault();
            useApp.getState().openCustomer(row.customerId);
          }
          break;
        case 'x':
          if (row) s.toggleSelected(row.id);
          break;
        case 'r':
          if (row?.invoiceId && ['new', 'contacted', 'awaiting_customer'].includes(row.stage)) s.openRetry(row.id);
          break;
        case 'm': {
          const ids = s.selected.size ? [...s.selected] : row ? [row.id] : [];
          if (!ids.length) break;
          void s.moveStage(ids, 'contacted').then(
            (r) => {
              useApp.getState().showToast(`Marked ${r.moved} contacted${r.refused.length ? `; ${r.refused.length} not moved` : ''}.`);
              s.clearSelection();
              void s.load({ keepRows: true });
            },
            (err: unknown) => useApp.getState().showToast(err instanceof Error ? err.message : String(err), 'error'),
          );
          break;
        }
        case 'Escape':
          if (s.selected.size) s.clearSelection();
          break;
        case '/':
          e.preventDefault();
          searchRef.current?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [searchRef]);
}
