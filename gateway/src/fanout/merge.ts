import type { GraphQLResponseBody } from './member-client';
import { argumentValue, type OperationPlan } from './operation-plan';

export type SubgraphError = NonNullable<GraphQLResponseBody['errors']>[number];

/** What one member answered (after the transport checked it and foreign records were dropped). */
export interface MemberAnswer {
  member: string;
  data: Record<string, unknown> | null;
  errors: readonly SubgraphError[];
}

/**
 * Tags an error with the member that answered: the gateway's word, never the member's (a member
 * cannot name another). The code was already checked by `memberErrors`.
 */
export function tagError(error: SubgraphError, member: string, path?: (string | number)[]): SubgraphError {
  const extensions = { ...(error.extensions ?? {}), member };
  const tagged: SubgraphError = { message: error.message, extensions };
  const finalPath = path ?? error.path;
  if (finalPath) tagged.path = finalPath;
  return tagged;
}

/**
 * Merges the root fields of several members' answers into one.
 * - Lists are concatenated in member id order (each member answers in its own order), and a
 *   `limit` argument is applied after the merge.
 * - Lookups by global id take the owner's answer only.
 * - Error paths into concatenated lists are shifted by the member's offset; errors for items past
 *   the limit are dropped.
 * `targets` maps each response key to the members asked for it.
 */
export function mergeRootFields(
  plan: OperationPlan,
  answers: MemberAnswer[],
  targets: Map<string, ReadonlySet<string>>,
  variables: Record<string, unknown> | undefined,
): { data: Record<string, unknown>; errors: SubgraphError[] } {
  const ordered = [...answers].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  const data: Record<string, unknown> = {};
  const offsets = new Map<string, Map<string, number>>();
  const limits = new Map<string, number>();
  for (const field of plan.rootFields) {
    const key = field.responseKey;
    if (field.kind === 'typename') {
      data[key] = 'Query';
      continue;
    }
    if (field.kind === 'connection') continue; // answered by connections/answer-connection.ts
    const askedHere = targets.get(key);
    const relevant = ordered.filter((a) => askedHere?.has(a.member));
    if (field.kind === 'lookup') {
      data[key] = relevant.map((a) => a.data?.[key]).find((v) => v !== undefined && v !== null) ?? null;
      continue;
    }
    const merged: unknown[] = [];
    const perMember = new Map<string, number>();
    for (const answer of relevant) {
      const value = answer.data?.[key];
      perMember.set(answer.member, merged.length);
      if (Array.isArray(value)) for (const item of value) merged.push(item);
    }
    offsets.set(key, perMember);
    const limit = argumentValue(field.args.get('limit'), variables);
    if (typeof limit === 'number' && limit >= 0 && merged.length > limit) {
      merged.length = limit;
      limits.set(key, limit);
    }
    data[key] = merged;
  }
  const errors: SubgraphError[] = [];
  for (const answer of ordered) {
    for (const error of answer.errors) {
      const path = error.path;
      if (!path || typeof path[0] !== 'string') {
        errors.push(tagError(error, answer.member));
        continue;
      }
      const key = path[0];
      if (!targets.get(key)?.has(answer.member)) continue;
      const offset = offsets.get(key)?.get(answer.member);
      if (offset !== undefined && typeof path[1] === 'number') {
        const index = path[1] + offset;
        const limit = limits.get(key);
        if (limit !== undefined && index >= limit) continue;
        errors.push(tagError(error, answer.member, [key, index, ...path.slice(2)]));
      } else {
        errors.push(tagError(error, answer.member));
      }
    }
  }
  return { data, errors };
}
