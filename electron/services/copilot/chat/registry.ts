import crypto from 'node:crypto';
import type { UIMessageChunk } from 'ai';
import type { CopilotChunk } from '../../../../shared/contract/streams';
import { AppError } from '../../../../shared/contract/errors';
import type { StreamHub } from '../../core/events';

// Running copilot streams. Each chunk is pushed on 'copilot.chunk' with its position, and kept
// until the stream has been over for a while, so a subscriber that attached late (the harness's
// event stream connects asynchronously) fetches what it missed with 'copilot.resume' instead of
// losing the start of a draft. Cancel aborts the provider request through the stream's signal.

interface Entry {
  controller: AbortController;
  chunks: CopilotChunk[];
  done: boolean;
  endedAt: number | null;
}

const MAX_ACTIVE = 6;
const KEEP_FINISHED_MS = 5 * 60_000;
const MAX_FINISHED = 20;

export class StreamRegistry {
  private readonly streams = new Map<string, Entry>();

  constructor(
    private readonly hub: StreamHub,
    private readonly now: () => number,
  ) {}

  private prune(): void {
    const finished = [...this.streams.entries()].filter(([, e]) => e.done);
    for (const [id, e] of finished) if (e.endedAt != null && this.now() - e.endedAt > KEEP_FINISHED_MS) this.streams.delete(id);
    const left = [...this.streams.entries()].filter(([, e]) => e.done);
    for (const [id] of left.slice(0, Math.max(0, left.length - MAX_FINISHED))) this.streams.delete(id);
  }

  /** Registers a stream; the returned signal aborts when the agent cancels (or the services close). */
  open(): { streamId: string; signal: AbortSignal } {
    this.prune();
    const active = [...this.streams.values()].filter((e) => !e.done).length;
    if (active >= MAX_ACTIVE) throw new AppError('conflict', `${active} copilot replies are still streaming. Stop one or wait for it to finish.`);
    const streamId = `cs_${crypto.randomBytes(12).toString('hex')}`;
    const controller = new AbortController();
    this.streams.set(streamId, { controller, chunks: [], done: false, endedAt: null });
    return { streamId, signal: controller.signal };
  }

  private push(streamId: string, chunk: unknown, done: boolean): void {
    const e = this.streams.get(streamId);
    if (!e || e.done) return;
    const msg: CopilotChunk = { streamId, seq: e.chunks.length, chunk, ...(done ? { done: true } : {}) };
    e.chunks.push(msg);
    if (done) {
      e.done = true;
      e.endedAt = this.now();
    }
    this.hub.emit('copilot.chunk', msg);
  }

  /** Reads a UI message stream to its end, publishing every chunk; never throws. */
  async pump(streamId: string, stream: ReadableStream<UIMessageChunk>, onFailure: (err: unknown) => string): Promise<void> {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        this.push(streamId, value, false);
      }
    } catch (err) {
      this.push(streamId, { type: 'error', errorText: onFailure(err) }, false);
    } finally {
      this.push(streamId, null, true);
    }
  }

  cancel(streamId: string): boolean {
    const e = this.streams.get(streamId);
    if (!e || e.done) return false;
    e.controller.abort(new DOMException('Stopped by the agent.', 'AbortError'));
    return true;
  }

  resume(streamId: string, fromSeq: number): { chunks: CopilotChunk[]; done: boolean } {
    const e = this.streams.get(streamId);
    if (!e) throw new AppError('not_found', 'This copilot reply is no longer available. Ask again.');
    return { chunks: e.chunks.slice(fromSeq), done: e.done };
  }

  closeAll(): void {
    for (const e of this.streams.values()) if (!e.done) e.controller.abort(new DOMException('The console is closing.', 'AbortError'));
  }
}
