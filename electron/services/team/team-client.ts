import { Readable } from 'node:stream';
import readline from 'node:readline';
import { AppError, type CallResult, type ErrorCode } from '../../../shared/contract/errors';
import type { PresenceReport, PresenceWire } from '../../../shared/contract/team-presence';
import type { TeamConfig } from './team-config';

// The desk's only way to the team server: HTTP with the agent token. Reads are the snapshot (gzip
// NDJSON), feed pages and the live stream (SSE); writes are the contract's calls, forwarded
// unchanged. A server that cannot be reached is a TeamUnreachableError (the desk goes offline);
// a refusal from the server is an AppError with the server's words.

/** One change as the server sends it (pages, streams and snapshots alike). */
export interface WireEntry {
  seq: number;
  account: string;
  entity: string;
  id: string;
  op: 'upsert' | 'delete';
  data: unknown;
}

export interface TeamAgentIdentity {
  id: string;
  name: string;
  role: 'agent' | 'lead' | 'admin';
}

/** The team server could not be reached (or answered nothing usable): the desk works offline. */
export class TeamUnreachableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`The team server cannot be reached (${cause instanceof Error ? cause.message : String(cause)}). Reads work from this desk's copy; writes wait or are refused.`);
    this.name = 'TeamUnreachableError';
  }
}

/** The desk's position is behind the pruned feed (or ahead of a restored server): snapshot again. */
export class TeamSnapshotRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamSnapshotRequiredError';
  }
}

/** The token was refused (revoked or unknown): the desk is signed out, its cache stays readable. */
export class TeamSignedOutError extends AppError {
  constructor(message: string) {
    super('forbidden', `Signed out by the team: ${message}`);
  }
}

const STATUS_CODES: Record<number, ErrorCode> = { 400: 'bad_input', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 429: 'rate_limited', 503: 'not_configured' };

export class TeamClient {
  constructor(
    private readonly config: TeamConfig,
    private readonly timeoutMs = 15_000,
  ) {}

