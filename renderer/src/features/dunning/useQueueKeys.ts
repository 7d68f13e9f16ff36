import type { DunningCaseRow } from '../../../../shared/contract/dunning';
import { useShortcut } from '../../app/key-dispatch';
import { useApp } from '../../app/store';
import { caseWrites } from './queries';
import { isOpenDunningStage } from '../../../../shared/contract/dunning';
import { useDunning } from './store';
import { roleRefusal } from '../../../../shared/domain/team-roles';
import { useTeamRole } from '../team/role';

/**
 * The queue's keys (declared in the keymap): J/K or arrows move, Enter opens the customer, X
 * selects, R retries, M marks contacted, Esc clears the selection, / searches. The keymap keeps
 * them from firing while the agent types, while a dialog is open and after the `g` of `g d`.
 */
export function useQueueKeys(rows: DunningCaseRow[], loadMore: () => void, searchRef: React.RefObject<HTMLInputElement | null>): void {
  const onQueue = useDunning((s) => s.tab === 'queue');
  const role = useTeamRole();
  const options = { enabled: onQueue };
  const current = () => rows[useDunning.getState().cursor];
  const move = (delta: number) => () => {
    useDunning.getState().moveCursor(delta, rows.length);
    if (useDunning.getState().cursor >= rows.length - 10) loadMore();
  };
  useShortcut('list.next', move(1), options);
  useShortcut('list.previous', move(-1), options);
  useShortcut(
    'list.open',
    (e) => {
      const row = current();
      if (!row || e.target instanceof HTMLButtonElement) return false;
      useApp.getState().openCustomer(row.customerId);
    },
    options,
  );
  useShortcut(
    'queue.select',
    () => {
      const row = current();
      if (!row) return false;
      useDunning.getState().toggleSelected(row.id);
    },
    options,
  );
  useShortcut(
    'queue.retry',
    () => {
      const row = current();
      if (!row?.invoiceId || !isOpenDunningStage(row.stage)) return false;
      useDunning.getState().openRetry(row.id);
    },
    options,
  );
  useShortcut(
    'queue.contacted',
    () => {
      const s = useDunning.getState();
      const row = current();
      const ids = s.selected.size ? [...s.selected] : row ? [row.id] : [];
      if (!ids.length) return false;
      // The same words as the disabled button's title, instead of a round trip the server refuses.
      const refusal = role && roleRefusal(role, 'dunning.setStage', { caseIds: ids, stage: 'contacted' });
      if (refusal) return useApp.getState().showToast(refusal, 'error');
      void caseWrites.moveStage(ids, 'contacted').then(
        (r) => {
          useApp.getState().showToast(`Marked ${r.moved} contacted${r.refused.length ? `; ${r.refused.length} not moved` : ''}.`);
          useDunning.getState().clearSelection();
        },
        (err: unknown) => useApp.getState().showToast(err instanceof Error ? err.message : String(err), 'error'),
      );
    },
    options,
  );
  useShortcut('queue.clearSelection', () => (useDunning.getState().selected.size ? useDunning.getState().clearSelection() : false), options);
  useShortcut('list.search', () => searchRef.current?.focus(), options);
}
