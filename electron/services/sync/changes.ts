import type { DataChanged } from '../../../shared/contract/streams';
import type { ServiceContext } from '../core/context';

type Kind = DataChanged['kinds'][number];

/** What a committed page or event batch changed: announced once on the hub after the commit. */
export class ChangeSet {
  readonly kinds = new Set<Kind>();
  readonly customerIds = new Set<string>();

  add(kind: Kind | null, customerId?: string | null): void {
    if (kind) this.kinds.add(kind);
    if (customerId) this.customerIds.add(customerId);
  }

  merge(other: ChangeSet): void {
    for (const k of other.kinds) this.kinds.add(k);
    for (const c of other.customerIds) this.customerIds.add(c);
  }

  get empty(): boolean {
    return this.kinds.size === 0;
  }

  /** Views refresh what they show; long id lists are dropped (the receiver refreshes everything). */
  emit(ctx: ServiceContext, accountId: string): void {
    if (this.empty) return;
    const ids = [...this.customerIds];
    ctx.hub.emit('data.changed', { accountId, kinds: [...this.kinds], ...(ids.length <= 500 ? { customerIds: ids } : {}) });
  }
}
