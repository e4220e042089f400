import { dirname, join } from 'node:path';

/**
 * Apollo's response shaping (`computeResponse`, @apollo/gateway's `resultShaping`) copies every
 * object of a response into a new one, in the operation's order, after the query plan ran. At 500
 * members a `services` request has thousands of records, and the copy was a quarter of all the
 * gateway allocated per request. When the fetched data is already exactly what the copy would be
 * (the fan-out's answer check built it in the operation's shape), this hands it back as it is and
 * skips the copy; anything else goes to Apollo's own shaping, unchanged.
 *
 * "Exactly what the copy would be" is checked in one walk that allocates nothing per record:
 * - the operation has only plain fields: no fragments, no directives, no introspection fields
 *   (`__schema`, `__type`);
 * - every object's own keys are the selection's response names, in its order, and nothing else;
 * - every object where the schema has one is a non-array object, every list an array without holes;
 * - no null where the schema says non-null (Apollo would null the parent and report it);
 * - every leaf passes Apollo's own `isValidLeafValue` (Apollo would null it and report it);
 * - every `__typename` names an object type of the schema (Apollo answers with its name).
 * Then Apollo's copy would hold the same values under the same keys in the same order: JSON
 * serializes both alike. The data handed back is the query plan's own (per request: the fan-out
 * builds fresh objects for each request, and Apollo's merge of fetches writes into them already).
 *
 * @apollo/gateway is pinned (package.json); the shortcut is installed for the version it was
 * checked against only (`SHAPING_CHECKED_FOR`), and `installShapedResponse()` says whether it is.
 */

/** The @apollo/gateway version whose `computeResponse` this mirrors. */
export const SHAPING_CHECKED_FOR = '2.14.4';

/** The parts of @apollo/federation-internals' operation model the check reads (structural). */
interface NamedType {
  kind: string;
  name: string;
}
interface WrapperType {
  kind: 'NonNullType' | 'ListType';
  ofType: FederationType;
}
type FederationType = NamedType | WrapperType;
interface FieldElement {
  kind: 'Field';
  name: string;
  responseName(): string;
  appliedDirectives: readonly unknown[];
  definition: { type: FederationType; isSchemaIntrospectionField(): boolean };
}
interface Selection {
  kind: string;
  element: FieldElement | { kind: string; appliedDirectives: readonly unknown[] };
  selectionSet?: SelectionSet;
}
interface SelectionSet {
  selections(): readonly Selection[];
}
interface FederationSchema {
  type(name: string): NamedType | undefined;
}
interface Operation {
  schema(): FederationSchema;
  selectionSet: SelectionSet;
}

/** What `computeResponse` takes and returns (resultShaping.d.ts). */
export interface ComputeResponseArgs {
  operation: Operation;
  variables?: Record<string, unknown>;
  input: Record<string, unknown> | null | undefined;
  introspectionHandling: (selection: unknown) => unknown;
}
export type ComputeResponse = (args: ComputeResponseArgs) => { data?: Record<string, unknown> | null; errors: unknown[] };

/** One field of a plain selection set, worked out once per request and selection set. */
interface PlainField {
  key: string;
  /** `__typename`: the value must name an object type of the schema. */
  typename: boolean;
  type: FederationType;
  selectionSet: SelectionSet | undefined;
}

type LeafCheck = (schema: FederationSchema, value: unknown, type: NamedType) => boolean;

const COMPOSITE = new Set(['ObjectType', 'InterfaceType', 'UnionType']);

/**
 * Whether `input` is exactly what Apollo's shaping of it for `operation` would produce (see the
 * module comment), so it can stand for the copy.
 */
