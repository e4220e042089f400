import type { GraphQLResponseBody, MemberCallResult } from './member-client';
import type { RawAnswer } from './member-response-handler';

/**
 * What one member call came to, from the bytes (or the reason there are none): the answer parsed
 * and checked to be a GraphQL response, or the reason the call failed. Called once per call, by
 * the transport's handler the moment the answer is complete, so the caller's promise is settled
 * with the finished result (no promise or microtask turn between the bytes and the result).
 */
export function memberCallResult(raw: RawAnswer, durationMs: number, deadlineMs: number): MemberCallResult {
  switch (raw.kind) {
    case 'timeout':
      return { outcome: 'timeout', reason: `no answer within ${deadlineMs} ms`, durationMs };
    case 'failed':
      return { outcome: 'error', reason: raw.code ? `connection failed (${raw.code})` : 'connection failed', durationMs };
    case 'too-large':
      return { outcome: 'error', reason: `answer larger than ${raw.maxBytes} bytes`, durationMs, status: raw.status };
  }
  const status = raw.status;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.body.toString('utf8'));
  } catch {
    return { outcome: 'error', reason: `answer is not JSON (HTTP ${status})`, durationMs, status };
  }
  const shapeProblem = checkShape(parsed);
  if (shapeProblem) return { outcome: 'error', reason: shapeProblem, durationMs, status };
  const checked = parsed as GraphQLResponseBody;
  if (status === 401 && !checked.data && checked.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
    return { outcome: 'untrusted', reason: "the member refused this gateway's signed assertion", durationMs, status: 401 };
  }
  if (status >= 500 && !checked.data) return { outcome: 'error', reason: `HTTP ${status}`, durationMs, status };
  return { outcome: 'ok', body: checked, durationMs, bytes: raw.body.length };
}

/** A GraphQL response is an object with `data` (object or null) and/or `errors` (array). */
export function checkShape(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'answer is not a GraphQL response object';
  const b = body as Record<string, unknown>;
  if (!('data' in b) && !('errors' in b)) return 'answer has neither data nor errors';
  if ('data' in b && b.data !== null && (typeof b.data !== 'object' || Array.isArray(b.data))) return 'answer data is not an object';
  if ('errors' in b && b.errors !== undefined) {
    if (!Array.isArray(b.errors)) return 'answer errors is not a list';
    for (const e of b.errors) if (!e || typeof e !== 'object' || typeof (e as { message?: unknown }).message !== 'string') return 'answer has a malformed error';
  }
  return undefined;
}
