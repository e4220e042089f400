import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * What the answer checker enforces beyond GraphQL types, derived from the member contract:
 * - `memberType`: the type that stands for a member (the type of every entity's `member` field);
 *   its `id` is a member id.
 * - `ownedTypes`: object types with an `id` that are not the member type. Their ids are
 *   `<memberId>:<localId>`, and a member may only answer its own.
 * - member references: a singular field of the member type (`member`, `lead`) names the
 *   record's owner and must be the sender; a list of the member type (`invited`) names others and
 *   must hold members of the registry.
 * - `ID_FIELDS_NAMING_MEMBERS`: scalar id lists that name other members (`sharedWith`).
 * - number ranges that the contract states in words (capacity is never negative).
 */
export interface AnswerRules {
  memberType: string;
  ownedTypes: ReadonlySet<string>;
  /** `Type.field` → 'sender' | 'registry' for fields that name members. */
  memberFields: ReadonlyMap<string, 'sender' | 'registry'>;
  /** `Type.field` of `[ID!]` lists whose ids must be registry members. */
  memberIdFields: ReadonlySet<string>;
  /** `Type.field` → [min, max] for Float/Int fields with a stated range. */
  ranges: ReadonlyMap<string, readonly [number, number]>;
  /** `Type.field` whose record belongs to another member of the registry, by the contract's word. */
  foreignRecordFields: ReadonlySet<string>;
}

/** Scalar id fields that name other members (the contract types them as plain `[ID!]`). */
export const ID_FIELDS_NAMING_MEMBERS = ['sharedWith'];
/**
 * Fields whose answer is another member's record: `joinProject` is recorded at the caller's own
 * member and answers with the lead's project (its description says so).
 */
export const FOREIGN_RECORD_FIELDS = ['Mutation.joinProject'];
/** Largest number a capacity may report: beyond it a sum over the network stops being exact. */
export const MAX_CAPACITY_NUMBER = 1e12;
/** Contract numbers that cannot be negative: capacity `total`, `used` and `available`. */
const NON_NEGATIVE: Record<string, string[]> = { Capacity: ['total', 'used', 'available'] };

const cache = new WeakMap<GraphQLSchema, AnswerRules>();

/** Derives the rules from a member contract schema, once per schema. */
export function answerRules(schema: GraphQLSchema): AnswerRules {
  const hit = cache.get(schema);
  if (hit) return hit;
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('_'));
  const memberType = findMemberType(objects);
  const ownedTypes = new Set(objects.filter((t) => t.name !== memberType && t.getFields().id && isIdField(t.getFields().id)).map((t) => t.name));
  const memberFields = new Map<string, 'sender' | 'registry'>();
  const memberIdFields = new Set<string>();
  const ranges = new Map<string, readonly [number, number]>();
  for (const type of objects) {
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (getNamedType(field.type).name === memberType) memberFields.set(key, isList(field) ? 'registry' : 'sender');
      if (ID_FIELDS_NAMING_MEMBERS.includes(field.name) && getNamedType(field.type).name === 'ID') memberIdFields.add(key);
    }
    for (const name of NON_NEGATIVE[type.name] ?? []) if (type.getFields()[name]) ranges.set(`${type.name}.${name}`, [0, MAX_CAPACITY_NUMBER]);
  }
  const rules: AnswerRules = { memberType, ownedTypes, memberFields, memberIdFields, ranges, foreignRecordFields: new Set(FOREIGN_RECORD_FIELDS) };
  cache.set(schema, rules);
  return rules;
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

function isIdField(field: GraphQLField<unknown, unknown>): boolean {
  return getNamedType(field.type).name === 'ID' && !isList(field);
}

function isList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
}
