import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { findVisible } from './access/find-visible';
import type { AccessScope } from './access/visibility';
import { CapacityRecord } from './modules/capacity/capacity.entity';

/** Per-request batch loaders, so nested fields cost one query per level, not one per record. */
export interface Loaders {
  /** Visible records of one entity by local id (one loader per entity, made on first use). */
  byId<T extends { id: string }>(entity: EntityName<T>): DataLoader<string, T | null>;
  capacityByService: DataLoader<string, CapacityRecord[]>;
}

function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>, scope: AccessScope) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await findVisible(em, entity, scope, { id: { $in: [...ids] } } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function capacityByServiceLoader(em: EntityManager, scope: AccessScope) {
  return new DataLoader<string, CapacityRecord[]>(async (serviceIds) => {
    const rows = await findVisible(em, CapacityRecord, scope, { serviceId: { $in: [...serviceIds] } }, { orderBy: { id: 'asc' } });
    const groups = new Map<string, CapacityRecord[]>();
    for (const row of rows) {
      const list = groups.get(row.serviceId!) ?? [];
      list.push(row);
      groups.set(row.serviceId!, list);
    }
    return serviceIds.map((id) => groups.get(id) ?? []);
  });
}

/** The request's loaders, each made on first use (most requests use none). */
export function createLoaders(em: EntityManager, scope: AccessScope): Loaders {
  const byId = new Map<EntityName<never>, DataLoader<string, unknown>>();
  let capacityByService: DataLoader<string, CapacityRecord[]> | undefined;
  return {
    byId<T extends { id: string }>(entity: EntityName<T>): DataLoader<string, T | null> {
      let loader = byId.get(entity as EntityName<never>);
      if (!loader) byId.set(entity as EntityName<never>, (loader = byIdLoader(em, entity, scope)));
      return loader as DataLoader<string, T | null>;
    },
    get capacityByService() {
      return (capacityByService ??= capacityByServiceLoader(em, scope));
    },
  };
}
