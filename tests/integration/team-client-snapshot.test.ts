import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { TeamClient, TeamUnreachableError } from '../../electron/services/team/team-client';

// The desk's snapshot download ends on a stall, not on a total: a big account's snapshot streams
// for minutes on a slow link and must arrive whole, while a server that stops sending is given up
// on in words. The server here is a stand-in for the transport only (it speaks the snapshot format).

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Serves GET /v1/snapshot: the header, `lines` entries one every `gapMs`, then the end line (unless `stallAfter`). */
async function snapshotServer(o: { lines: number; gapMs: number; stallAfter?: number }): Promise<string> {
  const server = http.createServer((_req, res) => void respond(res));
  const respond = async (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    const gz = zlib.createGzip();
    gz.pipe(res);
    const send = (obj: unknown) => {
      gz.write(JSON.stringify(obj) + '\n');
      gz.flush();
    };
    send({ format: 'bsc-team-snapshot/1', seq: o.lines, pruned_through: 0 });
    for (let i = 1; i <= o.lines; i++) {
      if (o.stallAfter !== undefined && i > o.stallAfter) return; // never another byte
      await new Promise((r) => setTimeout(r, o.gapMs));
      send({ seq: i, account: 'acct_1', entity: 'stripe.customer', id: `cus_${i}`, op: 'upsert', data: { id: `cus_${i}`, object: 'customer' } });
    }
    send({ end: true, seq: o.lines, count: o.lines });
    gz.end();
  };
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('team snapshot download', () => {
  it('a snapshot that keeps coming arrives whole however long it takes in all', async () => {
    const url = await snapshotServer({ lines: 25, gapMs: 100 });
    const pages: string[][] = [];
    // The whole download (25 x 100 ms) is longer than the stall allowance (2 s): only gaps count.
    const head = await new TeamClient({ url, token: 't' }).snapshotLines((p) => pages.push(p), 5, 2_000);
    expect(head).toEqual({ seq: 25, count: 25 });
    expect(pages.flat().map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(Array.from({ length: 25 }, (_, i) => `cus_${i + 1}`));
  });

  it('a snapshot that stops coming is given up on, saying it stalled', async () => {
    const url = await snapshotServer({ lines: 10, gapMs: 10, stallAfter: 3 });
    const err = await new TeamClient({ url, token: 't' }).snapshotLines(() => {}, 500, 500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TeamUnreachableError);
    expect((err as Error).message).toMatch(/no snapshot data came for 1 s/);
  });
});
