import { raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { NamedOrder } from '../../access/find-visible';
import { GraphQLError } from 'graphql';

/**
 * One column of a list's order. The last key of an order is unique (the local id), so the order
 * is total and a position in it is exact.
 */
export interface OrderKey {
  /** The entity property. */
  readonly property: string;
  readonly direction: 'asc' | 'desc';
  /** `text` keys sort by code point (`collate "C"`), `datetime` keys by instant (milliseconds). */
  readonly type: 'text' | 'datetime';
}

/** A position in a list: one value per order key, as the cursor carries it. */
export type KeyTuple = (string | number)[];

const MAX_CURSOR_LENGTH = 1024;
const MAX_TEXT_KEY = 256;
const MAX_INSTANT = 8.64e15;

/**
 * The cursor of a record: base64url of the JSON array of its order keys. Every component
 * compares ascending (texts by code point, numbers numerically): a `desc` datetime is carried
 * as its negated milliseconds, so the gateway can check any member's order without knowing the
 * kind (docs/query-the-network.md, "Pagination").
 *
 * @example encodeCursor([{ property: 'id', direction: 'asc', type: 'text' }], { id: 'mail' }) // 'WyJtYWlsIl0'
 */
export function encodeCursor(order: readonly OrderKey[], row: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(keyTuple(order, row))).toString('base64url');
}

/** The key tuple of a record, as its cursor carries it. */
export function keyTuple(order: readonly OrderKey[], row: Record<string, unknown>): KeyTuple {
  return order.map((key) => {
    const value = row[key.property];
    if (key.type === 'text') return String(value);
    const ms = new Date(value as Date).getTime();
    return key.direction === 'desc' ? -ms : ms;
  });
}

/** A client's `after`, checked: the key tuple of this list's order, or BAD_USER_INPUT. */
export function decodeCursor(order: readonly OrderKey[], cursor: string): KeyTuple {
  const tuple = parseTuple(cursor);
  if (!tuple || tuple.length !== order.length || !order.every((key, i) => validComponent(key, tuple[i]))) {
    throw new GraphQLError('Invalid input: after: not a cursor of this list (use a `cursor` or `endCursor` it returned)', {
      extensions: { code: 'BAD_USER_INPUT', fields: ['after: not a cursor of this list'] },
    });
  }
  return tuple as KeyTuple;
}

function parseTuple(cursor: string): unknown[] | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function validComponent(key: OrderKey, value: unknown): boolean {
  if (key.type === 'text') return typeof value === 'string' && value.length <= MAX_TEXT_KEY;
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_INSTANT;
}

/** Resolves property names to quoted column names (from the entity's metadata). */
export type ColumnOf = (property: string) => string;

function columnSql(alias: string, key: OrderKey, column: ColumnOf): string {
  const ref = `${alias}.${column(key.property)}`;
  return key.type === 'text' ? `${ref} collate "C"` : ref;
}

function paramOf(key: OrderKey, value: string | number): unknown {
  if (key.type === 'text') return value;
  return new Date(key.direction === 'desc' ? -(value as number) : (value as number)).toISOString();
}

/**
 * The keyset condition "after this position" as one SQL condition for `findVisible`:
 * `(k1 > v1) or (k1 = v1 and k2 > v2) or …` (`<` for descending keys). It costs the same at any
 * depth of the list: no OFFSET.
 */
export function afterCondition<T>(order: readonly OrderKey[], position: KeyTuple, column: ColumnOf): FilterQuery<T> {
  const build = (alias: string) => {
    const branches: string[] = [];
    for (let i = 0; i < order.length; i++) {
      const parts: string[] = [];
      for (let j = 0; j < i; j++) {
        parts.push(`${columnSql(alias, order[j], column)} = ?${order[j].type === 'datetime' ? '::timestamptz' : ''}`);
      }
      parts.push(`${columnSql(alias, order[i], column)} ${order[i].direction === 'asc' ? '>' : '<'} ?${order[i].type === 'datetime' ? '::timestamptz' : ''}`);
      branches.push(`(${parts.join(' and ')})`);
    }
    return `(${branches.join(' or ')})`;
  };
  const params: unknown[] = [];
  for (let i = 0; i < order.length; i++) {
    for (let j = 0; j < i; j++) params.push(paramOf(order[j], position[j]));
    params.push(paramOf(order[i], position[i]));
  }
  const condition = raw((alias: string) => build(alias), params);
  return { [condition]: true } as FilterQuery<T>;
}

/**
 * The list's order for `findVisible`, named by its keys, so that a repeated read of the list
 * reuses its statement; the raw SQL of the keys is made only when the statement is built.
 */
export function namedOrder<T>(order: readonly OrderKey[], column: () => ColumnOf): NamedOrder<T> {
  return { name: JSON.stringify(order), render: () => orderByKeys(order, column()) as QueryOrderMap<T> };
}

/** The list's order for the query builder (texts by code point). */
export function orderByKeys(order: readonly OrderKey[], column: ColumnOf): Record<string, 'asc' | 'desc'> {
  const out: Record<string, 'asc' | 'desc'> = {};
  for (const key of order) out[raw((alias: string) => columnSql(alias, key, column))] = key.direction;
  return out;
}
