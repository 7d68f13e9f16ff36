// A desk's replica reduced to its essence, for feed tests: the state is a map from
// "account|entity|id" to the entity's data, built from a snapshot and then the feed's pages.
// It knows only the wire format (GET /v1/snapshot, GET /v1/feed), not the server's tables.

export interface WireEntry {
  seq: number;
  account: string;
  entity: string;
  id: string;
  op: 'upsert' | 'delete';
  data: unknown;
}

export const entryKey = (account: string, entity: string, id: string) => `${account}|${entity}|${id}`;

export class FeedFollower {
  state = new Map<string, unknown>();
  seq = 0;
  snapshots = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private get headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  async takeSnapshot(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/v1/snapshot`, { headers: this.headers });
    if (res.status !== 200) throw new Error(`snapshot: HTTP ${res.status}`);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
    const header = lines[0];
    const end = lines[lines.length - 1];
    if (header.format !== 'bsc-team-snapshot/1' || !end.end || end.count !== lines.length - 2) throw new Error('snapshot: incomplete');
    this.state = new Map();
    for (const e of lines.slice(1, -1) as WireEntry[]) this.state.set(entryKey(e.account, e.entity, e.id), e.data);
    this.seq = header.seq;
    this.snapshots++;
  }

  apply(e: WireEntry): void {
    if (e.seq <= this.seq) throw new Error(`feed: entry ${e.seq} seen again (at ${this.seq})`);
    const key = entryKey(e.account, e.entity, e.id);
    if (e.op === 'delete') this.state.delete(key);
    else this.state.set(key, e.data);
    this.seq = e.seq;
  }

  /** One page; a 410 (behind the pruned point) makes it snapshot again, as a desk does. */
  async step(limit: number): Promise<boolean> {
    const res = await fetch(`${this.baseUrl}/v1/feed?after=${this.seq}&limit=${limit}`, { headers: this.headers });
    if (res.status === 410) {
      await this.takeSnapshot();
      return true;
    }
    if (res.status !== 200) throw new Error(`feed: HTTP ${res.status}`);
    const page = (await res.json()) as { entries: WireEntry[]; next: number; more: boolean };
    for (const e of page.entries) this.apply(e);
    this.seq = Math.max(this.seq, page.next);
    return page.more;
  }

  async catchUp(limit = 50): Promise<void> {
    while (await this.step(limit));
  }
}
