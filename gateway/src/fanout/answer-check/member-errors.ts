import type { SubgraphError } from '../merge';

/** Codes a member may report about itself; anything else becomes `MEMBER_ERROR`. */
export const MEMBER_ERROR_CODES: ReadonlySet<string> = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
  // the change feed: a position the member no longer keeps, or did not issue to this caller
  'CURSOR_EXPIRED',
  'INVALID_CURSOR',
]);
export const GENERIC_MEMBER_ERROR = 'MEMBER_ERROR';
/** The field-level detail of a BAD_USER_INPUT (`fields: string[]`) is passed on, bounded. */
const MAX_FIELDS = 50;
const MAX_ERRORS = 20;
const MAX_MESSAGE = 500;
const MAX_PATH = 32;

/**
 * A member's errors as the gateway passes them on: `extensions.member` is always the member that
 * answered (a member cannot name, or blame, another), the code is kept only from
 * `MEMBER_ERROR_CODES`, other extensions are left out (but a BAD_USER_INPUT's `fields` and a CONFLICT's `currentVersion`), messages are bounded, and a path into a
 * root list follows the items the answer check removed (it stops at the list when its item went).
 *
 * @example
 * memberErrors([{ message: 'x', extensions: { code: 'MEMBER_UNAVAILABLE', member: 'beta' } }], 'alpha', new Map())
 * // → [{ message: 'x', extensions: { code: 'MEMBER_ERROR', member: 'alpha' } }]
 */
export function memberErrors(errors: readonly unknown[], sender: string, rootIndex: ReadonlyMap<string, Int32Array>): SubgraphError[] {
  const out: SubgraphError[] = [];
  for (const raw of errors.slice(0, MAX_ERRORS)) {
    const error = (raw ?? {}) as { message?: unknown; path?: unknown; extensions?: { code?: unknown; fields?: unknown; currentVersion?: unknown } };
    const code = typeof error.extensions?.code === 'string' && MEMBER_ERROR_CODES.has(error.extensions.code) ? error.extensions.code : GENERIC_MEMBER_ERROR;
    const message = typeof error.message === 'string' ? error.message.slice(0, MAX_MESSAGE) : 'member error';
    const clean: SubgraphError = { message, extensions: { code, member: sender } };
    const currentVersion = error.extensions?.currentVersion;
    if (code === 'CONFLICT' && (currentVersion === null || (Number.isSafeInteger(currentVersion) && (currentVersion as number) > 0))) {
      clean.extensions!.currentVersion = currentVersion;
    }
    const fields = error.extensions?.fields;
    if (code === 'BAD_USER_INPUT' && Array.isArray(fields) && fields.every((f) => typeof f === 'string')) {
      clean.extensions!.fields = (fields as string[]).slice(0, MAX_FIELDS).map((f) => f.slice(0, MAX_MESSAGE));
    }
    const path = cleanPath(error.path, rootIndex);
    if (path) clean.path = path;
    out.push(clean);
  }
  if (errors.length > MAX_ERRORS) out.push({ message: `Member "${sender}" reported ${errors.length - MAX_ERRORS} more error(s)`, extensions: { code: GENERIC_MEMBER_ERROR, member: sender } });
  return out;
}

function cleanPath(path: unknown, rootIndex: ReadonlyMap<string, Int32Array>): (string | number)[] | undefined {
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH) return undefined;
  if (!path.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p) && p >= 0))) return undefined;
  const [key, index] = path as (string | number)[];
  if (typeof key !== 'string') return undefined;
  const moved = rootIndex.get(key);
  if (!moved || typeof index !== 'number') return path as (string | number)[];
  const now = index < moved.length ? moved[index] : -1;
  // deeper indices may have moved too: the path stops at the root item
  return now < 0 ? [key] : [key, now];
}
