import { FORWARDED_PROOF_EXTENSION, type ForwardedProof } from '../../../common/auth/forwarded-proof';

/** One sub-request body, serialized once: its text (what the assertion's hash covers) and the same bytes to send. */
export interface SubRequestBody {
  readonly text: string;
  readonly bytes: Buffer;
}

/** Bodies already serialized: by the variables object they were built from, then by operation name, proof and query. */
const serialized = new WeakMap<object, Map<string, Map<string, SubRequestBody>>>();
const NO_NAME = '';

/**
 * The JSON body of a sub-request. A fan-out sends the same operation with the same variables
 * object to every member: it is serialized and encoded once, and the same body (text and bytes)
 * is reused for every member, so the body hash behind each member's assertion is computed once
 * too and no member's call encodes it again. Different variables (each `_entities` group has its
 * own representations) are different objects and get their own body.
 * For a proven caller, `forward` (its token, proof and original body) goes in
 * `extensions.infraredCallerProof`, the same for every member of the request.
 *
 * @example
 * const body = requestBody('{ services { id } }', variables, undefined);
 * client.post(url, body.bytes, headers, 2000); // signer.sign({ …, body: body.text })
 */
export function requestBody(query: string, variables: Record<string, unknown>, operationName: string | undefined, forward?: ForwardedProof): SubRequestBody {
  let byName = serialized.get(variables);
  if (!byName) serialized.set(variables, (byName = new Map()));
  // no key is built per call: a concatenated key would be copied for every member's lookup
  const name = forward ? `${forward.proof}\n${operationName ?? ''}` : (operationName ?? NO_NAME);
  let byQuery = byName.get(name);
  if (!byQuery) byName.set(name, (byQuery = new Map()));
  let body = byQuery.get(query);
  if (body === undefined) {
    const request: Record<string, unknown> = operationName ? { query, variables, operationName } : { query, variables };
    if (forward) request.extensions = { [FORWARDED_PROOF_EXTENSION]: forward };
    const text = JSON.stringify(request);
    body = { text, bytes: Buffer.from(text, 'utf8') };
    byQuery.set(query, body);
  }
  return body;
}
