import { ownerOf } from '../../../common/ids';
import { tagError, type SubgraphError } from './merge';

export interface Representation {
  __typename: string;
  id?: unknown;
  [key: string]: unknown;
}

export interface EntityGroup {
  member: string;
  /** Positions of this member's representations in the original list. */
  indices: number[];
  representations: Representation[];
}

/** The member that owns a representation: `Member` ids are member ids, others are prefixed. */
export function entityOwner(rep: Representation): string | undefined {
  if (rep.__typename === 'Member') return typeof rep.id === 'string' ? rep.id : undefined;
  return ownerOf(rep.id);
}

/**
 * Splits `_entities` representations by owning member. Representations of unknown owners
 * (not in the registry, or no prefix) are left out; they resolve to null.
 */
export function groupRepresentations(representations: Representation[], isMember: (id: string) => boolean): EntityGroup[] {
  const groups = new Map<string, EntityGroup>();
  representations.forEach((rep, index) => {
    const owner = entityOwner(rep);
    if (!owner || !isMember(owner)) return;
    let group = groups.get(owner);
    if (!group) groups.set(owner, (group = { member: owner, indices: [], representations: [] }));
    group.indices.push(index);
    group.representations.push(rep);
  });
  return [...groups.values()];
}

/**
 * Puts each member's entities back in the original order (null where nothing came back), and
 * remaps error paths `["_entities", i, …]` from the member's positions to the original ones.
 */
export function assembleEntities(total: number, results: { group: EntityGroup; entities: unknown[] | null; errors: readonly SubgraphError[] }[]): { entities: unknown[]; errors: SubgraphError[] } {
  const entities: unknown[] = new Array(total).fill(null);
  const errors: SubgraphError[] = [];
  for (const { group, entities: answered, errors: memberErrors } of results) {
    group.indices.forEach((original, local) => {
      entities[original] = answered?.[local] ?? null;
    });
    for (const error of memberErrors) {
      const path = error.path;
      if (path && path[0] === '_entities' && typeof path[1] === 'number' && group.indices[path[1]] !== undefined) {
        errors.push(tagError(error, group.member, ['_entities', group.indices[path[1]], ...path.slice(2)]));
      } else {
        errors.push(tagError(error, group.member));
      }
    }
  }
  return { entities, errors };
}
