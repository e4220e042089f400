import type { IncomingMessage } from 'node:http';
import { execute, getOperationAST, Kind, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { asksForIntrospection } from '../../../../common/graphql-limits/introspection-policy';
import type { OperationCache } from './operation-cache';
import { FORWARDED_PROOF_EXTENSION } from '../../../../common/auth/forwarded-proof';

export interface QueryExecutorOptions {
  schema: GraphQLSchema;
  operations: OperationCache;
  /** The member's error formatter, applied as Apollo Server applies it. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Response extensions from the request's context, as the Apollo path's plugins add them. */
  extensions?: (context: unknown) => Record<string, unknown> | undefined;
}

export interface ExecutorAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** The response type for an Accept header, or undefined when it needs full negotiation. */
function responseType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '' || accept === '*/*' || accept === 'application/json') return JSON_TYPE;
  if (accept.startsWith('application/graphql-response+json')) return GRAPHQL_RESPONSE_TYPE;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The member's hot path for read queries: POST JSON, one operation text, a document from the
 * operation cache (parsed and validated once per text), executed with graphql-js and written with
 * the same status, headers, JSON and error formatting Apollo Server gives, without its
 * per-request pipeline (hashing, plugin hooks, header maps).
 *
 * It answers `undefined` for everything else, which then takes Apollo Server's full path with all
 * its plugins (introspection policy, operation resolution, error shaping): operation texts that
 * do not parse or validate (the cache remembers them, so a repeated bad text costs this path a
 * lookup), introspection, mutations, GET, batched or persisted-query bodies, other Accept types,
 * and request errors found while coercing variables (nothing has run by then).
 */
export function createQueryExecutor(opts: QueryExecutorOptions) {
  const format = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      return opts.formatError(formatted, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  };
  /** As Apollo Server does: every error gets `extensions.code`, and never the `http` extension. */
  const enrich = (error: GraphQLError): GraphQLFormattedError => {
    const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
    delete extensions.http;
    return format({ ...error.toJSON(), extensions }, error);
  };
  const answer = (status: number, result: unknown, type: string): ExecutorAnswer => ({
    status,
    body: `${JSON.stringify(result)}\n`,
    headers: { 'content-type': type, 'cache-control': 'no-store' },
  });

  return async function executeQuery<TContext>(req: IncomingMessage, body: unknown, context: () => Promise<TContext> | TContext): Promise<ExecutorAnswer | undefined> {
    if (req.method !== 'POST' || !isPlainObject(body)) return undefined;
    const type = responseType(req.headers.accept);
    if (!type) return undefined;
    const { query, variables, operationName, extensions } = body;
    // the one extension this path knows is a gateway's forwarded caller proof, which
    // authentication has already checked: anything else goes to Apollo
    if (typeof query !== 'string' || !onlyForwardedProof(extensions)) return undefined;
    if (variables !== undefined && variables !== null && !isPlainObject(variables)) return undefined;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;

    const checked = opts.operations.check(query);
    if (checked.errors) return undefined;
    const operation = getOperationAST(checked.document, operationName ?? undefined);
    if (!operation || operation.operation !== 'query') return undefined;
    const fragments: Record<string, { selectionSet: SelectionSetNode }> = {};
    for (const d of checked.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    if (asksForIntrospection(operation.selectionSet, fragments)) return undefined;

    const contextValue = await context();
    const result = await execute({
      schema: opts.schema,
      document: checked.document,
      variableValues: variables ?? undefined,
      operationName: operationName ?? undefined,
      contextValue,
    });
    if (result.data === undefined) return undefined;
    const errors = result.errors?.map((e) => enrich(e));
    const added = opts.extensions?.(contextValue);
    return answer(200, { ...(errors ? { errors } : {}), data: result.data, ...(added ? { extensions: added } : {}) }, type);
  };
}

/** No extensions, or only the forwarded caller proof (checked before execution, by the caller resolver). */
function onlyForwardedProof(extensions: unknown): boolean {
  if (extensions === undefined) return true;
  if (!isPlainObject(extensions)) return false;
  const keys = Object.keys(extensions);
  return keys.length === 1 && keys[0] === FORWARDED_PROOF_EXTENSION;
}
