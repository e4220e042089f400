import type { Readable } from 'node:stream';

/** An answer that went past its byte cap; the stream was destroyed at the cap. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`answer larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a response body (an undici body stream) into memory, counting bytes as they arrive and
 * destroying the stream the moment the count passes `maxBytes`: a member that sends an endless or
 * huge answer costs at most `maxBytes` (plus one chunk) of memory, never the whole answer.
 * @example
 * const res = await request(url, { signal: AbortSignal.timeout(2000) });
 * const text = (await readCappedBody(res.body, 10_000)).toString('utf8');
 * // a fetch() body (a web ReadableStream) works too
 */
export async function readCappedBody(body: Readable | ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      bytes += buf.length;
      if (bytes > maxBytes) throw new BodyTooLargeError(maxBytes);
      chunks.push(buf);
    }
  } catch (err) {
    if ('destroy' in body) body.destroy();
    else await body.cancel().catch(() => undefined);
    throw err;
  }
  return Buffer.concat(chunks, bytes);
}
