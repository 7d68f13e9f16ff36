import net from 'node:net';

// A loopback TCP proxy in front of the team server that a test can cut and restore, so a desk
// loses its server (connections dropped, new ones refused) while the server itself keeps running.
// `dropResponses` lets requests through but drops the connection before the answer comes back:
// the server applied the write, the desk never heard (the "server died mid-write" case).

export interface CuttableProxy {
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  /** While set, bytes from the server are swallowed and the connection closed after the first chunk. */
  dropResponses: boolean;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const t = new URL(target);
  const sockets = new Set<net.Socket>();
  let port = 0;
  let server: net.Server | null = null;
  const proxy: CuttableProxy = {
    url: '',
    dropResponses: false,
    async cut() {
      const s = server;
      server = null;
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    async restore() {
      if (!server) await listen();
    },
    async close() {
      await proxy.cut();
    },
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(Number(t.port), t.hostname);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('data', (d) => upstream.write(d));
        upstream.on('data', (d) => {
          if (proxy.dropResponses) return drop();
          client.write(d);
        });
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  await listen();
  proxy.url = `http://127.0.0.1:${port}`;
  return proxy;
}
