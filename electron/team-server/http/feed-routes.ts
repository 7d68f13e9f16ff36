import type http from 'node:http';
import zlib from 'node:zlib';
import type { Logger } from '../../services/core/log';
import type { FeedHub, LiveStream } from '../feed/live-hub';
import type { PresenceHub } from '../feed/presence-hub';
import { SnapshotRequiredError, type FeedEntry, type FeedStore } from '../stores/feed';
import type { Agent } from '../stores/agents';
import { sendError, sendJson } from './respond';

// The desk's way in: GET /v1/snapshot (the state at seq S, gzip NDJSON), then GET /v1/feed?after=S
// pages, or GET /v1/feed/stream?after=S (Server-Sent Events, live). A position the feed no longer
// covers is answered 410 with code snapshot_required in the details: the desk takes a new snapshot.
// Once caught up, the stream also carries who else has what open (`event: presence`, ids only).

/** One wire shape for an entry, in pages, streams and snapshots alike. */
export function wireEntry(e: FeedEntry) {
  return { seq: e.seq, account: e.accountId, entity: e.entity, id: e.entityId, op: e.op, data: e.data };
}

export function parseAfter(raw: string | null | undefined): number | null {
  if (raw == null || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

function sendSnapshotRequired(res: http.ServerResponse, err: SnapshotRequiredError): void {
  sendError(res, 410, { code: 'conflict', message: err.message, details: { snapshot_required: true, pruned_through: err.prunedThrough, head: err.head } });
}

function badAfter(res: http.ServerResponse): void {
  sendError(res, 400, { code: 'bad_input', message: 'after must be a sequence number (a whole number, 0 to start from the beginning of the feed).' });
}

export async function feedPage(res: http.ServerResponse, url: URL, feed: FeedStore): Promise<void> {
  const after = parseAfter(url.searchParams.get('after'));
  if (after === null) return badAfter(res);
  const limitRaw = url.searchParams.get('limit');
  const limit = limitRaw && /^\d{1,5}$/.test(limitRaw) ? Number(limitRaw) : 500;
  try {
    const page = await feed.page(after, { limit, accountId: url.searchParams.get('account') ?? undefined });
    const last = page.entries.length ? page.entries[page.entries.length - 1].seq : page.more ? after : Math.max(after, page.head);
    sendJson(res, 200, { entries: page.entries.map(wireEntry), next: last, head: page.head, more: page.more });
  } catch (err) {
    if (err instanceof SnapshotRequiredError) return sendSnapshotRequired(res, err);
    throw err;
  }
}

export async function feedStream(req: http.IncomingMessage, res: http.ServerResponse, url: URL, agent: Agent, hubs: { feed: FeedHub; presence?: PresenceHub }, log: Logger, heartbeatMs = 15_000, maxBufferedBytes = 8_000_000): Promise<void> {
  const hub = hubs.feed;
  const after = parseAfter(url.searchParams.get('after') ?? (req.headers['last-event-id'] as string | undefined));
  if (after === null) return badAfter(res);
  let open = true;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': team feed\n\n');
  };
  const stream: LiveStream = {
    agentId: agent.id,
    accountId: url.searchParams.get('account') ?? undefined,
    seq: after,
    send(entries) {
      if (!open) return;
      start();
      let text = '';
      for (const e of entries) text += `id: ${e.seq}\nevent: change\ndata: ${JSON.stringify(wireEntry(e))}\n\n`;
      res.write(text);
      // A desk that stopped reading must not make the server buffer without end: it resumes with Last-Event-ID.
      if (res.writableLength > maxBufferedBytes) stream.close('This desk read the live feed too slowly; reconnect from its last seq (Last-Event-ID).');
    },
    close(reason) {
      if (!open) return;
      open = false;
      start();
      res.write(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
      res.end();
    },
  };
  const heartbeat = setInterval(() => open && started && res.write(': ping\n\n'), heartbeatMs);
  let stopPresence = () => {};
  const finish = () => {
    open = false;
    clearInterval(heartbeat);
    hub.unsubscribe(stream);
    stopPresence();
  };
  req.on('close', finish);
  res.on('close', finish);
  try {
    await hub.subscribe(stream);
    start();
    if (open && hubs.presence) {
      stopPresence = hubs.presence.subscribe({
        agentId: agent.id,
        accountId: stream.accountId,
        presence(p) {
          if (open) res.write(`event: presence\ndata: ${JSON.stringify(p)}\n\n`);
        },
      });
    }
  } catch (err) {
    finish();
    if (started) {
      res.end();
      return;
    }
    if (err instanceof SnapshotRequiredError) return sendSnapshotRequired(res, err);
    log.error('team feed stream failed', { error: err });
    sendError(res, 500, { code: 'internal', message: 'The live feed could not start. Try again; the desk can page with GET /v1/feed meanwhile.' });
  }
}

/** gzip NDJSON: a header line {format, seq, pruned_through}, one line per live entity, then {end, count}. */
export async function snapshot(res: http.ServerResponse, url: URL, feed: FeedStore, log: Logger): Promise<void> {
  const gz = zlib.createGzip();
  let headerSent = false;
  const writeText = (text: string) =>
    new Promise<void>((resolve) => {
      if (gz.write(text)) resolve();
      else gz.once('drain', resolve);
    });
  const write = (obj: unknown) => writeText(JSON.stringify(obj) + '\n');
  try {
    const result = await feed.snapshot(
      async (h) => {
        res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'cache-control': 'no-store', 'x-bsc-snapshot-seq': String(h.seq) });
        gz.pipe(res);
        headerSent = true;
        await write({ format: 'bsc-team-snapshot/1', seq: h.seq, pruned_through: h.prunedThrough });
      },
      async (rows) => {
        // One write per page, not per row: a 100k-entity snapshot is 50 writes, not 100,000 awaits.
        // The data is PostgreSQL's JSON text as stored: spliced in, never parsed and re-encoded.
        let text = '';
        for (const r of rows) text += `{"seq":${r.seq},"account":${JSON.stringify(r.accountId)},"entity":${JSON.stringify(r.entity)},"id":${JSON.stringify(r.entityId)},"op":"upsert","data":${r.dataJson}}\n`;
        await writeText(text);
      },
      { accountId: url.searchParams.get('account') ?? undefined },
    );
    await write({ end: true, seq: result.seq, count: result.count });
    gz.end();
  } catch (err) {
    log.error('team snapshot failed', { error: err });
    // A cut stream without the end line tells the desk the snapshot is incomplete.
    if (headerSent) res.destroy();
    else sendError(res, 500, { code: 'internal', message: 'The snapshot could not be read. Try again.' });
  }
}
