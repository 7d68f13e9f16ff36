import type { Logger } from '../../services/core/log';
import type { FeedStore } from '../stores/feed';

// Old feed entries are dropped after the retention period (30 days by default, like Stripe's own
// events); the newest state of every entity stays in feed_latest, so a snapshot is always whole.
// Desks offline for longer are told to take a new snapshot. Every instance may run it: prunes
// serialise on the feed lock and a second one finds nothing to do.

export class FeedPruner {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly feed: FeedStore,
    private readonly log: Logger,
    private readonly opts: { retentionDays: number; everyMs?: number; now?: () => number },
  ) {}

  async pruneOnce(): Promise<number> {
    const now = this.opts.now ?? Date.now;
    const through = await this.feed.seqBefore(now() - this.opts.retentionDays * 86_400_000);
    if (through <= 0) return 0;
    const r = await this.feed.prune(through);
    if (r.deleted) this.log.info('team feed pruned', { through: r.prunedThrough, deleted: r.deleted });
    return r.deleted;
  }

  start(): void {
    const tick = () => {
      this.pruneOnce()
        .catch((err) => this.log.warn('team feed prune failed; retrying later', { error: err }))
        .finally(() => {
          if (this.timer) {
            this.timer = setTimeout(tick, this.opts.everyMs ?? 3_600_000);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(tick, this.opts.everyMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
