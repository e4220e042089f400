import type { IncomingMessage, ServerResponse } from 'node:http';
import { InfraredError } from '../errors';
import { sendGraphQLError } from './send';

export class BodyTooLargeError extends InfraredError {
  constructor(readonly limit: number) {
    super('PAYLOAD_TOO_LARGE', `request body exceeds ${limit} bytes`);
  }
}

/** Reads a request body into one buffer, refusing more than `limit` bytes without buffering them. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A GraphQL route's request body: its bytes, or undefined once a 413 `PAYLOAD_TOO_LARGE` answer
 * has been sent for a body over `limit`.
 *
 * @example
 * const rawBody = await readBodyOrRefuse(req, res, maxBodyBytes);
 * if (!rawBody) return; // refused with 413
 */
export async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (!(err instanceof BodyTooLargeError)) throw err;
    sendGraphQLError(res, 413, 'PAYLOAD_TOO_LARGE', err.message, {}, req);
    return undefined;
  }
}
