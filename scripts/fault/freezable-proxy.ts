import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FreezableProxy {
  /** `127.0.0.1:port` of the proxy, to put in a connection URL instead of the real host. */
  host: string;
  port: number;
  /** Stops moving bytes both ways and holds new connections unanswered: a hung server, connection still open. */
  freeze(): void;
  /** Moves bytes again and serves the held connections. */
  thaw(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a real server (PostgreSQL, Redis) that can be frozen like SIGSTOP freezes a
 * process, without touching the shared server itself: open connections stay open but nothing moves,
 * and new connections are accepted but never answered.
 */
export async function freezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const held: Socket[] = [];
  const link = (client: Socket) => {
    const upstream = connect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };
  const server: Server = createServer((client) => {
    if (frozen) {
      client.pause();
      client.on('error', () => client.destroy());
      held.push(client);
    } else link(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    freeze() {
      frozen = true;
      for (const pair of pairs) for (const s of pair) s.pause();
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) for (const s of pair) s.resume();
      for (const client of held.splice(0)) {
        if (client.destroyed) continue;
        link(client);
        client.resume();
      }
    },
    async close() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      for (const c of held) c.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The same URL, through the proxy. */
export function viaProxy(url: string, proxy: FreezableProxy): string {
  const u = new URL(url);
  u.hostname = proxy.host;
  u.port = String(proxy.port);
  return u.toString();
}
