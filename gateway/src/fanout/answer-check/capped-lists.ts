const RESPONSE_KEY = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * A member's `extensions.capped` (the root lists its own cap cut), checked as untrusted input:
 * a few response keys and a positive cap, or nothing.
 */
export function cappedLists(value: unknown): { capped: string[]; limit: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { fields, limit } = value as { fields?: unknown; limit?: unknown };
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > 50 || !fields.every((f) => typeof f === 'string' && RESPONSE_KEY.test(f))) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 1_000_000) return undefined;
  return { capped: [...new Set(fields as string[])], limit };
}
