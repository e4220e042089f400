import { getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { kindFacts, MAX_QUANTITY } from '../../../../schema/kind-facts';

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
 * - quantity ranges: a record's Float and Int fields are never negative (schema/kind-facts.ts).
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
/** Largest number a record may report as a quantity: beyond it a sum over the network stops being exact. */
export const MAX_QUANTITY_NUMBER = MAX_QUANTITY;

const cache = new WeakMap<GraphQLSchema, AnswerRules>();

/** Derives the rules from a member contract schema (through its kind facts), once per schema. */
export function answerRules(schema: GraphQLSchema): AnswerRules {
  const hit = cache.get(schema);
  if (hit) return hit;
  const facts = kindFacts(schema);
  const memberType = facts.memberType;
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('_'));
  const memberFields = new Map<string, 'sender' | 'registry'>();
  const memberIdFields = new Set<string>();
  for (const type of objects) {
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (getNamedType(field.type).name === memberType) memberFields.set(key, isList(field) ? 'registry' : 'sender');
      if (ID_FIELDS_NAMING_MEMBERS.includes(field.name) && getNamedType(field.type).name === 'ID') memberIdFields.add(key);
    }
  }
  const rules: AnswerRules = {
    memberType,
    ownedTypes: facts.prefixedIdTypes,
    memberFields,
    memberIdFields,
    ranges: facts.quantityRanges,
    foreignRecordFields: facts.foreignRecordMutations,
  };
  cache.set(schema, rules);
  return rules;
}

function isList(field: GraphQLField<unknown, unknown>): boolean {
  return isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
}
