import { APP_ENTRY_URL } from '../../electron/main/app-protocol';

// Stand-ins for the bits of Electron the IPC adapter touches, so electron/main/ipc-adapter.ts runs
// under Node. Tests do `vi.mock('electron', () => fakeElectronModule(state))` with a hoisted state.

export interface FakeIpcState {
  handlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  clipboard: string[];
  /** When set, the system clipboard refuses writes with this message (another app holds it). */
  clipboardRefuses: string | null;
}

export function newFakeIpcState(): FakeIpcState {
  return { handlers: new Map(), clipboard: [], clipboardRefuses: null };
}

export function fakeElectronModule(state: FakeIpcState) {
  return {
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
        if (state.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        state.handlers.set(channel, fn);
      },
      removeHandler: (channel: string) => state.handlers.delete(channel),
    },
    // Asynchronous like Electron's own (a Promise<void> since Electron 45).
    clipboard: {
      writeText: async (text: string) => {
        if (state.clipboardRefuses) throw new Error(state.clipboardRefuses);
        state.clipboard.push(text);
      },
    },
  };
}

/** The app window as the adapter sees it; `sent` records every webContents.send. */
export function fakeWindow(contentsId = 1) {
  const sent: unknown[][] = [];
  let destroyed = false;
  return {
    sent,
    destroy: () => (destroyed = true),
    window: {
      isDestroyed: () => destroyed,
      webContents: { id: contentsId, isDestroyed: () => destroyed, send: (...args: unknown[]) => sent.push(args) },
    },
  };
}

/** An IPC event as Electron builds it: the sending frame and its webContents. */
export function ipcEvent(opts: { url?: string; subframe?: boolean; contentsId?: number; noFrame?: boolean } = {}) {
  const top = { url: opts.url ?? APP_ENTRY_URL, parent: null };
  const frame = opts.noFrame ? null : opts.subframe ? { url: opts.url ?? APP_ENTRY_URL, parent: top } : top;
  return { senderFrame: frame, sender: { id: opts.contentsId ?? 1 } };
}
