import type { CallName, CallResult, StreamChannel, StreamPayloads } from '../../../shared/contract';

export interface Transport {
  call(name: CallName, input: unknown): Promise<CallResult<unknown>>;
  subscribe<C extends StreamChannel>(channel: C, listener: (payload: StreamPayloads[C]) => void): () => void;
  kind: 'electron' | 'harness';
}

/** Electron: the preload's named functions. */
function electronTransport(): Transport {
  const bridge = window.billing!;
  return {
    kind: 'electron',
    call: (name, input) => {
      const fn = bridge.calls[name];
      return fn ? fn(input) : Promise.resolve({ ok: false, error: { code: 'unknown_call', message: `Unknown call: ${name}` } });
    },
    subscribe: (channel, listener) => bridge.streams[channel](listener as never),
  };
}

/** Web harness: the same calls over loopback HTTP, streams over Server-Sent Events. */
function harnessTransport(): Transport {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('harness-token', fromUrl);
    // Keep the token out of the address bar (and out of screenshots and shared URLs).
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (rest ? `?${rest}` : '') + window.location.hash);
  }
  const token = fromUrl ?? sessionStorage.getItem('harness-token') ?? '';
  const listeners = new Map<StreamChannel, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`/api/stream?token=${encodeURIComponent(token)}`);
    source.onmessage = (ev) => {
      const { channel, payload } = JSON.parse(ev.data) as { channel: StreamChannel; payload: unknown };
      listeners.get(channel)?.forEach((l) => l(payload));
    };
  };
  return {
    kind: 'harness',
    async call(name, input) {
      try {
        const res = await fetch(`/api/call/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as CallResult<unknown>;
      } catch {
        return { ok: false, error: { code: 'offline', message: 'The console service is not reachable. Is `npm run web` still running?' } };
      }
    },
    subscribe(channel, listener) {
      ensureSource();
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set!.delete(listener as (p: unknown) => void);
    },
  };
}

export const transport: Transport = typeof window !== 'undefined' && window.billing ? electronTransport() : harnessTransport();
