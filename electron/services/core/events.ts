import type { StreamChannel, StreamPayloads } from '../../../shared/contract/streams';

export type StreamListener = <C extends StreamChannel>(channel: C, payload: StreamPayloads[C]) => void;

/** Fan-out of stream messages to whichever transports are attached (IPC window, harness SSE clients, CLI). */
export class StreamHub {
  private readonly listeners = new Set<StreamListener>();

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<C extends StreamChannel>(channel: C, payload: StreamPayloads[C]): void {
    for (const l of this.listeners) l(channel, payload);
  }
}