  get url(): string {
    return this.config.url;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.config.token}`, ...extra };
  }

  private async fetch(path: string, init: RequestInit = {}, timeoutMs = this.timeoutMs): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.config.url}${path}`, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new TeamUnreachableError(err);
    }
    if (res.status === 401) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new TeamSignedOutError(body?.error?.message ?? 'the agent token was refused.');
    }
    if (res.status === 410) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      throw new TeamSnapshotRequiredError(body?.error?.message ?? 'The team server asks for a new snapshot.');
    }
    if (res.status >= 500 && res.status !== 503) throw new TeamUnreachableError(new Error(`HTTP ${res.status}`));
    return res;
  }

  private async json<T>(res: Response): Promise<T> {
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw new TeamUnreachableError(err);
    }
  }

  /** The server's accounts (healthz: no token needed); a desk follows the first. */
  async accounts(): Promise<string[]> {
    const res = await this.fetch('/healthz', { headers: {} });
    const body = await this.json<{ accounts?: Array<{ id: string }> }>(res);
    return (body.accounts ?? []).map((a) => a.id);
  }

  async me(): Promise<TeamAgentIdentity> {
    const res = await this.fetch('/v1/me', { headers: this.headers() });
    if (!res.ok) throw await this.refusal(res);
    return this.json<TeamAgentIdentity>(res);
  }

  /**
   * The team's model proxy as an OpenAI-compatible base URL and key: the agent token is the key,
   * so the desk's copilot reaches the team's model without ever holding the team's model key.
   */
  modelProxy(): { baseUrl: string; apiKey: string } {
    return { baseUrl: `${this.config.url}/v1/openai`, apiKey: this.config.token };
  }

  /** The model the team's settings name (the proxy's model list), or null when the team has none. */
  async teamModel(): Promise<string | null> {
    const res = await this.fetch('/v1/openai/models', { headers: this.headers() }, 5_000);
    if (!res.ok) throw await this.refusal(res);
    const body = await this.json<{ data?: Array<{ id?: unknown }> }>(res);
    const id = body.data?.[0]?.id;
    return typeof id === 'string' && id ? id : null;
  }

  async feedPage(after: number, limit = 1000): Promise<{ entries: WireEntry[]; next: number; head: number; more: boolean }> {
    const res = await this.fetch(`/v1/feed?after=${after}&limit=${limit}`, { headers: this.headers() });
    if (!res.ok) throw await this.refusal(res);
    return this.json(res);
  }

  /**
   * Streams the snapshot: the header's seq, every entry line as the server sent it (in pages, not
   * parsed: a 100k-customer account is gigabytes of JSON, which the caller stages rather than
   * holds), then the end line's count is checked.
   */
  async snapshotLines(onPage: (lines: string[]) => void, pageSize = 500, idleMs = 60_000): Promise<{ seq: number; count: number }> {
    // A stall, not a total, ends the download: a big account's snapshot may take minutes on a slow
    // link and must not be cut (and fetched again from the start) while bytes keep coming.
    const abort = new AbortController();
    let idle: NodeJS.Timeout | null = null;
    const stillAlive = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => abort.abort(new Error(`no snapshot data came for ${Math.ceil(idleMs / 1000)} s`)), idleMs);
    };
    stillAlive();
    try {
      return await this.readSnapshot(abort.signal, stillAlive, onPage, pageSize);
    } finally {
      if (idle) clearTimeout(idle);
    }
  }

  private async readSnapshot(signal: AbortSignal, stillAlive: () => void, onPage: (lines: string[]) => void, pageSize: number): Promise<{ seq: number; count: number }> {
    const res = await this.fetch('/v1/snapshot', { headers: this.headers(), signal });
    if (!res.ok || !res.body) throw await this.refusal(res);
    // fetch already undoes content-encoding: gzip; a proxy that strips the header leaves gzip bytes.
    const raw = Readable.fromWeb(res.body as never);
    const lines = readline.createInterface({ input: raw, crlfDelay: Infinity });
    type Header = { format?: string; seq?: number };
    type End = { end?: boolean; count?: number };
    let header = null as Header | null;
    let end = null as End | null;
    let count = 0;
    let page: string[] = [];
    try {
      for await (const line of lines) {
        stillAlive();
        if (!line) continue;
        if (!header) {
          const obj = JSON.parse(line) as Header;
          if (obj.format !== 'bsc-team-snapshot/1') throw new AppError('internal', `The team server sent a snapshot this desk cannot read (${String(obj.format).slice(0, 40)}). Update the app.`);
          header = obj;
          continue;
        }
        // Entry lines start with {"seq":…; the end line is the only one with "end" as its first key.
        if (line.startsWith('{"end"')) {
          end = JSON.parse(line) as End;
          break;
        }
        page.push(line);
        count++;
        if (page.length >= pageSize) {
          onPage(page);
          page = [];
        }
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new TeamUnreachableError(err);
    }
    if (page.length) onPage(page);
    if (!header || !end || end.count !== count) throw new TeamUnreachableError(new Error('the snapshot ended early'));
    return { seq: header.seq ?? 0, count };
  }

  /**
   * Follows the live stream from `after`; calls onEntry per change in order. Resolves when the
   * stream ends (server closed it, network lost, or the signal aborted).
   */
  async stream(after: number, onEntry: (e: WireEntry) => void, signal: AbortSignal, onOpen?: () => void, onPresence?: (p: PresenceWire) => void): Promise<{ closedReason: string | null }> {
    let res: Response;
    try {
      res = await fetch(`${this.config.url}/v1/feed/stream?after=${after}`, { headers: this.headers({ accept: 'text/event-stream' }), signal });
    } catch (err) {
      throw new TeamUnreachableError(err);
    }
    if (res.status === 401) throw new TeamSignedOutError('the agent token was refused.');
    if (res.status === 410) throw new TeamSnapshotRequiredError('The team server asks for a new snapshot.');
    if (!res.ok || !res.body) throw new TeamUnreachableError(new Error(`HTTP ${res.status}`));
    onOpen?.();
    const decoder = new TextDecoder();
    let buf = '';
    let closedReason: string | null = null;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const at = line.indexOf(':');
            const k = at < 0 ? line : line.slice(0, at);
            const v = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
            if (k === 'event') event = v;
            else if (k === 'data') data.push(v);
          }
          if (event === 'change') onEntry(JSON.parse(data.join('\n')) as WireEntry);
          else if (event === 'presence') onPresence?.(JSON.parse(data.join('\n')) as PresenceWire);
          else if (event === 'closed') closedReason = (JSON.parse(data.join('\n') || '{}') as { reason?: string }).reason ?? 'closed';
        }
      }
    } catch (err) {
      if (signal.aborted) return { closedReason: null };
      throw new TeamUnreachableError(err);
    }
    return { closedReason };
  }

  /** Says what this desk has open (or, with open: null, that it closed it); the answer is how long that lasts without a heartbeat. */
  async reportPresence(report: PresenceReport): Promise<{ ttlMs: number }> {
    const res = await this.fetch('/v1/presence', { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(report) }, 5_000);
    if (!res.ok) throw await this.refusal(res);
    return this.json<{ ttlMs: number }>(res);
  }

  /**
   * Forwards one contract call with the agent's token. `idempotencyKey` makes a retry after a lost
   * answer safe: the server applies it once and answers the repeat from its record.
   */
  async call<T>(name: string, input: unknown, idempotencyKey?: string): Promise<T> {
    const res = await this.fetch(`/v1/call/${name}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) }),
      body: JSON.stringify(input ?? {}),
    });
    const body = await this.json<CallResult<T>>(res);
    if (body && typeof body === 'object' && 'ok' in body) {
      if (body.ok) return body.value;
      throw new AppError(body.error.code, body.error.message, body.error.details);
    }
    throw new AppError(STATUS_CODES[res.status] ?? 'internal', `The team server answered HTTP ${res.status}.`);
  }

  /** Brings a proposal of this desk's copilot to the server, which a confirm or dismiss then names. */
  async bringProposal(proposal: { proposalId: string; customerId: string; type: string; args: unknown; title: string; reason: string; source: string }): Promise<void> {
    const res = await this.fetch('/v1/copilot/proposals', { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(proposal) });
    if (!res.ok) throw await this.refusal(res);
  }

  private async refusal(res: Response): Promise<AppError> {
    const body = (await res.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
    return new AppError(body?.error?.code ?? STATUS_CODES[res.status] ?? 'internal', body?.error?.message ?? `The team server answered HTTP ${res.status}.`);
  }
}