export function alreadyShaped(operation: Operation, input: Record<string, unknown>, isValidLeafValue: LeafCheck): boolean {
  const schema = operation.schema();
  // the selection sets of one request: its operation is built for it, and so are they
  const plans = new Map<SelectionSet, PlainField[] | null>();
  const planOf = (set: SelectionSet): PlainField[] | null => {
    let plan = plans.get(set);
    if (plan !== undefined) return plan;
    plan = [];
    for (const selection of set.selections()) {
      const element = selection.element;
      if (selection.kind !== 'FieldSelection' || element.kind !== 'Field' || element.appliedDirectives.length > 0) {
        plan = null;
        break;
      }
      const field = element as FieldElement;
      if (field.definition.isSchemaIntrospectionField()) {
        plan = null;
        break;
      }
      plan.push({ key: field.responseName(), typename: field.name === '__typename', type: field.definition.type, selectionSet: selection.selectionSet });
    }
    plans.set(set, plan);
    return plan;
  };

  const objectShaped = (value: unknown, set: SelectionSet | undefined): boolean => {
    if (!set || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const plan = planOf(set);
    if (!plan) return false;
    const record = value as Record<string, unknown>;
    // own enumerable keys, exactly the response names in order (an inherited one shows up too)
    let i = 0;
    for (const key in record) {
      if (i >= plan.length || key !== plan[i].key || !Object.prototype.hasOwnProperty.call(record, key)) return false;
      i++;
    }
    if (i !== plan.length) return false;
    for (const field of plan) {
      const fieldValue = record[field.key];
      if (field.typename) {
        if (typeof fieldValue !== 'string' || schema.type(fieldValue)?.kind !== 'ObjectType') return false;
      } else if (!valueShaped(fieldValue, field.type, field.selectionSet)) return false;
    }
    return true;
  };

  const valueShaped = (value: unknown, type: FederationType, set: SelectionSet | undefined): boolean => {
    if (value === undefined) return false;
    if (type.kind === 'NonNullType') return value !== null && valueShaped(value, (type as WrapperType).ofType, set);
    if (value === null) return true;
    if (type.kind === 'ListType') {
      if (!Array.isArray(value)) return false;
      const item = (type as WrapperType).ofType;
      for (let i = 0; i < value.length; i++) if (!valueShaped(value[i], item, set)) return false;
      return true;
    }
    if (COMPOSITE.has(type.kind)) {
      // an object's own __typename decides its type in Apollo's shaping: only where it is asked for
      return objectShaped(value, set);
    }
    return isValidLeafValue(schema, value, type as NamedType);
  };

  return objectShaped(input, operation.selectionSet);
}

/**
 * `computeResponse` with the shortcut in front: the data as it is when it is already shaped,
 * else Apollo's own result.
 */
export function shapedResponse(original: ComputeResponse, isValidLeafValue: LeafCheck): ComputeResponse {
  return (args) => {
    const { input, operation } = args;
    if (input && alreadyShaped(operation, input, isValidLeafValue)) return { data: input, errors: [] };
    return original(args);
  };
}

const INSTALLED = Symbol.for('infrared.shapedResponse');

/**
 * Puts the shortcut in front of @apollo/gateway's response shaping, once per process. Returns
 * whether it is in place: false (Apollo's shaping alone) for a version other than
 * `SHAPING_CHECKED_FOR`.
 */
export function installShapedResponse(): boolean {
  const gatewayDir = dirname(require.resolve('@apollo/gateway/package.json'));
  // plain require, not createRequire: the module instance must be the one @apollo/gateway's
  // executeQueryPlan holds (under Jest too, whose module registry is its own)
  /* eslint-disable @typescript-eslint/no-require-imports -- a module of @apollo/gateway's own build, replaced in place */
  const version = (require(join(gatewayDir, 'package.json')) as { version: string }).version;
  if (version !== SHAPING_CHECKED_FOR) return false;
  const shaping = require(join(gatewayDir, 'dist', 'resultShaping.js')) as { computeResponse: ComputeResponse & { [INSTALLED]?: true } };
  if (shaping.computeResponse[INSTALLED]) return true;
  const { isValidLeafValue } = require(require.resolve('@apollo/federation-internals', { paths: [gatewayDir] })) as { isValidLeafValue: LeafCheck };
  /* eslint-enable @typescript-eslint/no-require-imports */
  shaping.computeResponse = Object.assign(shapedResponse(shaping.computeResponse, isValidLeafValue), { [INSTALLED]: true as const });
  return true;
}
