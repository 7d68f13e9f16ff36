import { AppError } from '../../../shared/contract/errors';
import type { SyncStatus } from '../../../shared/contract/sync';
import type { ServiceContext } from '../core/context';
import type { BackfillOptions } from './backfill';
import { AccountSync, type WatchOptions } from './engine';
import { readSyncState } from './sync-state';

// The syncs of a workspace: one AccountSync per account (each with its own sync_state row), the
// current account watched. Switching accounts moves the watch; the demo workspace has nothing to
// sync. One manager per set of services, on the context (`ctx.registries.sync`), closed with them.

export interface SyncManagerOptions {
  backfill?: Omit<BackfillOptions, 'full' | 'onPage' | 'signal'>;
  watch?: WatchOptions;
}

export class SyncManager {
  private readonly engines = new Map<string, AccountSync>();
  private watched: string | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: SyncManagerOptions = {},
  ) {}

  engine(accountId: string): AccountSync {
    if (accountId === 'demo') throw new AppError('not_configured', 'The demo workspace is not synced with Stripe. Add a Stripe key in Settings to sync a real account.');
    let e = this.engines.get(accountId);
    if (!e) this.engines.set(accountId, (e = new AccountSync(this.ctx, accountId, this.opts.backfill)));
    return e;
  }

  status(accountId: string): SyncStatus {
    const e = this.engines.get(accountId);
    if (e) return e.status();
    const s = accountId === 'demo' ? null : readSyncState(this.ctx.db, accountId);
    return {
      accountId,
      running: false,
      backfillComplete: s ? s.backfillComplete : true,
      lastSyncedAt: s?.lastSyncedAtMs ?? null,
      lastError: s?.lastError ?? null,
      progress: null,
    };
  }

  /** Starts a pass in the background; false when one is already running (it covers this request). */
  start(accountId: string, opts: { full?: boolean } = {}): boolean {
    const e = this.engine(accountId);
    if (e.running && !opts.full) return false;
    e.syncOnce(opts).catch((err) => this.ctx.log.warn('sync pass failed', { accountId, error: err instanceof Error ? err.message : String(err) }));
    return true;
  }

  /** Watches the workspace's current account (none in the demo workspace). */
  watchCurrent(): void {
    const current = this.ctx.workspace.current();
    const target = current.isDemo ? null : current.id;
    if (target === this.watched) return;
    if (this.watched) void this.engines.get(this.watched)?.stop();
    this.watched = target;
    if (target) {
      try {
        this.engine(target).watch(this.opts.watch);
      } catch (err) {
        this.watched = null;
        this.ctx.log.warn('cannot sync the current account', { accountId: target, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async close(): Promise<void> {
    this.watched = null;
    await Promise.all([...this.engines.values()].map((e) => e.stop()));
    this.engines.clear();
  }
}
