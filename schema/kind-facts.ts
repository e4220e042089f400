import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/** How the fan-out treats each root field of the member contract. */
export type RootFieldKind =
  /** Asked of every member; lists are concatenated. */
  | 'list'
  /** A lookup by global id (`service(id)`): asked of the owner only. */
  | 'lookup'
  /** A Relay connection (`servicesConnection(first, after)`): a stable merge of the members' pages. */
  | 'connection';

/** What the gateway needs to know about one connection root field. */
export interface ConnectionFacts {
  /** The connection type, e.g. `ServiceConnection`. */
  type: string;
  /** The edge type, e.g. `ServiceEdge`. */
  edgeType: string;
  /** The node type, e.g. `Service`. */
  nodeType: string;
}

/** Largest number a record may report as a quantity: beyond it a sum over the network stops being exact. */
export const MAX_QUANTITY = 1e12;

/**
 * What the gateway needs to know about the record kinds, read off the member contract so that
 * the fan-out, the answer check and the cost model name no kind. Adding a kind to the SDL
 * updates every one of these; nothing in the gateway lists kinds by hand.
 */
export interface KindFacts {
  /** Root query fields: lookups by id go to the owner, lists to every member. */
  rootFields: ReadonlyMap<string, RootFieldKind>;
  /** The type that stands for a member: the type of every record's `member` field. */
  memberType: string;
  /** Object types with an `id` other than the member type: their ids are `<memberId>:<localId>`. */
  prefixedIdTypes: ReadonlySet<string>;
  /**
   * Root lists whose `filter.members` names the owners that answer: only those members are
   * asked. A list whose records name other members too (a project's `invited`) is asked of
   * every member, since a record that involves a member may live at another.
   */
  memberPushdown: ReadonlySet<string>;
  /** Lists on the member type (`Member.<field>`): each holds one member's whole list of a kind. */
  memberLists: ReadonlySet<string>;
  /** `Type.field` → [min, max]: records' Float and Int fields are quantities, never negative (contract convention). */
  quantityRanges: ReadonlyMap<string, readonly [number, number]>;
  /**
   * Mutations that answer with another member's record: they return a record kind `T` and take
   * the global id of a `T` (`tId`), e.g. confirming a part in another member's record.
   */
  foreignRecordMutations: ReadonlySet<string>;
  /** A cheap anonymous read that reaches a member's database: the first root list with a `limit`. */
  probeQuery: string;
  /**
   * Root connections: object types with `edges: [<Edge>!]!` (each edge a `node` and a `cursor`),
   * `pageInfo` and `totalCount`, taking `first` and `after`.
   */
  connections: ReadonlyMap<string, ConnectionFacts>;
}

/** The scalars of a record's number fields (`Capacity.total`, `Training.seats`): quantities, never negative. */
const QUANTITY_SCALARS: ReadonlySet<string> = new Set(['Float', 'Int']);

const cache = new WeakMap<GraphQLSchema, KindFacts>();

/** Derives the kind facts from the member contract schema, once per schema. */
export function kindFacts(schema: GraphQLSchema): KindFacts {
  const hit = cache.get(schema);
  if (hit) return hit;
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('_'));
  const memberType = findMemberType(objects);
  const records = objects.filter((t) => t.name !== memberType && t.getFields().id && isSingleId(t.getFields().id));
  const prefixedIdTypes = new Set(records.map((t) => t.name));

  const rootFields = new Map<string, RootFieldKind>();
  const memberPushdown = new Set<string>();
  const connections = new Map<string, ConnectionFacts>();
  let probeQuery = '';
  const queryFields = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((f) => !f.name.startsWith('_'));
  for (const field of queryFields.sort((a, b) => a.name.localeCompare(b.name))) {
    const isLookup = !isList(field.type) && field.args.some((a) => a.name === 'id');
    const connection = isLookup ? undefined : connectionFacts(field);
    rootFields.set(field.name, isLookup ? 'lookup' : connection ? 'connection' : 'list');
    if (isLookup) continue;
    if (connection) connections.set(field.name, connection);
    const item = connection ? schema.getType(connection.nodeType)! : getNamedType(field.type);
    const filter = field.args.find((a) => a.name === 'filter');
    const filterType = filter && getNamedType(filter.type);
    const byMembers = filterType && isInputObjectType(filterType) && filterType.getFields().members;
    if (byMembers && isObjectType(item) && !namesOtherMembers(item, memberType)) memberPushdown.add(field.name);
    if (!probeQuery && field.args.some((a) => a.name === 'limit') && isObjectType(item) && item.getFields().id && field.args.every((a) => a.name === 'limit' || !isNonNullType(a.type))) {
      probeQuery = `{ ${field.name}(limit: 1) { id } }`;
    }
  }

  const member = schema.getType(memberType);
  const memberLists = new Set(
    isObjectType(member)
      ? Object.values(member.getFields())
          .filter((f) => isList(f.type))
          .map((f) => `${memberType}.${f.name}`)
      : [],
  );

  const quantityRanges = new Map<string, readonly [number, number]>();
  for (const type of records) {
    for (const field of Object.values(type.getFields())) {
      if (QUANTITY_SCALARS.has(getNamedType(field.type).name) && !isList(field.type)) quantityRanges.set(`${type.name}.${field.name}`, [0, MAX_QUANTITY]);
    }
  }

  const foreignRecordMutations = new Set<string>();
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const returned = getNamedType(field.type).name;
    if (!prefixedIdTypes.has(returned) || isList(field.type)) continue;
    const idArgument = `${returned[0].toLowerCase()}${returned.slice(1)}Id`;
    if (field.args.some((a) => a.name === idArgument && getNamedType(a.type).name === 'ID')) foreignRecordMutations.add(`${mutation!.name}.${field.name}`);
  }
  if (!probeQuery) throw new TypeError('the member contract has no root list with a `limit`: no cheap probe query');

  const facts: KindFacts = { rootFields, memberType, prefixedIdTypes, memberPushdown, memberLists, quantityRanges, foreignRecordMutations, probeQuery, connections };
  cache.set(schema, facts);
  return facts;
}

/** The connection shape of a root field, or undefined when it is not a connection. */
function connectionFacts(field: GraphQLField<unknown, unknown>): ConnectionFacts | undefined {
  const type = getNamedType(field.type);
  if (isList(field.type) || !isObjectType(type) || !['first', 'after'].every((a) => field.args.some((arg) => arg.name === a))) return undefined;
  const fields = type.getFields();
  if (!fields.edges || !fields.pageInfo || !fields.totalCount || !isList(fields.edges.type)) return undefined;
  const edge = getNamedType(fields.edges.type);
  if (!isObjectType(edge) || !edge.getFields().cursor || !edge.getFields().node) return undefined;
  return { type: type.name, edgeType: edge.name, nodeType: getNamedType(edge.getFields().node.type).name };
}

function findMemberType(objects: GraphQLObjectType[]): string {
  const counts = new Map<string, number>();
  for (const t of objects) {
    const field = t.getFields().member;
    if (field) counts.set(getNamedType(field.type).name, (counts.get(getNamedType(field.type).name) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  if (!best) throw new TypeError('the member contract has no `member` field: cannot tell which type stands for a member');
  return best[0];
}

/** Whether a record names members besides its owner: a list of the member type (`invited`). */
function namesOtherMembers(type: GraphQLObjectType, memberType: string): boolean {
  return Object.values(type.getFields()).some((f) => isList(f.type) && getNamedType(f.type).name === memberType);
}

function isSingleId(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name === 'ID' && !isList(field.type);
}

export function isList(type: GraphQLOutputType | GraphQLType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
