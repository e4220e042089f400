import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface FreezableProxy {
  /** host:port that forwards to the target. */
  port: number;
  /** Stops forwarding in both directions and holds new connections, without closing anything (a hung peer). */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that can freeze: connections stay open while no byte moves, the way a
 * stopped (SIGSTOP) database or a dead network path looks to a client. Used to hang one
 * member's database without touching the PostgreSQL that others share.
 */
export async function freezableProxy(target: { host: string; port: number }): Promise<FreezableProxy> {
  let frozen = false;
  const pairs = new Set<[Socket, Socket]>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    // paused sockets emit no data: freezing is pausing both sides of every pair
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => client.write(d));
    if (frozen) for (const s of pair) s.pause();
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const pause = (on: boolean) => {
    for (const pair of pairs)
      for (const s of pair)
        if (on) s.pause();
        else s.resume();
  };
  return {
    port: (server.address() as { port: number }).port,
    freeze() {
      if (frozen) return;
      frozen = true;
      pause(true);
    },
    thaw() {
      if (!frozen) return;
      frozen = false;
      pause(false);
    },
    async close() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
