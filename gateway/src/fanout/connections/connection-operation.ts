import { Kind, parse, print, visit, type ArgumentNode, type FieldNode, type OperationDefinitionNode, type SelectionNode, type VariableDefinitionNode } from 'graphql';
import { pruneUnusedVariables } from '../operation-plan';
import { PROBE_CURSOR, PROBE_EDGES, PROBE_PAGE, PROBE_TOTAL } from './fetch-page';

/** The variables the gateway sets for each member's page. */
export const VAR_FIRST = 'infrared__first';
export const VAR_AFTER = 'infrared__after';
export const VAR_COUNT = 'infrared__count';

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const variable = (value: string) => ({ kind: Kind.VARIABLE, name: name(value) }) as const;
const field = (fieldName: string, alias?: string, selections?: SelectionNode[], directives?: FieldNode['directives']): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(directives ? { directives } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/**
 * The operation a member gets for one connection root field: the caller's selection, with
 * `first` and `after` set per member by the gateway (`$infrared__first`, `$infrared__after`), and
 * the gateway's own view of the page next to it: every edge's cursor, `hasNextPage`, and the
 * member's `totalCount` when `$infrared__count`.
 */
export function connectionOperation(subset: string, responseKey: string): string {
  const document = parse(subset, { noLocation: true });
  const rewritten = visit(document, {
    OperationDefinition(op: OperationDefinitionNode) {
      const definitions: VariableDefinitionNode[] = [
        ...(op.variableDefinitions ?? []),
        { kind: Kind.VARIABLE_DEFINITION, variable: variable(VAR_FIRST), type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('Int') } } },
        { kind: Kind.VARIABLE_DEFINITION, variable: variable(VAR_AFTER), type: { kind: Kind.NAMED_TYPE, name: name('String') } },
        { kind: Kind.VARIABLE_DEFINITION, variable: variable(VAR_COUNT), type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name('Boolean') } } },
      ];
      const selections = op.selectionSet.selections.map((s) => {
        if (s.kind !== Kind.FIELD || (s.alias?.value ?? s.name.value) !== responseKey) return s;
        const args: ArgumentNode[] = [
          ...(s.arguments ?? []).filter((a) => a.name.value !== 'first' && a.name.value !== 'after'),
          { kind: Kind.ARGUMENT, name: name('first'), value: variable(VAR_FIRST) },
          { kind: Kind.ARGUMENT, name: name('after'), value: variable(VAR_AFTER) },
        ];
        const include = [{ kind: Kind.DIRECTIVE, name: name('include'), arguments: [{ kind: Kind.ARGUMENT, name: name('if'), value: variable(VAR_COUNT) }] }] as FieldNode['directives'];
        const probes = [field('edges', PROBE_EDGES, [field('cursor', PROBE_CURSOR)]), field('pageInfo', PROBE_PAGE, [field('hasNextPage')]), field('totalCount', PROBE_TOTAL, undefined, include)];
        return { ...s, arguments: args, selectionSet: { kind: Kind.SELECTION_SET, selections: [...(s.selectionSet?.selections ?? []), ...probes] } } as FieldNode;
      });
      return { ...op, variableDefinitions: definitions, selectionSet: { ...op.selectionSet, selections } };
    },
  });
  return print(pruneUnusedVariables(rewritten));
}
