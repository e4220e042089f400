import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;

const IDLE = 0x49; // 'I'

/**
 * The transaction status of the ReadyForQuery message that ends a reply ('I' idle, 'T' in a
 * transaction, 'E' failed transaction), or undefined when the exchange is not over yet.
 */
export function readyForQueryStatus(reply: Uint8Array): number | undefined {
  const n = reply.length;
  if (n < 6 || reply[n - 6] !== 0x5a) return undefined;
  if (reply[n - 5] !== 0 || reply[n - 4] !== 0 || reply[n - 3] !== 0 || reply[n - 2] !== 5) return undefined;
  return reply[n - 1];
}

/** A FIFO mutex: one PostgreSQL protocol exchange at a time. */
class ExchangeLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return ready;
  }
}

/**
 * Serves one PGlite database to many PostgreSQL wire-protocol clients. PGlite is a single
 * session, so clients must take turns: a client holds the database from its first message until
 * a reply ends with ReadyForQuery in the idle state, so an extended-protocol exchange and an
 * explicit transaction are never interleaved with another client's messages. The upstream socket server (@electric-sql/pglite-socket
 * 0.0.x and 0.2.x) interleaves extended-protocol messages of different clients, which fails with
 * "portal does not exist" under concurrency; this one does not.
 */
export class PGliteServer {
  private readonly lock = new ExchangeLock();
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  constructor(private readonly db: PGlite) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer: Buffer = Buffer.alloc(0);
    let startedUp = false;
    let release: (() => void) | undefined;
    let chain: Promise<void> = Promise.resolve();

    const next = (): Buffer | undefined => {
      if (!startedUp) {
        if (buffer.length < 8) return undefined;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return undefined;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        return message;
      }
      if (buffer.length < 5) return undefined;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) return undefined;
      const message = buffer.subarray(0, length);
      buffer = buffer.subarray(length);
      return message;
    };

    const drain = async () => {
      for (let message = next(); message; message = next()) {
        if (!startedUp) {
          const code = message.readInt32BE(4);
          if (code === SSL_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
        }
        const type = startedUp ? String.fromCharCode(message[0]) : 'startup';
        if (type === 'X') {
          socket.end();
          return;
        }
        if (!release) release = await this.lock.acquire();
        const reply = await this.db.execProtocolRaw(new Uint8Array(message));
        if (reply.length && socket.writable) socket.write(reply);
        startedUp = true;
        if (readyForQueryStatus(reply) === IDLE) {
          release();
          release = undefined;
        }
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      chain = chain.then(drain).catch(() => void socket.destroy());
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      chain = chain.then(async () => {
        if (!release) return;
        try {
          if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
        } finally {
          release();
          release = undefined;
        }
      });
    });
  }
}
