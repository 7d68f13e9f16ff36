import type { ServiceContext } from '../core/context';
import { reconcileDunning } from './reconcile';

// Keeps the cases in step with the cache without depending on who wrote it: the sync, the
// on-demand refresh and the demo seeding all announce their writes on the hub ('data.changed'),
// and the dunning side reconciles the customers named (or the whole account when none are).
// Notices arriving in the same tick (one per sync page) are coalesced into one reconcile.

interface Pending {
  full: boolean;
  customerIds: Set<string>;
}

export interface AutoReconcile {
  /** Runs whatever is pending now (tests and shutdown). */
  flush(): void;
  stop(): void;
}

export function startAutoReconcile(ctx: ServiceContext): AutoReconcile {
  const pending = new Map<string, Pending>();
  let timer: NodeJS.Immediate | null = null;

  const flush = () => {
    if (timer) clearImmediate(timer);
    timer = null;
    const batch = [...pending.entries()];
    pending.clear();
    for (const [accountId, p] of batch) {
      try {
        reconcileDunning(ctx, accountId, p.full ? undefined : [...p.customerIds]);
      } catch (err) {
        // The next notice (or the next start) reconciles again; the queue is stale until then.
        ctx.log.error('dunning reconcile failed', { accountId, error: err });
      }
    }
  };

  const unsubscribe = ctx.hub.subscribe((channel, payload) => {
    if (channel !== 'data.changed') return;
    const change = payload as { accountId: string; kinds: string[]; customerIds?: string[] };
    if (!change.kinds.some((k) => k === 'invoices' || k === 'subscriptions')) return;
    let p = pending.get(change.accountId);
    if (!p) pending.set(change.accountId, (p = { full: false, customerIds: new Set() }));
    if (!change.customerIds) p.full = true;
    else for (const id of change.customerIds) p.customerIds.add(id);
    timer ??= setImmediate(flush);
  });

  return {
    flush,
    stop() {
      unsubscribe();
      if (timer) clearImmediate(timer);
      timer = null;
      pending.clear();
    },
  };
}
