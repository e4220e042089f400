import type { ParsedRequest } from '../../../common/http/apollo-handler';
import { OperationTextNormalizer } from './normalize';
import { refuseUnknown } from './persisted-operations';

/**
 * Before anything else looks at an operation: refuses unknown operations when only persisted
 * ones are accepted, then normalizes the operation text (so the cache and plans see one form).
 */
export function operationGate(opts: { onlyPersisted: boolean; known: ReadonlyMap<string, string>; maxTokens: number }) {
  const normalizer = new OperationTextNormalizer(opts.maxTokens);
  return ({ req, body }: ParsedRequest<unknown>): { status: number; body: string } | undefined => {
    if (opts.onlyPersisted) {
      const refused = refuseUnknown(opts.known, req, body);
      if (refused) return { status: refused.status, body: JSON.stringify({ errors: [{ message: refused.message, extensions: { code: refused.code } }] }) };
    }
    normalizer.apply(body);
    return undefined;
  };
}
