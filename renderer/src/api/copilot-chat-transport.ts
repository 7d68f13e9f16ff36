import type { ChatTransport, UIMessage, UIMessageChunk } from 'ai';
import type { CopilotDataParts, CopilotLength, CopilotTone } from '../../../shared/contract/copilot';
import type { CopilotChunk } from '../../../shared/contract/streams';
import { api } from './client';

// The copilot chat's transport (the one streaming call, so it lives beside the client, not in a
// component). useChat's transport over the app's own channel: 'copilot.chat' starts a reply and returns its
// stream id; the AI SDK UI message chunks arrive on the 'copilot.chunk' push channel (Electron IPC
// or the harness's server-sent events) and are fed to useChat in order. Chunks that arrive before
// the id is known are held; a gap (the event stream connected late, or dropped a frame) is filled
// from 'copilot.resume'. Stopping aborts the provider request through 'copilot.cancel'.

export type CopilotUIMessage = UIMessage<unknown, { [K in keyof CopilotDataParts]: CopilotDataParts[K] }>;

export interface CopilotRequestContext {
  customerId: string | null;
  tone: CopilotTone;
  length: CopilotLength;
}

const MAX_TURNS = 12;

/** The conversation as plain turns: the services rebuild everything else from the data. */
export function toTurns(messages: CopilotUIMessage[]): Array<{ role: 'user' | 'assistant'; text: string }> {
  return messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({
      role: m.role as 'user' | 'assistant',
      text: m.parts
        .map((p) => (p.type === 'text' ? p.text : ''))
        .join('')
        .slice(0, 20_000),
    }))
    .filter((t) => t.text.trim())
    .slice(-MAX_TURNS);
}

export class CopilotChatTransport implements ChatTransport<CopilotUIMessage> {
  constructor(private readonly context: () => CopilotRequestContext) {}

  async sendMessages({ messages, abortSignal }: Parameters<ChatTransport<CopilotUIMessage>['sendMessages']>[0]): Promise<ReadableStream<UIMessageChunk>> {
    const { customerId, tone, length } = this.context();
    if (!customerId) throw new Error('Open a customer first: the copilot answers for the customer on screen.');
    let streamId: string | null = null;
    let next = 0;
    let closed = false;
    let resuming = false;
    const early: CopilotChunk[] = [];
    const held = new Map<number, CopilotChunk>();
    let controller!: ReadableStreamDefaultController<UIMessageChunk>;

    const finish = () => {
      closed = true;
      unsubscribe();
      try {
        controller.close();
      } catch {
        /* already closed by the reader */
      }
    };
    const catchUp = () => {
      if (!streamId || resuming || closed) return;
      resuming = true;
      api
        .call('copilot.resume', { streamId, fromSeq: next })
        .then((r) => r.chunks.forEach(deliver))
        .catch(() => undefined)
        .finally(() => {
          resuming = false;
        });
    };
    const deliver = (c: CopilotChunk) => {
      if (closed || c.streamId !== streamId) return;
      const seq = c.seq ?? next;
      if (seq < next) return;
      held.set(seq, c);
      while (held.has(next)) {
        const x = held.get(next)!;
        held.delete(next);
        next++;
        if (x.done) return finish();
        controller.enqueue(x.chunk as UIMessageChunk);
      }
      if (held.size > 0) catchUp();
    };
    const unsubscribe = api.on('copilot.chunk', (c) => (streamId ? deliver(c) : early.push(c)));
    const stream = new ReadableStream<UIMessageChunk>({
      start(c) {
        controller = c;
      },
      cancel() {
        if (streamId && !closed) void api.call('copilot.cancel', { streamId }).catch(() => undefined);
        closed = true;
        unsubscribe();
      },
    });
    try {
      ({ streamId } = await api.call('copilot.chat', { customerId, messages: toTurns(messages), tone, length }));
    } catch (err) {
      unsubscribe();
      throw err;
    }
    abortSignal?.addEventListener('abort', () => {
      if (streamId && !closed) void api.call('copilot.cancel', { streamId }).catch(() => undefined);
    }, { once: true });
    early.forEach(deliver);
    // The event stream may have connected after the first chunks went out: fetch them.
    catchUp();
    return stream;
  }

  async reconnectToStream(): Promise<ReadableStream<UIMessageChunk> | null> {
    return null;
  }
}
