// Typed push channels from the services to the renderer. Each transport (IPC, harness SSE)
// delivers `{channel, payload}`; the renderer subscribes by channel name.

export interface SyncProgress {
  accountId: string;
  phase: 'idle' | 'backfill' | 'events' | 'offline' | 'error';
  resource?: string;
  objects: number;
  pages: number;
  requestsPerSecond: number;
  /** Seconds left, when it can be estimated. */
  etaSeconds: number | null;
  message?: string;
}

export interface DataChanged {
  accountId: string;
  /** Which kinds of rows changed: views refresh only what they show. */
  kinds: Array<'customers' | 'subscriptions' | 'invoices' | 'payment_methods' | 'dunning' | 'notes' | 'portal_links' | 'audit' | 'accounts' | 'kb' | 'presence'>;
  customerIds?: string[];
}

export interface CopilotChunk {
  streamId: string;
  /** Position in the stream from 0 (always set by the copilot service): lets a late subscriber ask for what it missed ('copilot.resume'). */
  seq?: number;
  /** One AI SDK UI message chunk, or the end marker. */
  chunk: unknown;
  done?: boolean;
}

/** Whether Stripe can be reached for an account, from the sync's own requests (sent on every change). */
export interface ConnectivityChange {
  accountId: string;
  online: boolean;
  /** Why offline, in words; null when online. */
  message: string | null;
}

export interface StreamPayloads {
  'sync.progress': SyncProgress;
  'data.changed': DataChanged;
  'copilot.chunk': CopilotChunk;
  connectivity: ConnectivityChange;
}

export type StreamChannel = keyof StreamPayloads;
export const STREAM_CHANNELS: readonly StreamChannel[] = ['sync.progress', 'data.changed', 'copilot.chunk', 'connectivity'];
