import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphqlContentType, JSON_TYPE } from './negotiate';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * A GraphQL-shaped error response for failures that happen before GraphQL execution. With the
 * request, its content type follows the client's `Accept` (negotiate.ts), as Apollo's own answers do.
 */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}, req?: IncomingMessage): void {
  const type = req ? (graphqlContentType(req) ?? JSON_TYPE) : JSON_TYPE;
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, { 'content-type': type, ...headers });
}
