import { Kind, isObjectType, type DocumentNode, type FieldNode, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ownerOf } from '../../../../common/ids';
import type { SubgraphError } from '../merge';
import type { AnswerRules } from './answer-rules';
import { cachedFields, collectFields, fragmentsOf } from './collect-fields';
import type { Shape } from './type-shape';

export const INVALID_ANSWER = 'MEMBER_INVALID_ANSWER';
export const FOREIGN_RECORD = 'FOREIGN_RECORD_DROPPED';
/** Problems reported one by one per answer; the rest are counted in one last error. */
const MAX_REPORTED_PROBLEMS = 10;
/** Values checked between two looks at the clock (to yield when a slice runs long). */
const CLOCK_EVERY = 256;

export interface CheckOptions {
  schema: GraphQLSchema;
  rules: AnswerRules;
  /** The operation exactly as it was sent to the member (with the gateway's id probes). */
  document: DocumentNode;
  variables: Record<string, unknown>;
  /** The member that answered. */
  sender: string;
  /** Whether an id names a member of the request's registry. */
  isMember: (id: string) => boolean;
  /** Items taken from any one list; the rest are cut and counted in `truncated`. */
  maxListItems: number;
  /** For `_entities` answers: what was asked at each position. */
  representations?: readonly { __typename: string; id?: unknown }[];
  /** Longest synchronous slice, in ms, before the walk yields to the event loop. */
  sliceMs?: number;
}

export interface CheckedAnswer {
  /** A fresh copy holding only what the query asked for and the contract allows (no probes). */
  data: Record<string, unknown> | null;
  /** The gateway's errors about this answer, naming the sender. */
  problems: SubgraphError[];
  /** Records (or values) dropped for breaking the contract or the ownership rules. */
  dropped: number;
  /** List items beyond `maxListItems`, not taken. */
  truncated: number;
  /** For root lists with drops or cuts: original index → index after them (-1 when gone). */
  rootIndex: ReadonlyMap<string, Int32Array>;
}

/** The index of an answer without drops or cuts (most answers): one shared empty map, not one each. */
const NO_MOVES: ReadonlyMap<string, Int32Array> = new Map();

type Code = typeof INVALID_ANSWER | typeof FOREIGN_RECORD;

/** Where a checked value is written: a field of an object, a list item, an entity position or a root field. */
interface Place {
  parent: Holder;
  key: string | number;
  kind: 'field' | 'item' | 'entity' | 'root';
  nullable: boolean;
  /** For root fields: the empty value that stands for "nothing from this member". */
  empty?: unknown[] | null;
}

/** An object or list being built; `place` is where it sits in its parent. */
interface Holder {
  out: Record<string, unknown> | unknown[];
  place: Place | null;
  dead: boolean;
  removed?: Uint8Array;
}

