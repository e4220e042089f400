import canonicalize from 'canonicalize';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  valueFromASTUntyped,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { AuthError } from '../../../../common/auth/errors';
import { parseWalkCursor } from '../../../../common/connections/walk-cursor';

/** A GraphQL request as JSON: what the caller sent the gateway, or what the gateway sends here. */
export interface GraphQLRequestText {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** One field selected somewhere in an operation: its coordinate (`Type.field`) and its argument nodes. */
interface FieldUse {
  coordinate: string;
  args: readonly ArgumentNode[];
}

/** What an operation selects, independent of its variables (cached per text). */
interface OperationShape {
  operation: 'query' | 'mutation' | 'subscription';
  uses: FieldUse[];
  /**
   * Caller's operation only: entity types the gateway may legitimately fetch here by
   * representation (`_entities`): the types returned by fields the network subgraph resolves,
   * and the parents of its `@requires` fields.
   */
  entityTypes: Set<string>;
}

/** The two schemas the caller's operation is read against: the member contract, and the gateway's own (network) subgraph. */
export interface SubsetSchemas {
  member: GraphQLSchema;
  network: GraphQLSchema;
}

/** Most field selections one operation may hold here (fragments are read once each). */
const MAX_SELECTIONS = 20_000;
const MAX_DEPTH = 64;
const refuse = (reason: string): never => {
  throw new AuthError('NOT_A_SUBSET', reason);
};

/**
 * The sub-request subset check. A gateway that relays a proven caller's request may ask this
 * member only for what the caller's own operation asked: the same operation type, and every
 * field coordinate (`Type.field`) of the sub-request with the same argument values (variables
 * resolved on each side) somewhere in the caller's operation. Exempt: `__typename`, the key
 * field `id` (the planner's keys and the gateway's id probes), and `_entities`, whose
 * representations may name only entity types the caller's operation makes the gateway fetch.
 *
 * Connections (`<list>Connection`): the gateway merges the members' pages, so it rewrites
 * `first` and `after` per member and adds its probes (`edges { cursor }`, `pageInfo
 * { hasNextPage }`, `totalCount`). A connection field passes with the caller's other arguments
 * when its `first` is at most the caller's (default page 50) and its `after` is the one the
 * caller's `after` (the gateway's unsigned walk cursor) holds for this member (see
 * `memberPosition`); the probes pass under it. So one proof lets the gateway read here at most
 * the caller's page size of records from the position the caller's own cursor names: records
 * the caller's operation selects, no others (docs/security-model.md).
 * Throws AuthError (NOT_A_SUBSET) with the first difference, for the log.
 */
export class SubsetCheck {
  private readonly shapes = new LRUCache<string, OperationShape>({ max: 2000 });

  constructor(private readonly schemas: SubsetSchemas) {}

  /**
   * Returns what the sub-request reads, canonically (its field uses with their argument values,
   * and `_entities` representations): the same read, however it is spelled (aliases, fragments,
   * variable order, unused variables), gives the same text.
   */
  check(sub: GraphQLRequestText, caller: GraphQLRequestText, member?: string): string {
    const subShape = this.shape(sub, 'sub');
    const callerShape = this.shape(caller, 'caller');
    if (subShape.operation !== callerShape.operation) refuse(`sub-request is a ${subShape.operation}, the caller's operation a ${callerShape.operation}`);
    const callerVariables = variablesOf(caller);
    const asked = new Set(callerShape.uses.map((use) => useKey(use, callerVariables)));
    const subVariables = variablesOf(sub);
    const reads = new Set<string>();
    for (const use of subShape.uses) {
      if (use.coordinate === 'Query._entities') {
        const representations = argumentValues(use.args, subVariables).representations;
        if (!Array.isArray(representations)) refuse('_entities without a list of representations');
        reads.add(`_entities:${canonicalize(representations) ?? ''}`);
        for (const r of representations as unknown[]) {
          const typename = (r as { __typename?: unknown } | null)?.__typename;
          if (typeof typename !== 'string' || !callerShape.entityTypes.has(typename)) refuse(`_entities for ${String(typename)}, which the caller's operation does not fetch`);
        }
        continue;
      }
      if (isKeyField(use)) continue;
      if (this.isConnectionProbe(use)) continue;
      if (this.isConnection(use.coordinate)) {
        reads.add(connectionRead(use, subVariables, callerShape, callerVariables, member));
        continue;
      }
      const key = useKey(use, subVariables);
      if (!asked.has(key)) refuse(`sub-request asks for ${use.coordinate} with arguments the caller's operation does not have`);
      reads.add(key);
    }
    return `${subShape.operation}\n${[...reads].sort().join('\n')}`;
  }

