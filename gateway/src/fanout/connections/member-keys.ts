import { isMemberCursor } from '../../../../common/connections/walk-cursor';

/** A member's position as its cursor carries it: the key tuple of its list's order. */
export type MemberKey = readonly (string | number)[];

const MAX_KEY_PARTS = 8;
const MAX_TEXT_PART = 256;

/**
 * The key tuple inside a member's cursor (base64url JSON of strings and numbers, each compared
 * ascending: the contract's cursor convention, docs/query-the-network.md), or undefined when the
 * cursor is not one. The gateway reads it only to check a member's order, never to build SQL.
 */
export function memberKey(cursor: unknown): MemberKey | undefined {
  if (!isMemberCursor(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_KEY_PARTS) return undefined;
  for (const part of value) {
    if (typeof part === 'string' ? part.length > MAX_TEXT_PART : typeof part !== 'number' || !Number.isFinite(part)) return undefined;
  }
  return value as MemberKey;
}

/**
 * Compares two key tuples part by part: numbers numerically, strings by code point, a number
 * before a string. NaN when the tuples have different lengths (not the same list's keys).
 */
export function compareKeys(a: MemberKey, b: MemberKey): number {
  if (a.length !== b.length) return Number.NaN;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    if (typeof x === 'number') {
      if (x !== y) return x < (y as number) ? -1 : 1;
    } else {
      const c = compareCodePoints(x, y as string);
      if (c !== 0) return c;
    }
  }
  return 0;
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n;) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