interface Task {
  value: unknown;
  shape: Shape;
  nodes: readonly FieldNode[];
  place: Place;
  /** `Type.field` of the field this value answers. */
  rule: string;
  /** Whom a record or member reference here may belong to: the sender, or any registry member. */
  naming: 'sender' | 'registry';
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const NULL_PROBLEM: [Code, string] = [INVALID_ANSWER, 'null where the contract says non-null'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks one member's answer against the operation it was sent, the member contract and the
 * sender's identity, in one iterative walk along the selection set (an answer cannot be deeper
 * than the query, and no recursion can overflow):
 * - types, nullability, enum values, finite numbers and stated ranges;
 * - ownership: every record of an owned type carries ids (the gateway's probe AND any `id` the
 *   query asked for) with the sender's prefix; member references are the sender, except fields
 *   that name others (`invited`, `sharedWith`), which must name registry members;
 * - `_entities`: each position answers the representation asked there;
 * - at most `maxListItems` items per list.
 * A bad value is dropped on its own: a list item is removed, a nullable field becomes null, and a
 * bad non-null field drops its nearest nullable ancestor (an `_entities` position becomes null).
 * Returns a fresh copy, never the member's objects.
 *
 * @example
 * const checked = await checkAnswer(answer.data, { schema, rules, document, variables, sender: 'alpha', isMember, maxListItems: 1000 });
 */
export async function checkAnswer(data: Record<string, unknown> | null, opts: CheckOptions): Promise<CheckedAnswer> {
  return startAnswerCheck(data, opts);
}

/**
 * `checkAnswer` without a promise when it can: the result itself when the walk finishes within
 * one slice (almost every answer), a promise only when it has to yield to the event loop. For
 * the fan-out's hot path, where a promise and its turn per member answer add up.
 *
 * @example
 * const pending = startAnswerCheck(answer.data, opts);
 * const checked = pending instanceof Promise ? await pending : pending;
 */
export function startAnswerCheck(data: Record<string, unknown> | null, opts: CheckOptions): CheckedAnswer | Promise<CheckedAnswer> {
  const result: CheckedAnswer = { data: null, problems: [], dropped: 0, truncated: 0, rootIndex: NO_MOVES };
  if (data === null) return result;
  const operation = opts.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new TypeError('checkAnswer needs the operation that was sent');
  const rootType = operation.operation === 'mutation' ? opts.schema.getMutationType() : opts.schema.getQueryType();
  if (!rootType) throw new TypeError(`the member contract has no ${operation.operation} type`);
  const { schema, rules, sender, variables } = opts;
  const fragments = fragmentsOf(opts.document);
  const root: Holder = { out: {}, place: null, dead: false };
  const lists: Holder[] = [];
  const stack: Task[] = [];
  let problemCount = 0;
  /** Values checked so far (the walk looks at the clock every CLOCK_EVERY of them). */
  let steps = 0;
  let sliceStart = performance.now();
  const sliceMs = opts.sliceMs ?? 4;

  const pathOf = (place: Place): string => {
    const parts: string[] = [];
    for (let p: Place | null = place; p; p = p.parent.place) parts.push(typeof p.key === 'number' ? `[${p.key}]` : `.${p.key}`);
    return parts.reverse().join('').replace(/^\./, '');
  };
  const rootPlace = (place: Place): Place => {
    let p = place;
    while (p.parent.place) p = p.parent.place;
    return p;
  };
  const entityPlace = (place: Place): Place | undefined => {
    for (let p: Place | null = place; p; p = p.parent.place) if (p.kind === 'entity') return p;
    return undefined;
  };

  /** Counts and reports one dropped value (the first few one by one). */
  const report = (place: Place, code: Code, why: string) => {
    result.dropped++;
    problemCount++;
    if (problemCount <= MAX_REPORTED_PROBLEMS) {
      const entity = entityPlace(place);
      const path = entity ? ['_entities', entity.key] : [rootPlace(place).key];
      result.problems.push({
        message: `Member "${sender}" answered ${pathOf(place)} ${why}; ${code === FOREIGN_RECORD ? 'the record was dropped' : 'it was dropped'}`,
        path,
        extensions: { code, member: sender },
      });
    }
  };
  /** Reports a bad value and drops it: the list item, the nullable field, or up to the nearest nullable ancestor. */
  const fail = (place: Place, code: Code, why: string) => {
    report(place, code, why);
    let p: Place = place;
    for (;;) {
      if (p.kind === 'item') {
        const list = p.parent;
        list.removed ??= new Uint8Array((list.out as unknown[]).length);
        list.removed[p.key as number] = 1;
        return;
      }
      if (p.kind === 'root') {
        (p.parent.out as Record<string, unknown>)[p.key] = p.empty;
        return;
      }
      if (p.kind === 'entity' || p.nullable) {
        (p.parent.out as Record<string | number, unknown>)[p.key] = null;
        return;
      }
      const holder = p.parent;
      holder.dead = true;
      if (!holder.place) return;
      p = holder.place;
    }
  };
  const dead = (place: Place): boolean => {
    for (let h: Holder | null = place.parent; h; h = h.place?.parent ?? null) if (h.dead) return true;
    return false;
  };
  const write = (place: Place, value: unknown) => {
    (place.parent.out as Record<string | number, unknown>)[place.key] = value;
  };

  const pushFields = (
    value: Record<string, unknown>,
    type: GraphQLObjectType,
    nodes: readonly FieldNode[] | null,
    owner: object,
    holder: Holder,
    naming: Task['naming'],
    entityIndex?: number,
  ): [Code, string] | undefined => {
    // the selections are only worked out when the fields are not cached yet
    const fields =
      cachedFields(owner, type) ?? collectFields(schema, fragments, owner, () => (nodes ? nodes.map((n) => n.selectionSet?.selections ?? []) : [operation.selectionSet.selections]), type, variables);
    const out = holder.out as Record<string, unknown>;
    // ownership first: a record that is not the sender's is dropped whole
    const owned = rules.ownedTypes.has(type.name);
    const isMemberType = type.name === rules.memberType;
    const representation = entityIndex === undefined ? undefined : opts.representations?.[entityIndex];
    if (representation && representation.__typename !== type.name) return [FOREIGN_RECORD, `is a ${type.name} where a ${representation.__typename} was asked`];
    if (owned || isMemberType) {
      let ids = 0;
      for (const f of fields) {
        if (f.name !== 'id') continue;
        ids++;
        const id = value[f.responseKey];
        if (typeof id !== 'string') return [FOREIGN_RECORD, `has a ${type.name} without a verifiable id`];
        if (representation && typeof representation.id === 'string' && id !== representation.id) return [FOREIGN_RECORD, `is not the ${type.name} that was asked`];
        if (owned && (naming === 'registry' ? !opts.isMember(ownerOf(id) ?? '') : !ownedBy(id, sender))) return [FOREIGN_RECORD, `holds a ${type.name} under another member's id`];
        if (isMemberType && (naming === 'registry' ? !opts.isMember(id) : id !== sender)) {
          return [FOREIGN_RECORD, naming === 'registry' ? 'names a member that is not in the registry' : 'names another member where only the sender can be named'];
        }
      }
      if (ids === 0) return [FOREIGN_RECORD, `has a ${type.name} without a verifiable id`];
    }
    // keys in the order the query asked for them
    for (const f of fields) if (!f.probe) out[f.responseKey] = null;
    steps += fields.length;
    for (let i = fields.length - 1; i >= 0; i--) {
      const f = fields[i];
      if (f.probe) continue;
      const fieldValue = value[f.responseKey];
      if (f.name === '__typename') {
        if (fieldValue !== undefined && fieldValue !== type.name) return drop(holder, INVALID_ANSWER, 'has a __typename that does not match its fields');
        out[f.responseKey] = type.name;
        continue;
      }
      const shape = f.shape;
      if (!shape) continue;
      // leaves and lists of leaves are checked here, without a task of their own
      if (shape.leaf) {
        const problem = fieldValue === null || fieldValue === undefined ? (shape.nonNull ? NULL_PROBLEM : undefined) : leafCheck(fieldValue, shape, f.rule);
        if (!problem) {
          out[f.responseKey] = fieldValue ?? null;
          continue;
        }
        if (shape.nonNull) return drop(holder, problem[0], `has ${f.responseKey} ${problem[1]}`);
        report({ parent: holder, key: f.responseKey, kind: 'field', nullable: true }, problem[0], problem[1]);
        continue;
      }
      if (shape.item?.leaf && Array.isArray(fieldValue)) {
        const item = shape.item;
        const n = Math.min(fieldValue.length, opts.maxListItems);
        if (fieldValue.length > n) result.truncated += fieldValue.length - n;
        steps += n;
        const list: unknown[] = [];
        let listPlace: Place | undefined;
        for (let j = 0; j < n; j++) {
          const v = fieldValue[j];
          const problem = v === null || v === undefined ? (item.nonNull ? NULL_PROBLEM : undefined) : leafCheck(v, item, f.rule);
          if (!problem) list.push(v ?? null);
          else {
            listPlace ??= { parent: holder, key: f.responseKey, kind: 'field', nullable: !shape.nonNull };
            report({ parent: { out: list, place: listPlace, dead: false }, key: j, kind: 'item', nullable: false }, problem[0], problem[1]);
          }
        }
        out[f.responseKey] = list;
        continue;
      }
      stack.push({
        value: fieldValue,
        shape,
        nodes: f.nodes,
        place: { parent: holder, key: f.responseKey, kind: 'field', nullable: !shape.nonNull },
        rule: f.rule,
        naming: rules.memberFields.get(f.rule) ?? 'sender',
      });
    }
    return undefined;
  };
  /** The object in `holder` is dropped whole: its pending children are skipped. */
  const drop = (holder: Holder, code: Code, why: string): [Code, string] => {
    holder.dead = true;
    return [code, why];
  };
  const leafCheck = (value: unknown, shape: Shape, rule: string): [Code, string] | undefined => {
    const why = leafProblem(value, shape, rule, rules);
    if (why) return [INVALID_ANSWER, why];
    if (rules.memberIdFields.has(rule) && !opts.isMember(value as string)) return [FOREIGN_RECORD, 'names a member that is not in the registry'];
    return undefined;
  };

  // the root fields
  const rootFields = collectFields(schema, fragments, operation, () => [operation.selectionSet.selections], rootType, variables);
  for (let i = rootFields.length - 1; i >= 0; i--) {
    const f = rootFields[i];
    if (f.name === '__typename') {
      (root.out as Record<string, unknown>)[f.responseKey] = rootType.name;
      continue;
    }
    const shape = f.shape;
    if (!shape) continue;
    stack.push({
      value: data[f.responseKey],
      shape,
      nodes: f.nodes,
      place: { parent: root, key: f.responseKey, kind: 'root', nullable: !shape.nonNull, empty: shape.item ? [] : null },
      rule: f.rule,
      naming: rules.foreignRecordFields.has(f.rule) ? 'registry' : 'sender',
    });
  }

  let nextClock = CLOCK_EVERY;
  /** Walks until the stack is empty (true) or the slice is spent (false: call again after a yield). */
  const walk = (): boolean => {
    while (stack.length) {
      if (++steps >= nextClock) {
        nextClock = steps + CLOCK_EVERY;
        if (performance.now() - sliceStart > sliceMs) return false;
      }
      const task = stack.pop()!;
      const { place, value } = task;
      if (dead(place)) continue;
      const shape = task.shape;
      if (value === null || value === undefined) {
        if (shape.nonNull) fail(place, INVALID_ANSWER, value === null ? 'null where the contract says non-null' : 'without a field the contract says is non-null');
        else write(place, null);
        continue;
      }
      if (shape.item) {
        if (!Array.isArray(value)) {
          fail(place, INVALID_ANSWER, 'with a non-list where the contract says list');
          continue;
        }
        const n = Math.min(value.length, opts.maxListItems);
        if (value.length > n) result.truncated += value.length - n;
        const holder: Holder = { out: new Array(n).fill(null), place, dead: false };
        // a cut root list gets an index map too, so member error paths past the cut lose their index
        if (value.length > n && place.kind === 'root') holder.removed = new Uint8Array(n);
        write(place, holder.out);
        lists.push(holder);
        const inner = shape.item;
        const itemKind = place.kind === 'root' && place.key === '_entities' && opts.representations ? 'entity' : 'item';
        for (let i = n - 1; i >= 0; i--) {
          stack.push({ value: value[i], shape: inner, nodes: task.nodes, place: { parent: holder, key: i, kind: itemKind, nullable: !inner.nonNull }, rule: task.rule, naming: task.naming });
        }
        continue;
      }
      if (shape.leaf) {
        const problem = leafCheck(value, shape, task.rule);
        if (problem) fail(place, problem[0], problem[1]);
        else write(place, value);
        continue;
      }
      if (typeof value !== 'object' || Array.isArray(value)) {
        fail(place, INVALID_ANSWER, 'with a non-object where the contract says object');
        continue;
      }
      const record = value as Record<string, unknown>;
      let concrete: GraphQLObjectType | null = shape.object;
      if (shape.abstract) {
        // an entity answer may leave __typename out when the query did not ask for it: the
        // representation says what was asked (and a __typename that is there must agree)
        const asked = place.kind === 'entity' ? opts.representations?.[place.key as number]?.__typename : undefined;
        const name = typeof record.__typename === 'string' ? record.__typename : asked;
        const candidate = name ? schema.getType(name) : undefined;
        if (candidate && isObjectType(candidate) && schema.isSubType(shape.abstract, candidate)) concrete = candidate;
      }
      if (!concrete) {
        fail(place, INVALID_ANSWER, 'with an object of a type the contract does not allow there');
        continue;
      }
      const holder: Holder = { out: {}, place, dead: false };
      const problem = pushFields(record, concrete, task.nodes, task.nodes[0], holder, task.naming, place.kind === 'entity' ? (place.key as number) : undefined);
      if (problem) {
        fail(place, problem[0], problem[1]);
        continue;
      }
      write(place, holder.out);
    }
    return true;
  };

  /** After the walk: dropped list items removed, the problems past the first few counted. */
  const finish = (): CheckedAnswer => {
    // remove dropped list items, keeping order
    for (const list of lists) {
      if (!list.removed) continue;
      const out = list.out as unknown[];
      const index = list.place?.kind === 'root' ? new Int32Array(out.length) : undefined;
      let w = 0;
      for (let r = 0; r < out.length; r++) {
        if (list.removed[r]) {
          if (index) index[r] = -1;
          continue;
        }
        if (index) index[r] = w;
        out[w++] = out[r];
      }
      out.length = w;
      if (index) {
        if (result.rootIndex === NO_MOVES) result.rootIndex = new Map();
        (result.rootIndex as Map<string, Int32Array>).set(list.place!.key as string, index);
      }
    }
    if (problemCount > MAX_REPORTED_PROBLEMS) {
      result.problems.push({
        message: `Member "${sender}" answered ${problemCount - MAX_REPORTED_PROBLEMS} more value(s) that break the network contract; they were dropped`,
        extensions: { code: INVALID_ANSWER, member: sender },
      });
    }
    result.data = root.out as Record<string, unknown>;
    return result;
  };

  if (walk()) return finish();
  // a long answer: the rest of the walk in slices, each after a turn of the event loop
  return (async () => {
    do {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    } while (!walk());
    return finish();
  })();
}

/** `ownerOf(id) === sender` without cutting the prefix out of the id (one record at a time, thousands per answer). */
function ownedBy(id: string, sender: string): boolean {
  return sender.length > 0 && id.indexOf(':') === sender.length && id.startsWith(sender);
}

function leafProblem(value: unknown, shape: Shape, rule: string, rules: AnswerRules): string | undefined {
  if (shape.enumValues) return typeof value === 'string' && shape.enumValues.has(value) ? undefined : `with a value that is not a ${shape.leaf}`;
  switch (shape.leaf) {
    case 'ID':
    case 'String':
      return typeof value === 'string' ? undefined : `with a non-string where the contract says ${shape.leaf}`;
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'with a non-boolean where the contract says Boolean';
    case 'Int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT_MIN || value > INT_MAX) return 'with a value that is not an Int';
      return rangeProblem(value, rule, rules);
    case 'Float':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'with a value that is not a finite Float';
      return rangeProblem(value, rule, rules);
    case 'DateTime':
      return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'with a value that is not a DateTime';
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? undefined : `with a value that is not a ${shape.leaf}`;
  }
}

function rangeProblem(value: number, rule: string, rules: AnswerRules): string | undefined {
  const range = rules.ranges.get(rule);
  return range && (value < range[0] || value > range[1]) ? `with a number outside the range the contract allows (${range[0]} to ${range[1]})` : undefined;
}
