import { useEffect, useRef } from 'react';
import { useNarrow } from './useNarrow';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DunningCaseRow } from '../../../../shared/contract/dunning';
import { useApp } from '../../app/store';
import { Money, NextRetry } from '../../ui/format';
import { CATEGORY_BADGE, CATEGORY_HINTS, CATEGORY_LABELS, STAGE_BADGE, STAGE_LABELS } from './labels';
import { useDunning } from './store';
import { selectAllMatching, useQueue } from './queries';
import { errorMessage } from '../../api/client';
import { PresenceNote } from '../presence/PresenceNote';

const ROW_HEIGHT = 34;
/** Below this width the table drops the columns the case panel repeats (invoice, tries, days). */
const COMPACT_BELOW = 780;

/** The queue: dense, virtualized (only the rows in view are in the DOM), more pages load near the end. */
export function QueueTable() {
  const { rows, total, loadingMore, loadMore } = useQueue();
  const cursor = useDunning((s) => s.cursor);
  const selected = useDunning((s) => s.selected);
  const setCursor = useDunning((s) => s.setCursor);
  const toggleSelected = useDunning((s) => s.toggleSelected);
  const clearSelection = useDunning((s) => s.clearSelection);
  const openCustomer = useApp((s) => s.openCustomer);
  const toast = useApp((s) => s.showToast);
  const scrollRef = useRef<HTMLDivElement>(null);
  const compact = useNarrow(scrollRef, COMPACT_BELOW);
  const columnCount = compact ? 7 : 10;

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 20 && rows.length < total && !loadingMore) loadMore();
  }, [last, rows.length, total, loadingMore, loadMore]);
  useEffect(() => {
    if (rows.length) virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, rows.length, virtualizer]);

  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (last?.end ?? 0);
  const allSelected = selected.size > 0 && selected.size >= Math.min(total, 1000);

  const toggleAll = async () => {
    if (allSelected) return clearSelection();
    try {
      const n = await selectAllMatching(rows.map((r) => r.id), total);
      if (total > n) toast(`Selected the first ${n} of ${total} cases (one action covers up to ${n}).`);
    } catch (err) {
      // Nothing is selected: the agent sees why instead of a checkbox that did nothing.
      toast(`Could not select all matching cases: ${errorMessage(err)}`, 'error');
    }
  };

  return (
    <div className="dunning-table-scroll" ref={scrollRef} tabIndex={-1}>
      <table className={`dense dunning-table${compact ? ' compact' : ''}`} aria-rowcount={total + 1} aria-label="Dunning cases">
        <thead>
          <tr>
            <th scope="col" className="check col-check">
              <input type="checkbox" aria-label={allSelected ? 'Clear the selection' : `Select all ${total} matching cases`} checked={allSelected} onChange={() => void toggleAll()} />
            </th>
            <th scope="col" className="col-customer">Customer</th>
            {!compact && <th scope="col" className="col-invoice">Invoice</th>}
            <th scope="col" className="num col-amount">At risk</th>
            <th scope="col" className="col-decline">Decline</th>
            {!compact && (
              <th scope="col" className="num col-tries" title="Payment attempts so far">
                Tries
              </th>
            )}
            <th scope="col" className="col-retry">Next retry</th>
            {!compact && (
              <th scope="col" className="num col-days" title="Days since the first failed payment">
                Days
              </th>
            )}
            <th scope="col" className="col-stage">Stage</th>
            <th scope="col" className="col-assignee">Assignee</th>
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columnCount} style={{ height: padTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <QueueRow
                key={row.id}
                row={row}
                index={item.index}
                isCursor={item.index === cursor}
                isSelected={selected.has(row.id)}
                compact={compact}
                onFocusRow={() => setCursor(item.index)}
                onToggle={() => toggleSelected(row.id)}
                onOpen={() => openCustomer(row.customerId)}
              />
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={columnCount} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {loadingMore && <p className="muted dunning-more">Loading more cases…</p>}
    </div>
  );
}

function QueueRow(props: { row: DunningCaseRow; index: number; isCursor: boolean; isSelected: boolean; compact: boolean; onFocusRow: () => void; onToggle: () => void; onOpen: () => void }) {
  const { row, isCursor, isSelected } = props;
  return (
    <tr
      className={`dunning-row${isCursor ? ' cursor' : ''}${isSelected ? ' selected' : ''}`}
      aria-rowindex={props.index + 2}
      aria-current={isCursor ? 'true' : undefined}
      data-case-id={row.id}
      onClick={props.onFocusRow}
      onDoubleClick={props.onOpen}
    >
      <td className="check">
        <input type="checkbox" aria-label={`Select the case of ${row.customerName ?? row.customerEmail ?? row.customerId}`} checked={isSelected} onChange={props.onToggle} onClick={(e) => e.stopPropagation()} />
      </td>
      <td className="dunning-customer">
        <span className="name">{row.customerName ?? row.customerEmail ?? row.customerId}</span>
        {row.customerName && row.customerEmail && <span className="muted email">{row.customerEmail}</span>}
        <PresenceNote customerId={row.customerId} caseId={row.id} compact />
      </td>
      {!props.compact && (
        <td>
          <code className="muted">{row.invoiceNumber ?? row.invoiceId ?? row.subscriptionId}</code>
        </td>
      )}
      <td className="num">
        <Money amount={row.amountAtRisk} currency={row.currency} />
      </td>
      <td>
        <span className={CATEGORY_BADGE[row.category]} title={CATEGORY_HINTS[row.category]}>
          {CATEGORY_LABELS[row.category]}
        </span>{' '}
        {row.declineCode && <code className="muted decline">{row.declineCode}</code>}
      </td>
      {!props.compact && <td className="num">{row.attemptCount}</td>}
      <td>{row.nextPaymentAttempt ? <NextRetry at={row.nextPaymentAttempt} /> : <span className="muted">none</span>}</td>
      {!props.compact && <td className="num">{row.daysInDunning}</td>}
      <td>
        <span className={STAGE_BADGE[row.stage]}>{STAGE_LABELS[row.stage]}</span>
      </td>
      <td>{row.assignee ?? <span className="muted">—</span>}</td>
    </tr>
  );
}
