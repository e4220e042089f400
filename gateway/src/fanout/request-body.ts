import { FORWARDED_PROOF_EXTENSION, type ForwardedProof } from '../../../common/auth/forwarded-proof';

/** Bodies already serialized, by the variables object they were built from. */
const serialized = new WeakMap<object, Map<string, string>>();

/**
 * The JSON body of a sub-request. A fan-out sends the same operation with the same variables
 * object to every member: it is serialized once and the same string is reused, so the body hash
 * behind each member's assertion is computed once too. Different variables (each `_entities`
 * group has its own representations) are different objects and get their own body.
 * For a proven caller, `forward` (its token, proof and original body) goes in
 * `extensions.infraredCallerProof`, the same for every member of the request.
 */
export function requestBody(query: string, variables: Record<string, unknown>, operationName: string | undefined, forward?: ForwardedProof): string {
  let byQuery = serialized.get(variables);
  if (!byQuery) serialized.set(variables, (byQuery = new Map()));
  const key = `${forward ? `${forward.proof}\n` : ''}${operationName === undefined ? query : `${operationName}\n${query}`}`;
  let body = byQuery.get(key);
  if (body === undefined) {
    const request: Record<string, unknown> = operationName ? { query, variables, operationName } : { query, variables };
    if (forward) request.extensions = { [FORWARDED_PROOF_EXTENSION]: forward };
    body = JSON.stringify(request);
    byQuery.set(key, body);
  }
  return body;
}
