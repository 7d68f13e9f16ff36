import net from 'node:net';
import dns from 'node:dns';

// What left the process, seen at the network layer rather than in a stand-in server's own log: every
// outgoing TCP connect (node:http, undici's fetch, tls all end in net.Socket#connect) and every DNS
// lookup, with where it was headed. A request that never reached the loopback server - a connection
// to another host, a failed lookup - is recorded too.

export interface OutgoingAttempt {
  kind: 'connect' | 'lookup';
  /** host:port for a connect (or the unix path), the host name for a lookup. */
  target: string;
}

export interface NetworkRecorder {
  attempts: OutgoingAttempt[];
  stop(): void;
}

function targetOf(args: unknown[]): string {
  const first = args[0] as unknown;
  const [opts] = Array.isArray(first) ? (first as unknown[]) : [first];
  if (opts && typeof opts === 'object') {
    const o = opts as { host?: string; hostname?: string; port?: number | string; path?: string };
    if (o.path) return `unix:${o.path}`;
    return `${o.host ?? o.hostname ?? 'localhost'}:${o.port ?? '?'}`;
  }
  if (typeof opts === 'number' || (typeof opts === 'string' && /^\d+$/.test(opts))) return `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${opts}`;
  return `unix:${String(opts)}`;
}

export function recordNetwork(): NetworkRecorder {
  const attempts: OutgoingAttempt[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const lookupPromise = dns.promises.lookup;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push({ kind: 'connect', target: targetOf(args) });
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  (dns as { lookup: unknown }).lookup = function (host: string, ...rest: unknown[]) {
    attempts.push({ kind: 'lookup', target: String(host) });
    return (lookup as (...a: unknown[]) => unknown)(host, ...rest);
  };
  (dns.promises as { lookup: unknown }).lookup = function (host: string, ...rest: unknown[]) {
    attempts.push({ kind: 'lookup', target: String(host) });
    return (lookupPromise as (...a: unknown[]) => unknown)(host, ...rest);
  };
  return {
    attempts,
    stop() {
      net.Socket.prototype.connect = connect;
      (dns as { lookup: unknown }).lookup = lookup;
      (dns.promises as { lookup: unknown }).lookup = lookupPromise;
    },
  };
}
