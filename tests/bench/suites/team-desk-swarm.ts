import { openSse, type SseReader } from '../../helpers/sse';

// The simulated desks of the team-server bench, in a process of their own so that parsing what
// 200 desks receive does not slow the server being measured. The parent (team-server.ts) sends
// {url, tokens, after}; every desk follows GET /v1/feed/stream from `after` and notes when each
// object id first arrives (wall clock, ms). On {deliveries: {objectId: t}} the swarm answers with
// the latencies of every (object, desk) pair and how many never arrived, and closes the streams.

interface Start {
  url: string;
  tokens: string[];
  after: number;
}

const readers: SseReader[] = [];
const arrivals: Array<Map<string, number>> = [];

// A stream that cannot be opened ends the child with the reason (the parent sees the exit), rather
// than an unhandled rejection and a parent waiting for 'ready' forever.
process.on('message', (msg: { start?: Start; deliveries?: Record<string, number> }) => {
  onMessage(msg).catch((err: unknown) => {
    process.stderr.write(`desk swarm child failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});

async function onMessage(msg: { start?: Start; deliveries?: Record<string, number> }): Promise<void> {
  if (msg.start) {
    const { url, tokens, after } = msg.start;
    for (const token of tokens) {
      const seen = new Map<string, number>();
      arrivals.push(seen);
      const r = await openSse(`${url}/v1/feed/stream?after=${after}`, { authorization: `Bearer ${token}` });
      // First arrival of each object id, hooked where the reader records events.
      const push = r.events.push.bind(r.events);
      r.events.push = (...items) => {
        const now = Date.now();
        for (const it of items) {
          const id = /"id":"([^"]+)"/.exec(it.data)?.[1];
          if (id && !seen.has(id)) seen.set(id, now);
        }
        return push(...items);
      };
      readers.push(r);
    }
    process.send!({ ready: readers.length });
  }
  if (msg.deliveries) {
    const latencies: number[] = [];
    let missing = 0;
    for (const [objectId, t] of Object.entries(msg.deliveries)) {
      for (const seen of arrivals) {
        const at = seen.get(objectId);
        if (at === undefined || at < t) missing++;
        else latencies.push(at - t);
      }
    }
    for (const r of readers) r.close();
    process.send!({ latencies, missing }, undefined, {}, () => process.exit(0));
  }
}
