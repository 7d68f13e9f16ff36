import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, type CallName } from '../../shared/contract';
import type { CallResult } from '../../shared/contract/errors';
import { STREAM_CHANNELS, type StreamChannel } from '../../shared/contract/streams';
import { IPC_CALL, IPC_COPY, IPC_STREAM } from '../main/ipc-channels';

// The sandboxed preload: exposes `window.billing` (renderer/src/api/bridge.ts BillingBridge) with
// one named function per contract call and one subscribe function per stream channel. It never
// exposes ipcRenderer, a generic invoke/send, or the IPC event object (whose `sender` is
// ipcRenderer). Input validation happens on the main side; this file only carries messages.

type CallFn = (input: unknown) => Promise<CallResult<unknown>>;
type Unsubscribe = () => void;

function callFor(name: CallName): CallFn {
  return async (input) => {
    try {
      return (await ipcRenderer.invoke(IPC_CALL, name, input)) as CallResult<unknown>;
    } catch {
      // Only reached when the input cannot be cloned (functions, DOM nodes) or the main side is gone.
      return { ok: false, error: { code: 'bad_input', message: 'The request could not be sent to the console (it contains something that is not plain data).' } };
    }
  };
}

function subscriberFor(channel: StreamChannel): (listener: (payload: unknown) => void) => Unsubscribe {
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const relay = (_event: IpcRendererEvent, from: unknown, payload: unknown) => {
      if (from === channel) listener(payload);
    };
    ipcRenderer.on(IPC_STREAM, relay);
    return () => {
      ipcRenderer.removeListener(IPC_STREAM, relay);
    };
  };
}

const calls = Object.fromEntries(CALL_NAMES.map((name) => [name, callFor(name)])) as Record<CallName, CallFn>;
const streams = Object.fromEntries(STREAM_CHANNELS.map((channel) => [channel, subscriberFor(channel)])) as Record<StreamChannel, ReturnType<typeof subscriberFor>>;

async function copyText(text: string): Promise<void> {
  if (typeof text !== 'string') throw new TypeError('copyText takes a string');
  await ipcRenderer.invoke(IPC_COPY, text);
}

contextBridge.exposeInMainWorld('billing', Object.freeze({ calls: Object.freeze(calls), streams: Object.freeze(streams), copyText }));
