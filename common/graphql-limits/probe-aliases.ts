import type { FieldNode } from 'graphql';

/**
 * Aliases the gateway adds to a member sub-request for its own use (the id probe that routes
 * entities, the visibility probe of `joinProject`) start with this prefix; clients cannot send
 * them through the gateway, because a client field under this prefix would be mistaken for one.
 * Every gateway probe must use it: members do not count probes against their alias limit.
 */
export const PROBE_ALIAS_PREFIX = 'infrared__';

/**
 * A field the gateway may have added: a leaf (no selection set) aliased with the probe prefix.
 * A leaf costs one scalar, and the duplicate-field limit bounds how many can share one key, so
 * not counting these cannot be abused for a query of unbounded size.
 */
export function isProbeField(field: FieldNode): boolean {
  return !!field.alias?.value.startsWith(PROBE_ALIAS_PREFIX) && !field.selectionSet;
}
