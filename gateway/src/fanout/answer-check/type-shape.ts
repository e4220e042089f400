import { getNamedType, isAbstractType, isEnumType, isListType, isNonNullType, isObjectType, type GraphQLAbstractType, type GraphQLObjectType, type GraphQLOutputType } from 'graphql';

/**
 * What the answer check needs to know of a contract type, worked out once per type: graphql-js's
 * type predicates are too slow to call for every value of a large answer.
 */
export interface Shape {
  nonNull: boolean;
  /** For lists: the shape of the items. */
  item: Shape | null;
  /** For scalars and enums: the type's name. */
  leaf: string | null;
  /** For enums: the allowed values. */
  enumValues: ReadonlySet<string> | null;
  object: GraphQLObjectType | null;
  abstract: GraphQLAbstractType | null;
}

const shapes = new WeakMap<GraphQLOutputType, Shape>();

/** The shape of a (wrapped) output type, cached per type object. */
export function shapeOf(type: GraphQLOutputType): Shape {
  let shape = shapes.get(type);
  if (shape) return shape;
  const nonNull = isNonNullType(type);
  const inner: GraphQLOutputType = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    shape = { nonNull, item: shapeOf(inner.ofType as GraphQLOutputType), leaf: null, enumValues: null, object: null, abstract: null };
  } else {
    const named = getNamedType(inner);
    const composite = isObjectType(named) || isAbstractType(named);
    shape = {
      nonNull,
      item: null,
      leaf: composite ? null : named.name,
      enumValues: isEnumType(named) ? new Set(named.getValues().map((v) => v.name)) : null,
      object: isObjectType(named) ? named : null,
      abstract: isAbstractType(named) ? named : null,
    };
  }
  shapes.set(type, shape);
  return shape;
}
