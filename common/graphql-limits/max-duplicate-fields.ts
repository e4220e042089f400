import { GraphQLError, Kind, type ASTVisitor, type ValidationContext } from 'graphql';

/** The most times one response key may appear among the fields of one selection set. */
export const MAX_DUPLICATE_FIELDS = 10;

/**
 * Refuses a selection set that repeats one response key more than `n` times (graphql-cop's field
 * duplication sends `__typename` 500 times: each copy is merged into one answer, yet every copy
 * is validated and planned). Reported once per operation.
 */
export function maxDuplicateFieldsRule(n = MAX_DUPLICATE_FIELDS) {
  return (context: ValidationContext): ASTVisitor => {
    let reported = false;
    return {
      SelectionSet(node) {
        if (reported) return;
        const counts = new Map<string, number>();
        for (const s of node.selections) {
          if (s.kind !== Kind.FIELD) continue;
          const key = s.alias?.value ?? s.name.value;
          const c = (counts.get(key) ?? 0) + 1;
          counts.set(key, c);
          if (c > n) {
            reported = true;
            context.reportError(
              new GraphQLError(`The field "${key.slice(0, 100)}" is repeated more than ${n} times in one selection`, { nodes: [s], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
            );
            return;
          }
        }
      },
    };
  };
}
