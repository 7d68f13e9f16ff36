import { progressParts, syncView } from './labels';
import { SyncedAgo } from './SyncedAgo';
import { useSync, useSyncFeed, useTick } from './sync-store';
import './sync.css';
import { useWorkspace } from '../../app/workspace';

/**
 * The banner's sync stamp, visible on every screen: "synced 2 minutes ago", the running progress
 * of a backfill, or what went wrong in words with a retry. The cache keeps serving meanwhile.
 */
export function SyncStamp() {
  useSyncFeed();
  useTick();
  const ws = useWorkspace();
  const { status, progress, starting, start } = useSync();
  const view = syncView(ws?.mode === 'demo', status, progress);
  const retry = (
    <button type="button" className="sync-stamp-action" onClick={() => void start()} disabled={starting}>
      {view.kind === 'never' ? 'Sync now' : 'Retry'}
    </button>
  );
  const cachedFrom = status?.lastSyncedAt ? (
    <>
      {' '}
      · cached data from <SyncedAgo atMs={status.lastSyncedAt} />
    </>
  ) : null;

  return (
    <span className={`sync-stamp sync-${view.kind}`} data-testid="sync-stamp">
      {view.kind === 'demo' && 'Demo data · nothing to sync'}
      {view.kind === 'loading' && 'Sync status…'}
      {view.kind === 'backfill' && (
        <>
          <span className="sync-stamp-dot" aria-hidden="true" />
          Syncing · {progressParts(view.progress).join(' · ')}
        </>
      )}
      {view.kind === 'offline' && (
        <>
          <strong title={view.message}>Offline</strong>
          {cachedFrom} {retry}
        </>
      )}
      {view.kind === 'error' && (
        <>
          <strong title={view.message}>Sync failed</strong>
          {cachedFrom} {retry}
        </>
      )}
      {view.kind === 'never' && <>Never synced {retry}</>}
      {view.kind === 'synced' && (
        <>
          synced <SyncedAgo atMs={view.at} />
        </>
      )}
      {ws && !ws.online && view.kind !== 'offline' && <strong className="offline-pill"> · offline</strong>}
    </span>
  );
}