  /** A root field whose type is a connection (`edges`, `pageInfo`): pages the gateway merges. */
  private isConnection(coordinate: string): boolean {
    const [type, name] = coordinate.split('.');
    if (type !== 'Query') return false;
    const field = fieldOf(this.schemas.member, type, name);
    return !!field && isConnectionType(this.schemas.member, getNamedType(field.type).name);
  }

  /** The gateway's page probes, without arguments: a connection's edges, pageInfo and totalCount, an edge's cursor, `hasNextPage`. */
  private isConnectionProbe(use: FieldUse): boolean {
    if (use.args.length > 0) return false;
    const [type, name] = use.coordinate.split('.');
    if (isConnectionType(this.schemas.member, type)) return name === 'edges' || name === 'pageInfo' || name === 'totalCount';
    if (type === 'PageInfo') return name === 'hasNextPage';
    return name === 'cursor' && type.endsWith('Edge') && !!fieldOf(this.schemas.member, type, 'node');
  }

  private shape(request: GraphQLRequestText, side: 'sub' | 'caller'): OperationShape {
    if (typeof request.query !== 'string' || request.query.length === 0) refuse(`${side === 'sub' ? 'sub-request' : "caller's request"} has no query text`);
    const query = request.query as string;
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const cacheKey = `${side}\n${operationName ?? ''}\n${query}`;
    let shape = this.shapes.get(cacheKey);
    if (!shape) {
      let document: DocumentNode;
      try {
        document = parse(query, { noLocation: true, maxTokens: 50_000 });
      } catch {
        return refuse(`${side === 'sub' ? 'sub-request' : "caller's request"} does not parse`);
      }
      shape = side === 'sub' ? collect(document, operationName, (type, field) => fieldOf(this.schemas.member, type, field), false) : this.collectCaller(document, operationName);
      this.shapes.set(cacheKey, shape);
    }
    return shape;
  }

  private collectCaller(document: DocumentNode, operationName: string | undefined): OperationShape {
    const { member, network } = this.schemas;
    const shape = collect(document, operationName, (type, field) => fieldOf(member, type, field) ?? fieldOf(network, type, field), true);
    for (const use of [...shape.uses]) {
      const [type, field] = use.coordinate.split('.');
      const parent = member.getType(type);
      if (isInterfaceType(parent)) for (const impl of member.getPossibleTypes(parent)) shape.uses.push({ coordinate: `${impl.name}.${field}`, args: use.args });
      const owned = fieldOf(network, type, field);
      if (!owned || owned.astNode?.directives?.some((d) => d.name.value === 'external')) continue;
      shape.entityTypes.add(getNamedType(owned.type).name);
      const requires = owned.astNode?.directives?.find((d) => d.name.value === 'requires');
      if (!requires) continue;
      // the gateway fetches the required fields (`@requires(fields: "invited { id }")`) from the members
      shape.entityTypes.add(type);
      const fields = requires.arguments?.find((a) => a.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) addFieldSet(shape, fields.value, type, (t, f) => fieldOf(member, t, f));
    }
    return shape;
  }
}

function fieldOf(schema: GraphQLSchema, type: string, field: string): GraphQLField<unknown, unknown> | undefined {
  const named = schema.getType(type);
  return isObjectType(named) || isInterfaceType(named) ? named.getFields()[field] : undefined;
}

/**
 * Every field selection of the chosen operation, with its coordinate, fragments read once each.
 * `lenient` (the caller's operation): a field neither schema knows is skipped with what it
 * selects; strict (the sub-request): it is refused. On an interface, a field also counts for
 * every implementing type the member schema knows (the planner asks the concrete types).
 */
function collect(document: DocumentNode, operationName: string | undefined, lookup: (type: string, field: string) => GraphQLField<unknown, unknown> | undefined, lenient: boolean): OperationShape {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === operationName);
  if (!operation) return refuse(`no single operation${operationName ? ` named ${operationName}` : ''}`);
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
  const shape: OperationShape = { operation: operation.operation, uses: [], entityTypes: new Set() };
  const seenFragments = new Set<string>();
  let selections = 0;
  const walk = (set: SelectionSetNode, parent: string, depth: number): void => {
    if (depth > MAX_DEPTH) refuse('operation nests too deep');
    for (const selection of set.selections) {
      if (++selections > MAX_SELECTIONS) refuse('operation has too many selections');
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const field = lookup(parent, name);
        if (!field) {
          if (lenient) continue;
          return refuse(`sub-request field ${parent}.${name} is not in this member's schema`);
        }
        shape.uses.push({ coordinate: `${parent}.${name}`, args: selection.arguments ?? [] });
        if (selection.selectionSet) walk(selection.selectionSet, getNamedType(field.type).name, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition?.name.value ?? parent, depth + 1);
      } else {
        const name = selection.name.value;
        if (seenFragments.has(name)) continue;
        seenFragments.add(name);
        const fragment = fragments.get(name);
        if (!fragment) return refuse(`unknown fragment ${name}`);
        walk(fragment.selectionSet, fragment.typeCondition.name.value, depth + 1);
      }
    }
  };
  walk(operation.selectionSet, root, 0);
  return shape;
}

