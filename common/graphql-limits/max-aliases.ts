import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { isProbeField } from './probe-aliases';

/**
 * At most `n` aliases per operation, fragments counted where they are spread, `__typename`
 * included (graphql-cop's alias overloading sends 101 aliases of `__typename`). Probe fields
 * (see probe-aliases.ts) are not counted when `ignoreProbes` is set: that is for members, so a
 * query within the gateway's limit stays within the member's once the gateway adds its probes.
 */
export function maxAliasesRule(opts: { n: number; ignoreProbes?: boolean }) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const count = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      let total = 0;
      for (const s of set?.selections ?? []) {
        if (s.kind === Kind.FIELD) {
          if (s.alias && !(opts.ignoreProbes && isProbeField(s))) total++;
          total += count(s.selectionSet, seen);
        } else if (s.kind === Kind.INLINE_FRAGMENT) total += count(s.selectionSet, seen);
        else if (!seen.has(s.name.value)) {
          // a fragment in a cycle is refused by NoFragmentCycles; count each path once here
          total += count(fragments.get(s.name.value)?.selectionSet, new Set([...seen, s.name.value]));
        }
        if (total > opts.n) return total;
      }
      return total;
    };
    return {
      OperationDefinition(node) {
        const found = count(node.selectionSet, new Set());
        if (found > opts.n) {
          context.reportError(new GraphQLError(`Too many aliases: at most ${opts.n} in one operation`, { nodes: [node], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        }
      },
    };
  };
}
