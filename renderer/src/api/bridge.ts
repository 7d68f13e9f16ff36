import type { CallName, CallResult, StreamChannel, StreamPayloads } from '../../../shared/contract';

/**
 * What the preload exposes on `window.billing` in the Electron app: one named function per call
 * and one subscribe function per stream channel — never ipcRenderer itself.
 */
export interface BillingBridge {
  calls: Record<CallName, (input: unknown) => Promise<CallResult<unknown>>>;
  streams: Record<StreamChannel, (listener: (payload: StreamPayloads[StreamChannel]) => void) => () => void>;
  /** Writes text to the system clipboard from the main side (the renderer's clipboard API needs focus). */
  copyText?: (text: string) => Promise<void>;
}

declare global {
  interface Window {
    billing?: BillingBridge;
  }
}
