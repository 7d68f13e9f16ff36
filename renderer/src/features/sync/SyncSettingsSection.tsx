import { useEffect, useState } from 'react';
import { useApp } from '../../app/store';
import { ErrorState, Loading } from '../../ui/states';
import { progressParts, resourceName, syncView, type SyncView } from './labels';
import { SyncedAgo } from './SyncedAgo';
import { useSync, useSyncFeed, useTick } from './sync-store';
import './sync.css';
import { useWorkspace } from '../../app/workspace';

function stateSentence(view: SyncView, watching: boolean): string {
  switch (view.kind) {
    case 'backfill': {
      const what = resourceName(view.progress.resource);
      return `${view.progress.message ?? 'Reading the account from Stripe'}${what ? ` - now ${what}` : ''}. The app keeps working from the cache meanwhile.`;
    }
    case 'synced':
      return watching ? 'Up to date. New changes in Stripe show up within a few seconds.' : 'Up to date as of the last sync.';
    case 'never':
      return 'This account has not been synced yet.';
    case 'offline':
    case 'error':
      return view.message;
    default:
      return '';
  }
}

/** How far a backfill is: pages done against pages done + what the ETA leaves at the current rate. */
function backfillFraction(view: SyncView): number | null {
  if (view.kind !== 'backfill') return null;
  const { pages, etaSeconds, requestsPerSecond } = view.progress;
  if (etaSeconds == null || !(requestsPerSecond > 0)) return null;
  const left = etaSeconds * requestsPerSecond;
  return pages + left > 0 ? Math.min(0.99, pages / (pages + left)) : null;
}

/** Settings → Sync: when the cache last matched Stripe, the running progress, Sync now and Full resync. */
export function SyncSettingsSection() {
  useSyncFeed();
  useTick(10_000);
  const ws = useWorkspace();
  const toast = useApp((s) => s.showToast);
  const { status, progress, loadError, startError, starting, load, start } = useSync();
  const [confirmFull, setConfirmFull] = useState(false);
  const view = syncView(ws?.mode === 'demo', status, progress);
  const fraction = backfillFraction(view);
  const running = view.kind === 'backfill';

  useEffect(() => setConfirmFull(false), [ws?.account?.id]);

  const syncNow = async (full: boolean) => {
    setConfirmFull(false);
    const started = await start(full);
    if (started === false) toast('A sync is already running; it covers this request.');
    else if (started) toast(full ? 'Full resync started.' : 'Sync started.');
  };

  let body;
  if (view.kind === 'demo') {
    body = <p className="muted">The demo workspace has nothing to sync: its data is generated on this computer. Add a Stripe key above to sync a real account.</p>;
  } else if (loadError && !status) {
    body = <ErrorState message={`Could not read the sync status: ${loadError}`} onRetry={() => void load()} />;
  } else if (!status) {
    body = <Loading label="Loading the sync status…" />;
  } else {
    body = (
      <>
        <dl className="sync-facts">
          <dt>Account</dt>
          <dd>{ws?.account?.name ?? status.accountId}</dd>
          <dt>Last synced</dt>
          <dd data-testid="sync-last-synced">{status.lastSyncedAt ? <SyncedAgo atMs={status.lastSyncedAt} /> : 'never'}</dd>
          <dt>First sync</dt>
          <dd>{status.backfillComplete ? 'complete' : running ? 'in progress' : 'not finished'}</dd>
        </dl>
        {view.kind === 'offline' || view.kind === 'error' ? (
          <p className="sync-error" role="alert" data-testid="sync-state">
            <strong>{view.kind === 'offline' ? 'Offline.' : 'Sync failed.'}</strong> {view.message} Everything shown comes from the cache{status.lastSyncedAt ? ' as of the last sync' : ''}.{' '}
            <button type="button" onClick={() => void syncNow(false)} disabled={starting}>
              Retry
            </button>
          </p>
        ) : (
          <p data-testid="sync-state">{stateSentence(view, status.running)}</p>
        )}
        {running && (
          <div className="sync-progress" role="group" aria-label="Sync progress" data-testid="sync-progress">
            <progress max={1} {...(fraction != null ? { value: fraction } : {})} aria-label="Sync progress" />
            <span className="sync-progress-line">{progressParts(view.progress).join(' · ')}</span>
          </div>
        )}
        {startError && (
          <p className="sync-error" role="alert">
            Could not start the sync: {startError}
          </p>
        )}
        <div className="sync-actions">
          <button type="button" className="primary" onClick={() => void syncNow(false)} disabled={starting || running}>
            Sync now
          </button>
          {confirmFull ? (
            <span className="sync-confirm" role="group" aria-label="Read everything again?">
              <span>Read every customer, subscription and invoice again? Rows Stripe no longer has are removed.</span>
              <button type="button" onClick={() => void syncNow(true)} disabled={starting}>
                Resync everything
              </button>
              <button type="button" onClick={() => setConfirmFull(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setConfirmFull(true)} disabled={starting}>
              Full resync…
            </button>
          )}
        </div>
      </>
    );
  }

  return (
    <section className="section sync-settings" aria-labelledby="sync-settings-h" data-testid="sync-settings">
      <h2 id="sync-settings-h">Sync</h2>
      {/* Screen readers hear phase changes, not every page of progress. */}
      <span className="sync-sr-only" role="status">
        {view.kind === 'backfill' ? 'Sync running' : view.kind === 'synced' ? 'Sync up to date' : view.kind === 'offline' ? 'Sync offline' : view.kind === 'error' ? 'Sync failed' : ''}
      </span>
      {body}
    </section>
  );
}
