import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, STREAM_CHANNELS } from '../../shared/contract';
import { IPC_CALL, IPC_COPY, IPC_STREAM } from '../../electron/main/ipc-channels';

// The preload with contextBridge and ipcRenderer replaced by recorders: what exactly does the
// renderer get on window.billing, and what does each function send?

const fake = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as unknown[][],
  renderer: null as unknown as import('node:events').EventEmitter,
  invokeResult: undefined as unknown,
  invokeThrows: null as Error | null,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  fake.renderer = new Emitter();
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        fake.invoked.push(args);
        if (fake.invokeThrows) throw fake.invokeThrows;
        return fake.invokeResult;
      },
      on: (channel: string, fn: (...a: unknown[]) => void) => fake.renderer.on(channel, fn),
      removeListener: (channel: string, fn: (...a: unknown[]) => void) => fake.renderer.removeListener(channel, fn),
    },
  };
});

type Bridge = {
  calls: Record<string, (input: unknown) => Promise<unknown>>;
  streams: Record<string, (listener: (payload: unknown) => void) => () => void>;
  copyText: (text: string) => Promise<void>;
};

describe('preload: window.billing', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    await import('../../electron/preload/preload');
    bridge = fake.exposed.get('billing') as Bridge;
  });

  it('exposes only `billing`, with named calls, stream subscriptions and copyText — no raw IPC', () => {
    expect([...fake.exposed.keys()]).toEqual(['billing']);
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'copyText', 'streams']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...CALL_NAMES].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...STREAM_CHANNELS].sort());
    const everything = JSON.stringify(Object.keys(bridge.calls)) + Object.keys(bridge).join();
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on']) expect(everything.split(/[",]/)).not.toContain(forbidden);
    expect(Object.isFrozen(bridge) && Object.isFrozen(bridge.calls) && Object.isFrozen(bridge.streams)).toBe(true);
  });

  it('each call sends its own name on the one call channel', async () => {
    fake.invoked.length = 0;
    fake.invokeResult = { ok: true, value: 1 };
    expect(await bridge.calls['customers.search']!({ query: 'x' })).toEqual({ ok: true, value: 1 });
    expect(fake.invoked).toEqual([[IPC_CALL, 'customers.search', { query: 'x' }]]);
  });

  it('an input that cannot be sent becomes a typed error, not an exception', async () => {
    fake.invokeThrows = new Error('An object could not be cloned.');
    expect(await bridge.calls['workspace.status']!({ f: () => 1 })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    fake.invokeThrows = null;
  });

  it('a subscription gets only its channel and only the payload (never the IPC event), and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.streams['sync.progress']!((p) => got.push(p));
    const sender = { sender: 'ipcRenderer would be here' };
    fake.renderer.emit(IPC_STREAM, sender, 'sync.progress', { phase: 'backfill' });
    fake.renderer.emit(IPC_STREAM, sender, 'data.changed', { kinds: [] });
    expect(got).toEqual([{ phase: 'backfill' }]);
    off();
    fake.renderer.emit(IPC_STREAM, sender, 'sync.progress', { phase: 'idle' });
    expect(got).toHaveLength(1);
    expect((fake.renderer as EventEmitter).listenerCount(IPC_STREAM)).toBe(0);
  });

  it('copyText sends strings only', async () => {
    fake.invoked.length = 0;
    await bridge.copyText('cus_1');
    expect(fake.invoked).toEqual([[IPC_COPY, 'cus_1']]);
    await expect(bridge.copyText(5 as unknown as string)).rejects.toThrow(TypeError);
  });
});
