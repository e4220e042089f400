import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { ClassType } from 'type-graphql';
import { countVisible, findVisible } from '../../access/find-visible';
import type { AccessScope } from '../../access/visibility';
import type { MemberContext } from '../../context';
import type { ConnectionValue } from './connection.type';
import { MAX_LIST } from './list-limit';
import { afterCondition, decodeCursor, encodeCursor, namedOrder, type ColumnOf, type OrderKey } from './list-order';

/** Records in a page when `first` is not given. */
export const DEFAULT_PAGE = 50;
/** The most records in one page: the member's list cap. Above it, `first` is refused. */
export const MAX_PAGE = MAX_LIST;

/**
 * One root list of a kind, as the shared list and connection code reads it: the filter as SQL
 * conditions, the order, and the mapping to the contract type. Each kind declares its lists in
 * its `RecordKind`; the plain list, its `…Connection` and the cap reporting come from here.
 */
export interface RecordList<Row extends object = object, Args extends object = object, Node = unknown> {
  /** The root list field, e.g. `services`; its connection is `servicesConnection`. */
  readonly field: string;
  /** The contract type's name, e.g. `Service`: the connection is `ServiceConnection`. */
  readonly typeName: string;
  readonly node: ClassType;
  /** An `@ArgsType` class with the list's filter arguments (shared by the plain list and the connection). */
  readonly args: ClassType;
  readonly entity: EntityClass<Row>;
  /** The list's order; its last key is unique. */
  readonly order: readonly OrderKey[];
  /** What the list's arguments select, as conditions, or null when nothing at this member can match. */
  where(scope: AccessScope, args: Args, em: EntityManager): FilterQuery<Row>[] | null;
  toNode(row: Row, scope: AccessScope): Node;
}

/** Declares a list with its types checked against each other (row, arguments, node), for a kind's `lists`. */
export function recordList<Row extends object, Args extends object, Node>(list: RecordList<Row, Args, Node>): RecordList {
  return list as unknown as RecordList;
}

function columns(em: EntityManager, entity: EntityClass<object>): ColumnOf {
  const meta = em.getMetadata().get(entity.name);
  return (property) => `"${meta.properties[property as never].fieldNames[0]}"`;
}

function and<T>(conditions: FilterQuery<T>[]): FilterQuery<T> {
  return (conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0] : { $and: conditions }) as FilterQuery<T>;
}

/**
 * A plain root list: at most `limit` records, and never more than the member's cap. When the cap
 * (not the caller's `limit`) cut the list, the response key is recorded in `ctx.capped`, which the
 * member reports in `extensions.capped`: the gateway passes it on instead of cutting silently.
 */
export async function readList<Node>(ctx: MemberContext, info: GraphQLResolveInfo, list: RecordList, args: object, limit?: number | null): Promise<Node[]> {
  const where = list.where(ctx.scope, args, ctx.em);
  const max = Math.min(Math.max(limit ?? MAX_LIST, 0), MAX_LIST);
  if (!where || max === 0) return [];
  const rows = await findVisible(ctx.em, list.entity, ctx.scope, and(where), { orderBy: namedOrder(list.order, () => columns(ctx.em, list.entity)), limit: max + 1 });
  if (rows.length > max) {
    rows.length = max;
    if (max === MAX_LIST) ctx.capped.add(String(info.path.key));
  }
  return rows.map((row) => list.toNode(row, ctx.scope) as Node);
}

/** The page size asked for, checked: 0 to MAX_PAGE, default DEFAULT_PAGE. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (first < 0 || first > MAX_PAGE) {
    throw new GraphQLError(`Invalid input: first: from 0 to ${MAX_PAGE} records a page; ask for the next page with \`after\``, {
      extensions: { code: 'BAD_USER_INPUT', fields: [`first: from 0 to ${MAX_PAGE}`] },
    });
  }
  return first;
}

/**
 * One page of a list (keyset pagination): the records after `after` in the list's order, through
 * `findVisible`, so a hidden record is a missing one here too. `totalCount` counts what the
 * caller may see with the same filter, and runs only when asked for.
 */
export async function readPage<Row extends object, Args extends object, Node>(
  ctx: MemberContext,
  list: RecordList<Row, Args, Node>,
  args: Args,
  first?: number | null,
  after?: string | null,
): Promise<ConnectionValue<Node>> {
  const size = pageSize(first);
  const position = after === null || after === undefined ? undefined : decodeCursor(list.order, after);
  const where = list.where(ctx.scope, args, ctx.em);
  const column = columns(ctx.em, list.entity);
  let rows: Row[] = [];
  let hasNextPage = false;
  if (where) {
    const conditions = position ? [...where, afterCondition<Row>(list.order, position, column)] : where;
    rows = await findVisible(ctx.em, list.entity, ctx.scope, and(conditions), { orderBy: namedOrder(list.order, () => column), limit: size + 1 });
    hasNextPage = rows.length > size;
    if (hasNextPage) rows.length = size;
  }
  const edges = rows.map((row) => ({ node: list.toNode(row, ctx.scope), cursor: encodeCursor(list.order, row as Record<string, unknown>) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    // once per page however many times the query asks (aliases), with the conditions built again:
    // a raw SQL fragment (text search, indicators) is spent once used
    count: () => {
      if (!counted) {
        const again = list.where(ctx.scope, args, ctx.em);
        counted = again ? countVisible(ctx.em, list.entity, ctx.scope, and(again)) : Promise.resolve(0);
      }
      return counted;
    },
    unavailableMembers: [],
  };
}
