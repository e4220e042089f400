import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The content type of a GraphQL answer for this request's `Accept`, chosen as Apollo Server
 * chooses it (negotiator over the same two types): `application/json` without an `Accept`, the
 * client's preference otherwise, and undefined when it accepts neither (Apollo answers 406).
 * Answers the gateway writes itself (401, 413, 429, cache hits) use it too, so a client that
 * asked for `application/graphql-response+json` gets it on every path (the GraphQL over HTTP
 * spec; Apollo Client 4 keeps the errors of a non-2xx answer only with that type).
 */
export function graphqlContentType(req: IncomingMessage): string | undefined {
  const accept = req.headers.accept;
  if (!accept) return JSON_TYPE;
  if (accept.length > MAX_REMEMBERED_ACCEPT) return negotiate(accept);
  let chosen = negotiated.get(accept);
  if (chosen === undefined) {
    if (negotiated.size >= MAX_REMEMBERED_ACCEPTS) negotiated.clear();
    negotiated.set(accept, (chosen = negotiate(accept) ?? null));
  }
  return chosen ?? undefined;
}

function negotiate(accept: string): string | undefined {
  return new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]) ?? undefined;
}

/**
 * The choice per exact Accept value: clients send the same few over and over (a gateway one,
 * every sub-request), and negotiating parses the header and both types each time. Bounded: the
 * header is the client's, so the map starts over when full, and long values are not kept.
 */
const negotiated = new Map<string, string | null>();
const MAX_REMEMBERED_ACCEPTS = 256;
const MAX_REMEMBERED_ACCEPT = 512;

const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Apollo Server's CSRF prevention, for answers served without it (cache hits): a request is safe
 * when a browser would have sent a CORS preflight for it, that is when its content type is not
 * one a plain HTML form can send, or it carries `x-apollo-operation-name` or
 * `apollo-require-preflight`.
 */
export function passesCsrfPrevention(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const essence = type.split(';')[0].trim().toLowerCase();
    if (!SIMPLE_TYPES.has(essence) && /^[\w.+-]+\/[\w.+-]+$/.test(essence)) return true;
  }
  return ['x-apollo-operation-name', 'apollo-require-preflight'].some((h) => {
    const v = req.headers[h];
    return typeof v === 'string' && v.length > 0;
  });
}
