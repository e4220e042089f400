import { sendJson } from '../../../common/http/send';
import type { RouteHandler } from '../../../common/http/server';
import { SCHEMA_VERSION } from '../../../schema/version';
import type { RegistryTrustStatus } from '../../../common/registry/registry-trust';

/** `/health`: the process answers. */
export const healthRoute: RouteHandler = (_req, res) => sendJson(res, 200, { status: 'ok' });

/**
 * `/ready`: the contract version and the registry's size (while draining, the server answers 503
 * itself). A degraded Redis keeps the replica in rotation (it serves on local state) but says so.
 */
export function readyRoute(memberCount: () => number, redis?: { degraded: boolean }, registry?: () => RegistryTrustStatus): RouteHandler {
  return (_req, res) =>
    sendJson(res, 200, {
      status: redis?.degraded ? 'degraded' : 'ready',
      schemaVersion: SCHEMA_VERSION,
      members: memberCount(),
      ...(redis ? { redis: redis.degraded ? 'degraded' : 'ok' } : {}),
      ...(registry ? { registry: registry() } : {}),
    });
}

/**
 * `/schema.graphql`: the network contract as SDL, what introspection tells, for anyone
 * (introspection itself needs a token in production).
 */
export function schemaRoute(published: () => string): RouteHandler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'max-age=300' });
    res.end(published());
  };
}
