import type { MikroORM } from '@mikro-orm/postgresql';
import type { IncomingMessage } from 'node:http';
import { ASSERTION_HEADER, BATCH_ASSERTION_FORM } from '../../../../common/auth/assertion';
import { sendJson } from '../../../../common/http/send';
import type { RouteHandler } from '../../../../common/http/server';
import type { Logger } from '../../../../common/logger';
import { SCHEMA_VERSION } from '../../../../schema/version';
import type { GatewayProbeAnswer } from '../access/trust';

class ReadyTimeout extends Error {}

/** The assertion forms this member verifies: the classic one, and the batch form (one signature per fan-out). */
const ASSERTION_FORMS = ['single', BATCH_ASSERTION_FORM];

/**
 * `GET /ready`: 200 when the member's database answers within `timeoutMs`, else 503 (a database
 * that hangs is as unready as one that is down). When a gateway sends a signed assertion with the
 * probe, the answer also says whether this member accepts it: `gateway: "trusted" | "refused" |
 * "unverified"` (no `gateway` when it could not be checked in time: the replay check uses the
 * database). A ready answer names the assertion forms this member accepts (`assertionForms`): the
 * gateway sends batch assertions only to members that name `merkle-batch-v1`. The refusal's reason goes to this member's log, once per change, never to the answer.
 */
export function readyRoute(opts: {
  memberId: string;
  orm: MikroORM;
  timeoutMs: number;
  probeGateway?: (req: IncomingMessage) => Promise<GatewayProbeAnswer>;
  /** The registry version in force and the last refused one (registry-trust.ts). */
  registry?: () => unknown;
  logger: Logger;
}): RouteHandler {
  let lastRefusal: string | undefined;
  const gatewayVerdict = async (req: IncomingMessage): Promise<Record<string, string>> => {
    if (!req.headers[ASSERTION_HEADER]) return {};
    if (!opts.probeGateway) return { gateway: 'unverified' };
    const answer = await opts.probeGateway(req);
    if (answer.gateway === 'unknown') return {};
    if (answer.gateway === 'refused' && answer.reason !== lastRefusal)
      opts.logger.warn({ reason: answer.reason }, "a gateway's health probe was refused: its callers' sub-requests will be refused too");
    lastRefusal = answer.gateway === 'refused' ? answer.reason : undefined;
    return { gateway: answer.gateway };
  };
  return async (req, res) => {
    // both bounded by the same timeout, side by side: the probe's replay check uses the database too
    const [ready, verdict] = await Promise.all([
      withinTimeout(opts.orm.em.getConnection().execute('select 1'), opts.timeoutMs).then(
        () => true,
        () => false,
      ),
      withinTimeout(gatewayVerdict(req), opts.timeoutMs).catch(() => ({})),
    ]);
    const registry = opts.registry ? { registry: opts.registry() } : {};
    if (ready) sendJson(res, 200, { status: 'ready', member: opts.memberId, schemaVersion: SCHEMA_VERSION, assertionForms: ASSERTION_FORMS, ...verdict, ...registry });
    else sendJson(res, 503, { status: 'database unavailable', member: opts.memberId, assertionForms: ASSERTION_FORMS, ...verdict, ...registry });
  };
}

/** The promise's outcome, or a ReadyTimeout rejection after `ms`. */
async function withinTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ReadyTimeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
