import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useCallMutation } from '../../api/queries';
import { useRoleRefusal } from '../team/role';
import { useApp } from '../../app/store';
import { Money } from '../../ui/format';
import { KeyHints } from '../../ui/KeyHints';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { BulkBar } from './BulkBar';
import { CasePanel } from './CasePanel';
import { downloadText } from './download';
import { FiltersBar } from './FiltersBar';
import { MetricsView } from './MetricsView';
import { useQueue } from './queries';
import { QueueTable } from './QueueTable';
import { RetryDialog } from './RetryDialog';
import { SavedViews } from './SavedViews';
import { useDunning, type DunningTab } from './store';
import { useQueueKeys } from './useQueueKeys';
import './dunning.css';

/** The dunning queue for team leads: who is failing to pay, why, how much, who is on it; and the recovery metrics. */
export function DunningView() {
  const tab = useDunning((s) => s.tab);
  const setTab = useDunning((s) => s.setTab);
  const retryCaseId = useDunning((s) => s.retryCaseId);
  const { rows, total, totals, status, loadMore } = useQueue();
  const searchRef = useRef<HTMLInputElement>(null);
  useQueueKeys(rows, loadMore, searchRef);

  // A refresh keeps the cursor on the rows there are, and the selection minus the cases that left
  // the filtered set (known once the whole set is loaded).
  useEffect(() => {
    const s = useDunning.getState();
    if (s.cursor > 0 && s.cursor >= rows.length) s.setCursor(Math.max(0, rows.length - 1));
    if (status === 'ready' && rows.length >= total && [...s.selected].some((id) => !rows.some((r) => r.id === id))) {
      s.setSelected([...s.selected].filter((id) => rows.some((r) => r.id === id)));
    }
  }, [rows, total, status]);

  const tabs: Array<{ id: DunningTab; label: string }> = [
    { id: 'queue', label: 'Queue' },
    { id: 'metrics', label: 'Metrics' },
  ];

  return (
    <div className="dunning-view">
      <div className="page-header dunning-header">
        <h1>Dunning</h1>
        <div role="tablist" aria-label="Dunning" className="dunning-tabs">
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              type="button"
              id={`dunning-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`dunning-panel-${t.id}`}
              className={tab === t.id ? 'active' : ''}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        {status === 'ready' && (
          <span className="dunning-totals" aria-label="Amount at risk in the filtered queue">
            {total} case{total === 1 ? '' : 's'}
            {totals.map((t) => (
              <span key={t.currency} className="badge">
                <Money amount={t.amount} currency={t.currency} />
              </span>
            ))}
          </span>
        )}
        <span className="spacer" />
        {tab === 'queue' && (
          <>
            <SavedViews />
            <ExportButton />
          </>
        )}
      </div>
      {tab === 'queue' ? (
        <div id="dunning-panel-queue" role="tabpanel" aria-labelledby="dunning-tab-queue" className="dunning-queue-tab">
          <FiltersBar searchRef={searchRef} />
          <BulkBar />
          <QueueBody />
        </div>
      ) : (
        <div id="dunning-panel-metrics" role="tabpanel" aria-labelledby="dunning-tab-metrics">
          <MetricsView />
        </div>
      )}
      {retryCaseId != null && (
        <RetryDialog
          caseId={retryCaseId}
          onClose={() => useDunning.getState().openRetry(null)}
        />
      )}
    </div>
  );
}

function QueueBody() {
  const { rows, status, error, reload } = useQueue();
  const filters = useDunning((s) => s.filters);
  const clearFilters = useDunning((s) => s.clearFilters);

  if (status === 'error') return <ErrorState message={`Could not load the dunning queue: ${error}`} onRetry={reload} />;
  if (status !== 'ready' && rows.length === 0) return <Loading label="Loading the dunning queue…" />;
  if (rows.length === 0) {
    return Object.keys(filters).length ? (
      <EmptyState
        title="No cases match these filters"
        hint="Widen the amount or age range, pick more stages or categories, or clear the filters."
        action={
          <button type="button" onClick={clearFilters}>
            Clear filters
          </button>
        }
      />
    ) : (
      <EmptyState title="No open dunning cases" hint="Nobody is failing to pay right now. Cases appear here when a payment fails or a subscription goes past due, as soon as the sync brings it in." />
    );
  }
  return (
    <div className="dunning-split">
      <div className="dunning-main">
        <QueueTable />
        <KeyHints
          className="dunning-keys muted"
          hints={[
            { ids: ['list.next', 'list.previous'], words: 'move' },
            { ids: ['list.open'], words: 'open customer' },
            { ids: ['queue.select'], words: 'select' },
            { ids: ['queue.retry'], words: 'retry' },
            { ids: ['queue.contacted'], words: 'mark contacted' },
            { ids: ['list.search'], words: 'search' },
          ]}
        />
      </div>
      <CasePanel />
    </div>
  );
}

function ExportButton() {
  const filters = useDunning((s) => s.filters);
  const sort = useDunning((s) => s.sort);
  const toast = useApp((s) => s.showToast);
  const [busy, setBusy] = useState(false);
  const exportQueue = useCallMutation('dunning.exportCsv');
  const refusal = useRoleRefusal('dunning.exportCsv', { filters, sort });
  const exportCsv = async () => {
    setBusy(true);
    try {
      const r = await exportQueue.mutateAsync({ filters, sort });
      downloadText(r.filename, r.csv);
      toast(`Exported ${r.rows} case${r.rows === 1 ? '' : 's'} to ${r.filename}.`);
    } catch (err) {
      toast(`Could not export: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" onClick={() => void exportCsv()} disabled={busy || !!refusal} title={refusal ?? 'Download the filtered queue as CSV'}>
      {busy ? 'Exporting…' : 'Export CSV'}
    </button>
  );
}
