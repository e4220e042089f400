import { GraphQLError, Kind, type ValidationRule } from 'graphql';

/**
 * A member fan-out counts as cost: every root field that the member subgraphs answer is asked of
 * every member, so an operation's fan-out cost is (such root fields) × (members). Operations
 * above the limit are refused before anything is sent.
 */
export function fanoutCostRule(opts: { memberFields: ReadonlySet<string>; members: () => number; maxCost: number }): ValidationRule {
  return (context) => ({
    OperationDefinition(node) {
      let fields = 0;
      const count = (selections: readonly import('graphql').SelectionNode[], depth: number) => {
        if (depth > 10) return;
        for (const s of selections) {
          if (s.kind === Kind.FIELD) {
            if (opts.memberFields.has(s.name.value)) fields++;
          } else if (s.kind === Kind.INLINE_FRAGMENT) count(s.selectionSet.selections, depth + 1);
          else {
            const fragment = context.getFragment(s.name.value);
            if (fragment) count(fragment.selectionSet.selections, depth + 1);
          }
        }
      };
      count(node.selectionSet.selections, 0);
      const cost = fields * Math.max(1, opts.members());
      if (cost > opts.maxCost) {
        context.reportError(new GraphQLError(`Query fans out too widely: ${fields} member field(s) × ${opts.members()} members = ${cost} (limit ${opts.maxCost})`, { extensions: { code: 'FANOUT_LIMIT' } }));
      }
    },
  });
}
