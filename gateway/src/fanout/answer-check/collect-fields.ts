import { Kind, isAbstractType, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type SelectionNode } from 'graphql';
import { ID_PROBE } from '../operation-plan';
import { shapeOf, type Shape } from './type-shape';

/** One response key of an object, with every field node that asked for it (their sub-selections merge). */
export interface CollectedField {
  responseKey: string;
  name: string;
  /** Null for `__typename`. */
  definition: GraphQLField<unknown, unknown> | null;
  nodes: FieldNode[];
  /** The id probe the gateway added: checked, never passed on. */
  probe: boolean;
  /** `Type.field`, the key of the answer rules. */
  rule: string;
  /** What the answer check needs of the field's type (null for `__typename`). */
  shape: Shape | null;
}

type FragmentMap = Map<string, FragmentDefinitionNode>;
const fragmentMaps = new WeakMap<DocumentNode, FragmentMap>();
/** (first field node or operation) → concrete type → collected fields, for selections without @skip/@include. */
const collected = new WeakMap<object, Map<string, CollectedField[]>>();

export function fragmentsOf(document: DocumentNode): FragmentMap {
  let map = fragmentMaps.get(document);
  if (!map) {
    map = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    fragmentMaps.set(document, map);
  }
  return map;
}

/**
 * The fields collected for `owner` and `type` earlier, when their selections had no directive
 * that depends on variables; undefined otherwise (then `collectFields` works them out).
 */
export function cachedFields(owner: object, type: GraphQLObjectType): CollectedField[] | undefined {
  return collected.get(owner)?.get(type.name);
}

/**
 * The fields a member must answer for an object of `type`, given the selections that asked for
 * it (GraphQL's CollectFields: fragments whose type condition applies, `@skip`/`@include` with
 * the request's variables). Cached per selection and type when no directive depends on variables;
 * `selectionSets` is only called on a miss.
 */
export function collectFields(
  schema: GraphQLSchema,
  fragments: FragmentMap,
  owner: object,
  selectionSets: () => readonly (readonly SelectionNode[])[],
  type: GraphQLObjectType,
  variables: Record<string, unknown>,
): CollectedField[] {
  const byType = collected.get(owner);
  const hit = byType?.get(type.name);
  if (hit) return hit;
  const fields = new Map<string, CollectedField>();
  let dynamic = false;
  const seenFragments = new Set<string>();
  const visit = (selections: readonly SelectionNode[]) => {
    for (const s of selections) {
      if (s.directives?.length) {
        dynamic = true;
        if (!included(s, variables)) continue;
      }
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        let field = fields.get(key);
        if (!field) {
          const name = s.name.value;
          const definition = name === '__typename' ? null : (type.getFields()[name] ?? null);
          fields.set(
            key,
            (field = { responseKey: key, name, definition, nodes: [], probe: key === ID_PROBE && name === 'id', rule: `${type.name}.${name}`, shape: definition && shapeOf(definition.type) }),
          );
        }
        field.nodes.push(s);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || applies(schema, s.typeCondition.name.value, type)) visit(s.selectionSet.selections);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seenFragments.has(s.name.value) || !applies(schema, fragment.typeCondition.name.value, type)) continue;
        seenFragments.add(s.name.value);
        visit(fragment.selectionSet.selections);
      }
    }
  };
  for (const selections of selectionSets()) visit(selections);
  const result = [...fields.values()];
  if (!dynamic) {
    if (byType) byType.set(type.name, result);
    else collected.set(owner, new Map([[type.name, result]]));
  }
  return result;
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return !!conditionType && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

function included(node: SelectionNode, variables: Record<string, unknown>): boolean {
  for (const d of node.directives ?? []) {
    if (d.name.value !== 'skip' && d.name.value !== 'include') continue;
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const value = arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] === true : arg.value.kind === Kind.BOOLEAN && arg.value.value;
    if (d.name.value === 'skip' && value) return false;
    if (d.name.value === 'include' && !value) return false;
  }
  return true;
}