/** The coordinates of a federation field set (`invited { id }`) on `parent`, as asked. */
function addFieldSet(shape: OperationShape, fieldSet: string, parent: string, lookup: (type: string, field: string) => GraphQLField<unknown, unknown> | undefined): void {
  const document = parse(`{ ${fieldSet} }`, { noLocation: true });
  const walk = (set: SelectionSetNode, type: string): void => {
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const field = lookup(type, selection.name.value);
      if (!field) continue;
      shape.uses.push({ coordinate: `${type}.${selection.name.value}`, args: [] });
      if (selection.selectionSet) walk(selection.selectionSet, getNamedType(field.type).name);
    }
  };
  walk((document.definitions[0] as OperationDefinitionNode).selectionSet, parent);
}

/** Key fields and probes: `id` without arguments, on any type. */
const isKeyField = (use: FieldUse) => use.coordinate.endsWith('.id') && use.args.length === 0;

function variablesOf(request: GraphQLRequestText): Record<string, unknown> {
  const v = request.variables;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Argument values with variables resolved; an argument whose variable is not given is left out. */
function argumentValues(args: readonly ArgumentNode[], variables: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of args) {
    const value = valueFromASTUntyped(arg.value, variables);
    if (value !== undefined) values[arg.name.value] = value;
  }
  return values;
}

/** A field use as compared: its coordinate and its argument values in canonical JSON. Key fields compare by coordinate alone. */
function useKey(use: FieldUse, variables: Record<string, unknown>): string {
  if (use.args.length === 0) return use.coordinate;
  return `${use.coordinate}(${canonicalize(argumentValues(use.args, variables)) ?? ''})`;
}

/** Records in a connection page when the caller gives no `first` (the gateway's and the members' default). */
const DEFAULT_PAGE = 50;

function isConnectionType(schema: GraphQLSchema, name: string): boolean {
  const type = schema.getType(name);
  return isObjectType(type) && name.endsWith('Connection') && 'edges' in type.getFields() && 'pageInfo' in type.getFields();
}

/**
 * A connection field of the sub-request against the caller's uses of it: the same arguments but
 * `first` and `after`, `first` at most the caller's, `after` this member's position in the
 * caller's cursor. Returns the read (with `first` and `after`, so each page is its own read).
 */
function connectionRead(use: FieldUse, subVariables: Record<string, unknown>, callerShape: OperationShape, callerVariables: Record<string, unknown>, member: string | undefined): string {
  const { first, after, ...rest } = argumentValues(use.args, subVariables);
  const same = canonicalize(rest);
  const field = use.coordinate.slice('Query.'.length);
  const matches = callerShape.uses.filter((u) => {
    if (u.coordinate !== use.coordinate) return false;
    const { first: _f, after: _a, ...callerRest } = argumentValues(u.args, callerVariables);
    return canonicalize(callerRest) === same;
  });
  for (const callerUse of matches) {
    const values = argumentValues(callerUse.args, callerVariables);
    const callerFirst = values.first ?? DEFAULT_PAGE;
    if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || typeof callerFirst !== 'number' || first > callerFirst) continue;
    const position = memberPosition(field, values.after, member);
    const subAfter = after ?? null;
    if (position === 'finished' ? first === 0 && subAfter === null : subAfter === position) return `${use.coordinate}(${canonicalize({ ...rest, first, after: subAfter }) ?? ''})`;
  }
  return refuse(`sub-request asks for ${use.coordinate} with a page the caller's operation does not ask for (first, after or other arguments)`);
}

/**
 * Where the caller's `after` puts this member in the walk: the gateway's walk cursor (unsigned,
 * so readable here), read with the gateway's own codec (common/connections/walk-cursor.ts). A
 * member pending in it continues from its position; a member after the last one reached, or any
 * member when there is no `after`, from the start (null); any other member is finished
 * ('finished': only a `first: 0` count probe).
 */
function memberPosition(field: string, after: unknown, member: string | undefined): string | null | 'finished' {
  if (after === undefined || after === null) return null;
  if (member === undefined) return refuse("this member's id is unknown: a connection page after a cursor cannot be checked");
  const walk = parseWalkCursor(after);
  if (!walk) return refuse("the caller's after is not a walk cursor");
  if (walk.field !== field) return refuse(`the caller's after is not a cursor of ${field}`);
  const position = walk.pending.get(member);
  if (position !== undefined) return position;
  return member > walk.done ? null : 'finished';
}
