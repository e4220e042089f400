import { request, type Dispatcher } from 'undici';
import { ANONYMOUS } from '../../../common/caller';
import { ASSERTION_HEADER, BATCH_ASSERTION_FORM, signAssertion } from '../../../common/auth/assertion';
import type { PrivateJwk } from '../../../common/auth/keys';
import type { RegistryMember } from '../../../common/registry/registry.schema';
import { readCappedBody } from '../http/read-capped-body';

/** Whether the member accepts this gateway's signed assertions, as its `/ready` says. */
export type GatewayTrust = 'trusted' | 'refused' | 'unverified';

export interface ReadyProbeResult {
  /** The member answered at all (any HTTP status). */
  reachable: boolean;
  /** Its own `/ready`: 200 means its database answers; 503 means it does not. */
  ready: boolean;
  schemaVersion: string | null;
  /** Null when this gateway signs nothing (no key) or the member did not say. */
  trust: GatewayTrust | null;
  latencyMs: number;
  /** The member names the batch assertion form (`assertionForms`) among those it verifies. */
  batchAssertions: boolean;
}

/** Health answers are small JSON objects; anything longer is refused. */
export const MAX_READY_BYTES = 16_384;
/** SDLs of the network contract are ~20 KB; a member's may be larger, but never unbounded. */
export const MAX_SDL_BYTES = 1_000_000;
const SDL_QUERY = JSON.stringify({ query: '{ _service { sdl } }' });

/** `http://host/x/graphql` → `http://host/x/ready` (or another sibling path). */
export function siblingUrl(graphqlUrl: string, path: 'ready' | 'health'): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/' + path;
  url.search = '';
  return url.toString();
}

/**
 * Asks a member's `/ready` (its database) and, when this gateway has a signing key, sends a fresh
 * signed assertion with it so the member says whether it accepts this gateway. Every byte read
 * is bounded (size and time): a member whose answer never ends costs `MAX_READY_BYTES` at most.
 */
export async function probeReady(member: RegistryMember, opts: { dispatcher: Dispatcher; timeoutMs: number; gatewayId: string; signingKey?: PrivateJwk }): Promise<ReadyProbeResult> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.signingKey) {
    headers[ASSERTION_HEADER] = await signAssertion({ key: opts.signingKey, gatewayId: opts.gatewayId, member: member.id, caller: ANONYMOUS, body: '' });
  }
  const res = await request(siblingUrl(member.url, 'ready'), {
    dispatcher: opts.dispatcher,
    headers,
    signal: AbortSignal.timeout(opts.timeoutMs),
    headersTimeout: opts.timeoutMs + 1000,
    bodyTimeout: opts.timeoutMs + 1000,
  });
  const text = (await readCappedBody(res.body, MAX_READY_BYTES)).toString('utf8');
  if (res.statusCode !== 200 && res.statusCode !== 503) throw new Error(`/ready answered HTTP ${res.statusCode}`);
  let body: { schemaVersion?: unknown; gateway?: unknown; assertionForms?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error('/ready answer is not JSON');
  }
  if (!body || typeof body !== 'object') throw new Error('/ready answer is not a JSON object');
  const trust = opts.signingKey && (body.gateway === 'trusted' || body.gateway === 'refused' || body.gateway === 'unverified') ? body.gateway : null;
  return {
    reachable: true,
    ready: res.statusCode === 200,
    schemaVersion: typeof body.schemaVersion === 'string' ? body.schemaVersion.slice(0, 40) : null,
    trust,
    latencyMs: Math.round((performance.now() - started) * 10) / 10,
    batchAssertions: Array.isArray(body.assertionForms) && body.assertionForms.includes(BATCH_ASSERTION_FORM),
  };
}

/** Reads a member's SDL (`_service { sdl }`), cut at `MAX_SDL_BYTES` while it streams. */
export async function readMemberSdl(member: RegistryMember, opts: { dispatcher: Dispatcher; timeoutMs: number; maxBytes?: number }): Promise<string> {
  const res = await request(member.url, {
    method: 'POST',
    dispatcher: opts.dispatcher,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: SDL_QUERY,
    signal: AbortSignal.timeout(opts.timeoutMs),
    headersTimeout: opts.timeoutMs + 1000,
    bodyTimeout: opts.timeoutMs + 1000,
  });
  const text = (await readCappedBody(res.body, opts.maxBytes ?? MAX_SDL_BYTES)).toString('utf8');
  const sdl = (JSON.parse(text) as { data?: { _service?: { sdl?: unknown } } } | null)?.data?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error('member does not serve _service { sdl }');
  return sdl;
}
