import {
  Kind,
  TypeInfo,
  parse,
  print,
  visit,
  visitWithTypeInfo,
  getNamedType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { MemberContract, RootFieldKind } from '../../../schema/contract';

/** The alias the gateway adds to every record (and member reference) it asks a member for, to check who it belongs to. */
export const ID_PROBE = 'infrared__id';

export interface RootField {
  responseKey: string;
  name: string;
  kind: RootFieldKind | 'typename';
  args: Map<string, ValueNode>;
}

/** What the fan-out needs to know about one subgraph operation. Built once per query text. */
export interface OperationPlan {
  operation: 'query' | 'mutation';
  /** An `_entities` fetch: representations are routed by owner. */
  entities: boolean;
  rootFields: RootField[];
  /** The operation with `infrared__id: id` added to every record with an id. */
  probed: DocumentNode;
  probedText: string;
  /** Rendered subsets of the operation, keyed by the response keys they keep. */
  subsets: Map<string, string>;
}

/**
 * Analyses a subgraph operation once: its root fields (through aliases and fragments) and a copy
 * that asks every record for its id under a reserved alias, so that records a member returns
 * under another member's prefix can be recognised and dropped.
 */
export function planOperation(query: string, contract: MemberContract): OperationPlan {
  const document = parse(query, { noLocation: true });
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new TypeError('subgraph request has no operation');
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const rootFields: RootField[] = [];
  const collect = (selections: readonly SelectionNode[]) => {
    for (const s of selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.name.value;
        const kind: RootField['kind'] = name === '__typename' ? 'typename' : (contract.queryFields.get(name) ?? 'list');
        rootFields.push({ responseKey: s.alias?.value ?? name, name, kind, args: new Map((s.arguments ?? []).map((a) => [a.name.value, a.value])) });
      } else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet.selections);
      else {
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet.selections);
      }
    }
  };
  collect(operation.selectionSet.selections);
  const probed = addIdProbes(document, contract);
  return {
    operation: operation.operation === 'mutation' ? 'mutation' : 'query',
    entities: rootFields.some((f) => f.name === '_entities'),
    rootFields,
    probed,
    probedText: print(probed),
    subsets: new Map(),
  };
}

function addIdProbes(document: DocumentNode, contract: MemberContract): DocumentNode {
  const typeInfo = new TypeInfo(contract.schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node) {
          const parent = typeInfo.getParentType();
          const type = parent && getNamedType(parent);
          if (!type || !isObjectType(type) || !type.getFields().id) return undefined;
          if (node.selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === ID_PROBE)) return undefined;
          const probe: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: ID_PROBE }, name: { kind: Kind.NAME, value: 'id' } };
          return { ...node, selections: [...node.selections, probe] };
        },
      },
    }),
  );
}

/**
 * The probed operation restricted to some root response keys, with the variables it no longer
 * uses removed (members reject unused variables). Cached on the plan.
 */
export function subsetOperation(plan: OperationPlan, keep: ReadonlySet<string>): string {
  if (keep.size === plan.rootFields.length) return plan.probedText;
  const cacheKey = [...keep].sort().join(',');
  const hit = plan.subsets.get(cacheKey);
  if (hit) return hit;
  const pruned = visit(plan.probed, {
    OperationDefinition(op) {
      const selections = op.selectionSet.selections.filter((s) => s.kind !== Kind.FIELD || keep.has(s.alias?.value ?? s.name.value));
      return { ...op, selectionSet: { ...op.selectionSet, selections } };
    },
  });
  const final = pruneUnusedVariables(pruned);
  const text = print(final);
  plan.subsets.set(cacheKey, text);
  return text;
}

/**
 * Removes the variable definitions and fragments that the operation no longer uses (members
 * reject both). Only the operation and the fragments it still reaches count as uses.
 */
export function pruneUnusedVariables(document: DocumentNode): DocumentNode {
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const used = new Set<string>();
  const reached = new Set<string>();
  const scan = (body: SelectionSetNode): void =>
    void visit(body, {
      Variable: (v) => void used.add(v.name.value),
      FragmentSpread: (s) => {
        const fragment = fragments.get(s.name.value);
        if (!fragment || reached.has(s.name.value)) return;
        reached.add(s.name.value);
        scan(fragment.selectionSet);
      },
    });
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) scan(definition.selectionSet);
  return visit(document, {
    VariableDefinition(def) {
      return used.has(def.variable.name.value) ? undefined : null;
    },
    FragmentDefinition(def) {
      return reached.has(def.name.value) ? undefined : null;
    },
  });
}

/** The value of an argument, resolving variables. */
export function argumentValue(node: ValueNode | undefined, variables: Record<string, unknown> | undefined): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => argumentValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, argumentValue(f.value, variables)]));
    default:
      return undefined;
  }
}
