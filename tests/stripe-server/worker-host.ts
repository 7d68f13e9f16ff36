import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RequestLogEntry, StripeServerOptions } from './index';

// Runs the test server in a worker thread and talks to it by messages. Used where the server's
// timing must not depend on the client's event loop (the rate-cap acceptance test, the bench).

export interface RemoteStripeServer {
  url: string;
  port: number;
  call<T = unknown>(op: string, ...args: unknown[]): Promise<T>;
  requests(): Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startStripeServerWorker(opts: Pick<StripeServerOptions, 'port' | 'accountId' | 'accountName' | 'faultSeed' | 'apiKeys' | 'latency' | 'restrictedKeys'> = {}): Promise<RemoteStripeServer> {
  const worker = new Worker(path.join(here, 'worker-entry.mjs'), { workerData: opts });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    const onMessage = (m: { ready?: boolean; url: string; port: number }) => {
      if (m.ready) {
        worker.off('message', onMessage);
        resolve(m);
      }
    };
    worker.on('message', onMessage);
  });
  worker.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error));
    else p.resolve(m.result);
  });
  const call = <T>(op: string, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, args });
    });
  return {
    url: ready.url,
    port: ready.port,
    call,
    requests: () => call<RequestLogEntry[]>('requests'),
    close: async () => {
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage('close');
        setTimeout(resolve, 2_000).unref();
      });
      await worker.terminate();
    },
  };
}
