import {
  getArgumentValues,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RootFieldKind } from '../../../schema/kind-facts';

export interface CostModel {
  /** Root fields answered by the members, and how the fan-out treats each. */
  memberFields: ReadonlyMap<string, RootFieldKind>;
  /** Root list fields whose `filter.members` narrows the fan-out to the named members. */
  pushdown: ReadonlySet<string>;
  /** Items assumed in a list without a smaller `first`/`limit`: the members' own cap per list. */
  listSize: number;
  /** Gateway fields (`Type.field`) that run fan-outs of their own, and how many per resolution. */
  aggregates?: ReadonlyMap<string, number>;
  /** Nested lists (`Type.field`) that hold a member's whole list of a kind, up to `listSize` (schema kind facts). */
  memberLists?: ReadonlySet<string>;
  /** Items assumed in any other nested list (a record's regions, descriptions, nested records). */
  nestedListSize?: number;
  /** Gateway lists (`Type.field`) with one item per registry member at most. */
  registryLists?: ReadonlySet<string>;
  /** Root mutations answered by the members: one call to the caller's own member each… */
  memberMutations?: ReadonlySet<string>;
  /** …unless the gateway composes them from more member calls (network/), by root field. */
  composedMutations?: ReadonlyMap<string, number>;
}

/** Records in a connection page when `first` is not given (the members' default). */
export const DEFAULT_PAGE = 50;

/** Items assumed in a nested list that is not a member's whole list. */
export const NESTED_LIST_SIZE = 10;

export interface OperationCost {
  /** Member calls: member root fields × the members each one is asked of (lookups ask one
   * member, a mutation its caller's member, a composed mutation its own calls), plus the
   * fan-outs of gateway aggregates once per request and arguments. */
  fanout: number;
  /** Estimated field resolutions: every field counts once per object it is resolved on. */
  cost: number;
}

const CEILING = Number.MAX_SAFE_INTEGER;
const LIMIT_ARGS = ['first', 'limit', 'last'];

/**
 * Estimates what an operation costs before anything is sent. The fan-out is the member root
 * fields times the members each one reaches (`filter.members` honoured, unknown ids not counted).
 * The cost counts every selected field once per object it will be resolved on: a list multiplies
 * what is selected under it by its size, which is the smaller of its `first`/`limit` argument
 * and the per-member cap, times the members asked for a root list. Nested lists multiply, so
 * `records { member { records { … } } }` grows with the cap at every level.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  members: readonly string[],
  model: CostModel,
): OperationCost {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const registered = new Set(members);
  let fanout = 0;
  let cost = 0;
  const aggregatesSeen = new Set<string>();

  /** `pageSize`: the page of the connection whose selection this is (its `edges` hold that many). */
  const walk = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, multiplier: number, visiting: Set<string>, pageSize?: number): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, on && isCompositeType(on) ? on : type, multiplier, visiting, pageSize);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        walk(fragment.selectionSet, on && isCompositeType(on) ? on : type, multiplier, new Set([...visiting, fragment.name.value]), pageSize);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__')) continue; // __typename and introspection cost nothing here
      const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
      if (!field) continue;
      let args: Record<string, unknown> = {};
      try {
        args = getArgumentValues(field, selection, variables);
      } catch {
        // invalid arguments are refused by execution; count the field as unbounded
      }
      let items = 1;
      let page: number | undefined;
      const kind = type === root ? model.memberFields.get(name) : undefined;
      const aggregate = model.aggregates?.get(`${type.name}.${name}`);
      const aggregateKey = aggregate ? `${type.name}.${name}(${argumentsKey(args)})` : '';
      if (aggregate && !aggregatesSeen.has(aggregateKey)) {
        // asks every member once per request (answers are shared within a request), reading up
        // to a full list from each
        aggregatesSeen.add(aggregateKey);
        fanout += aggregate * registered.size;
        cost = Math.min(CEILING, cost + aggregate * registered.size * model.listSize);
      }
      if (type === root && operation.operation === 'mutation' && model.memberMutations?.has(name)) fanout += model.composedMutations?.get(name) ?? 1;
      if (model.registryLists?.has(`${type.name}.${name}`)) items = Math.min(requestedSize(args) ?? CEILING, registered.size);
      else if (kind === 'lookup') fanout += 1;
      else if (kind === 'connection') {
        // a page: every member asked at worst (counts, and waves when the first ones run out);
        // its edges hold `first` records (default and cap: the members' page size)
        fanout += targetedMembers(name, args, registered, model);
        page = Math.min(requestedSize(args) ?? DEFAULT_PAGE, model.listSize);
      } else if (pageSize !== undefined && name === 'edges' && isList(field.type)) items = pageSize;
      else if (kind === 'list') {
        const targets = targetedMembers(name, args, registered, model);
        fanout += targets;
        items = Math.min(requestedSize(args) ?? CEILING, targets * model.listSize);
      } else if (isList(field.type)) {
        const size = model.memberLists?.has(`${type.name}.${name}`) || model.nestedListSize === undefined ? model.listSize : model.nestedListSize;
        items = Math.min(requestedSize(args) ?? CEILING, size);
      }
      const instances = Math.min(CEILING, multiplier * items);
      cost = Math.min(CEILING, cost + instances);
      const named = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(named) && instances > 0) walk(selection.selectionSet, named, instances, visiting, page);
    }
  };
  if (root) walk(operation.selectionSet, root, 1, new Set());
  return { fanout, cost };
}

/** Arguments as a key; variables are not coerced yet, so a hostile value may not serialize (too deep). */
function argumentsKey(args: Record<string, unknown>): string {
  try {
    return JSON.stringify(args);
  } catch {
    return Math.random().toString(36); // counted as a distinct fan-out: the estimate errs high
  }
}

function targetedMembers(field: string, args: Record<string, unknown>, registered: ReadonlySet<string>, model: CostModel): number {
  const filter = args.filter as { members?: unknown } | null | undefined;
  if (!model.pushdown.has(field) || !Array.isArray(filter?.members)) return registered.size;
  return new Set(filter.members.filter((id) => typeof id === 'string' && registered.has(id))).size;
}

function requestedSize(args: Record<string, unknown>): number | undefined {
  const sizes = LIMIT_ARGS.map((a) => args[a]).filter((v): v is number => typeof v === 'number' && v >= 0);
  return sizes.length ? Math.min(...sizes) : undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
